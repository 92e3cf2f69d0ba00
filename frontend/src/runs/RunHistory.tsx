import { useState } from "react";
import type { RunSummary } from "../api/types";

interface Props {
  runs: readonly RunSummary[];
  replaying: number | null;
  comparing: readonly number[];
  onReplay: (run: number) => void;
  onToggleCompare: (run: number) => void;
}

const SNIPPET_CHARS = 60;

// Inline rather than a class: it only undoes `.ellipsis` for the one row the user unfolded.
const UNFOLDED = { whiteSpace: "pre-wrap", overflowWrap: "anywhere" } as const;

/** The graph's runs, newest first: replay one, or tick two to compare them. Each row names its
 * run (`#id`, as the API and the run status do) and the start of its query, whole in the tooltip
 * and, for a long one, unfolded in place by its "more" toggle. */
export function RunHistory({ runs, replaying, comparing, onReplay, onToggleCompare }: Props) {
  const [unfolded, setUnfolded] = useState<ReadonlySet<number>>(new Set());
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  const toggle = (id: number) =>
    setUnfolded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <ol className="run-history" aria-label="Run history">
      {runs.map((run) => {
        const long = run.input.length > SNIPPET_CHARS;
        const open = long && unfolded.has(run.id);
        return (
          <li key={run.id} className={replaying === run.id ? "active" : undefined} data-run-id={run.id}>
            <input
              type="checkbox"
              aria-label={`Compare run ${run.id}`}
              checked={comparing.includes(run.id)}
              onChange={() => onToggleCompare(run.id)}
            />
            <span className="small run-id">#{run.id}</span>
            <span className={`run-status run-${run.status}`}>{run.status}</span>
            <span className="muted small">{new Date(run.created_at).toLocaleTimeString()}</span>
            <span
              className={open ? "run-snippet" : "ellipsis run-snippet"}
              style={open ? UNFOLDED : undefined}
              title={run.input}
              data-testid="run-query"
            >
              {long && !open ? `${run.input.slice(0, SNIPPET_CHARS)}…` : run.input}
            </span>
            {long && (
              <button
                className="link small"
                aria-expanded={open}
                aria-label={open ? `Fold the query of run ${run.id}` : `Show the whole query of run ${run.id}`}
                onClick={() => toggle(run.id)}
              >
                {open ? "less" : "more"}
              </button>
            )}
            {run.duration_ms !== null && <span className="muted small">{Math.round(run.duration_ms)} ms</span>}
            <button onClick={() => onReplay(run.id)}>Replay</button>
          </li>
        );
      })}
    </ol>
  );
}
