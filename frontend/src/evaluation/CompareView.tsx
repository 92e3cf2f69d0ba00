import type { CompareResult, Experiment } from "../api/types";
import { scorerNames } from "./experiments";
import { formatCount, formatDelta, formatInterval, formatPercent, formatPValue, formatScore, truncate } from "./format";
import { traceHref } from "./rows";
import { DataTable } from "../ui/DataTable";

const CHANGED_SHOWN = 200;
const METRIC_COLUMNS = ["experiment", "metric", "base", "this", "delta", "95% CI of delta", "significance"];

function experimentName(experiment: Experiment | undefined, id: number | string): string {
  return experiment === undefined ? `#${id}` : `#${experiment.id} (v${experiment.version})`;
}

/** Experiments on one dataset side by side: each metric's delta against the first with its
 *  paired test, then the rows whose score changed, each opening every experiment's run. */
export function CompareView({ result, onClose }: { result: CompareResult; onClose: () => void }) {
  const byId = new Map(result.experiments.map((experiment) => [experiment.id, experiment]));
  const base = byId.get(result.base);
  const others = result.experiments.filter((experiment) => experiment.id !== result.base);
  const scorers = result.scorers ?? [...new Set(result.experiments.flatMap(scorerNames))];
  const shown = result.changed.slice(0, CHANGED_SHOWN);
  return (
    <section className="eval-card" aria-label="Comparison" data-testid="comparison">
      <div className="eval-head">
        <h2>
          Compare against {experimentName(base, result.base)} on {result.dataset.name}
        </h2>
        <span className="spacer" />
        <button onClick={onClose}>Close comparison</button>
      </div>
      <DataTable className="eval-table" data-testid="compare-metrics" columns={METRIC_COLUMNS}>
        {others.flatMap((experiment) =>
          Object.entries(result.metrics[String(experiment.id)] ?? {}).map(([metric, delta]) => (
            <tr key={`${experiment.id}-${metric}`}>
              <td>{experimentName(experiment, experiment.id)}</td>
              <td>{metric}</td>
              <td>{formatPercent(delta.a)}</td>
              <td>{formatPercent(delta.b)}</td>
              <td className={delta.delta === null ? undefined : delta.delta > 0 ? "ok" : delta.delta < 0 ? "error" : undefined}>
                <strong>{formatDelta(delta.delta)}</strong>
              </td>
              <td className="muted">{formatInterval({ low: delta.low ?? null, high: delta.high ?? null })}</td>
              <td>
                <span className={delta.p_value !== null && delta.p_value < 0.05 ? "eval-significant" : undefined}>{formatPValue(delta.p_value)}</span>{" "}
                <span className="muted small">({delta.test})</span>
              </td>
            </tr>
          )),
        )}
      </DataTable>
      <h3>
        Rows whose score changed ({formatCount(result.changed.length)}
        {result.changed.length > CHANGED_SHOWN ? `, the first ${CHANGED_SHOWN} shown` : ""})
      </h3>
      {result.changed.length === 0 ? (
        <p className="muted small">No row scored differently.</p>
      ) : (
        <div className="eval-scroll">
          <DataTable
            className="eval-table"
            data-testid="changed-rows"
            columns={["#", "input", ...result.experiments.map((experiment) => experimentName(experiment, experiment.id))]}
          >
            {shown.map((row) => (
              <tr key={row.index}>
                <td>{row.index}</td>
                <td title={row.input}>{truncate(row.input, 100)}</td>
                {result.experiments.map((experiment) => {
                  const scores = row.scores[String(experiment.id)] ?? {};
                  const run = row.runs[String(experiment.id)];
                  return (
                    <td key={experiment.id}>
                      {scorers
                        .filter((name) => name in scores)
                        .map((name) => `${name} ${formatScore(scores[name])}`)
                        .join(" · ")}{" "}
                      {run !== undefined && run !== null && (
                        <a href={traceHref(experiment.graph, run, { experiment: experiment.id, row: row.index })} target="_blank" rel="noopener" title={`Replay run ${run} of experiment ${experiment.id} (a new tab)`}>
                          Open trace
                        </a>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </section>
  );
}
