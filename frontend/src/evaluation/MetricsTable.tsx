import type { Experiment } from "../api/types";
import { scorerNames } from "./experiments";
import { formatCost, formatCount, formatInterval, formatMs, formatPercent } from "./format";

/** Every scorer's mean with its 95% interval, then latency, tokens and cost. */
export function MetricsTable({ experiment }: { experiment: Experiment }) {
  const summary = experiment.summary ?? {};
  const metrics = summary.metrics ?? {};
  const intervals = summary.intervals ?? {};
  const latency = summary.latency_ms;
  const tokens = summary.tokens;
  return (
    <div className="eval-metrics">
      <table className="eval-table" data-testid="metrics">
        <thead>
          <tr>
            <th>metric</th>
            <th>value</th>
            <th>95% CI</th>
            <th>n</th>
          </tr>
        </thead>
        <tbody>
          {scorerNames(experiment).map((name) => {
            const interval = intervals[name];
            return (
              <tr key={name}>
                <td>{name}</td>
                <td><strong>{formatPercent(metrics[name])}</strong></td>
                <td className="muted" title={interval === undefined ? undefined : `${interval.method} interval`}>{formatInterval(interval)}</td>
                <td>{interval === undefined ? "–" : formatCount(interval.n)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <dl className="eval-stats">
        <dt>rows</dt>
        <dd>
          {formatCount(summary.completed)} completed
          {(summary.failed ?? 0) > 0 && <span className="error"> · {formatCount(summary.failed)} failed</span>} of {formatCount(summary.rows ?? experiment.total)}
        </dd>
        <dt>latency</dt>
        <dd>
          p50 {formatMs(latency?.p50)} · p90 {formatMs(latency?.p90)}
          {latency?.mean !== undefined && ` · mean ${formatMs(latency.mean)}`}
        </dd>
        <dt>tokens</dt>
        <dd>
          {tokens === undefined
            ? "–"
            : `${formatCount(tokens.in)} in · ${formatCount(tokens.out)} out (per row ${formatCount(tokens.mean_in)} in · ${formatCount(tokens.mean_out)} out)`}
        </dd>
        <dt>cost</dt>
        <dd>{formatCost(summary.cost)}</dd>
      </dl>
    </div>
  );
}
