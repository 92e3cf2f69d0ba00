import type { Experiment } from "../api/types";
import { LiveProgress } from "./ExperimentProgressBar";
import { compareBlocker, isExperimentFinished, mainMetric } from "./experiments";
import { formatInterval, formatMs, formatPercent } from "./format";
import { DataTable } from "../ui/DataTable";

interface Props {
  experiments: readonly Experiment[];
  selected: number | null;
  picked: readonly number[];
  canEdit: boolean;
  onSelect: (id: number) => void;
  onTogglePick: (id: number) => void;
  onCancel: (id: number) => void;
  onCompare: () => void;
  onExperiment: (experiment: Experiment) => void;
  onRefresh: () => void;
}

/** This graph's experiments, newest first: live progress, the headline metric, compare ticks. */
export function ExperimentsPanel({ experiments, selected, picked, canEdit, onSelect, onTogglePick, onCancel, onCompare, onExperiment, onRefresh }: Props) {
  const blocker = compareBlocker(experiments.filter((experiment) => picked.includes(experiment.id)));
  return (
    <section className="eval-card" aria-label="Experiments">
      <div className="eval-head">
        <h2>Experiments</h2>
        <button className="link small" onClick={onRefresh} title="Fetch the list again (experiments started elsewhere, e.g. by the CLI or a teammate)">
          Refresh
        </button>
        <span className="spacer" />
        {picked.length > 0 && blocker !== null && <span className="muted small">{blocker}</span>}
        <button onClick={onCompare} disabled={blocker !== null} title={blocker ?? "Metric deltas with a paired test, and the rows whose score changed"}>
          Compare
        </button>
      </div>
      {experiments.length === 0 ? (
        <p className="muted small">No experiments on this graph yet.</p>
      ) : (
        <DataTable
          className="eval-table eval-experiments"
          data-testid="experiments"
          columns={[{ ariaLabel: "Compare" }, "#", "status", "dataset", "version", "main metric (95% CI)", "p50 latency", "created", { ariaLabel: "Actions" }]}
        >
          {experiments.map((experiment) => {
            const metric = mainMetric(experiment);
            const finished = isExperimentFinished(experiment);
            return (
              <tr key={experiment.id} className={experiment.id === selected ? "active" : undefined} data-experiment-id={experiment.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare experiment ${experiment.id} (v${experiment.version} on ${experiment.dataset.name})`}
                    checked={picked.includes(experiment.id)}
                    onChange={() => onTogglePick(experiment.id)}
                  />
                </td>
                <td>{experiment.id}</td>
                <td className="eval-status-cell">
                  <span className={`run-status run-${experiment.status}`}>{experiment.status}</span>
                  {!finished && <LiveProgress experiment={experiment} onExperiment={onExperiment} />}
                  {experiment.status === "failed" && experiment.error !== "" && <div className="error small">{experiment.error}</div>}
                </td>
                <td>{experiment.dataset.name}</td>
                <td>v{experiment.version}</td>
                <td>
                  {metric === null ? (
                    "–"
                  ) : (
                    <>
                      <span className="muted small">{metric.name}</span> <strong>{formatPercent(metric.value)}</strong>{" "}
                      <span className="muted small">{formatInterval(metric.interval)}</span>
                    </>
                  )}
                </td>
                <td>{formatMs(experiment.summary?.latency_ms?.p50)}</td>
                <td className="small">{new Date(experiment.created_at).toLocaleString()}</td>
                <td className="eval-actions">
                  <button onClick={() => onSelect(experiment.id)} aria-pressed={experiment.id === selected} aria-label={`Results of experiment ${experiment.id}`}>
                    Results
                  </button>
                  {!finished && canEdit && (
                    <button onClick={() => onCancel(experiment.id)} aria-label={`Cancel experiment ${experiment.id}`}>
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
