import type { RunSummary } from "../api/types";

interface Props {
  runs: readonly RunSummary[];
  replaying: number | null;
  comparing: readonly number[];
  onReplay: (run: number) => void;
  onToggleCompare: (run: number) => void;
}

const SNIPPET_CHARS = 60;

/** The graph's runs, newest first: replay one, or tick two to compare them. */
export function RunHistory({ runs, replaying, comparing, onReplay, onToggleCompare }: Props) {
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <ol className="run-history" aria-label="Run history">
      {runs.map((run) => (
        <li key={run.id} className={replaying === run.id ? "active" : undefined} data-run-id={run.id}>
          <input
            type="checkbox"
            aria-label={`Compare run ${run.id}`}
            checked={comparing.includes(run.id)}
            onChange={() => onToggleCompare(run.id)}
          />
          <span className={`run-status run-${run.status}`}>{run.status}</span>
          <span className="muted small">{new Date(run.created_at).toLocaleTimeString()}</span>
          <span className="ellipsis run-snippet" title={run.input}>
            {run.input.length > SNIPPET_CHARS ? `${run.input.slice(0, SNIPPET_CHARS)}…` : run.input}
          </span>
          {run.duration_ms !== null && <span className="muted small">{Math.round(run.duration_ms)} ms</span>}
          <button onClick={() => onReplay(run.id)}>Replay</button>
        </li>
      ))}
    </ol>
  );
}
