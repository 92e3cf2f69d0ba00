import type { Problem } from "../graph/problems";
import { problemFullText, problemTarget } from "../graph/problems";

interface Props {
  problems: readonly Problem[];
  /** What refused them, e.g. "The server refused the save". */
  heading: string;
  onDismiss: () => void;
  /** Select the node or edge a problem names; without it the names are plain text. */
  onSelect?: (id: string, what: "node" | "edge") => void;
}

/** Every problem of a refused graph, each with its full reason: the badges on nodes and edges
 * show where, this list shows all of them at once (also those naming no element). Usable outside
 * the editor too (the graph list's import), where there is nothing to select. */
export function ProblemsPanel({ problems, heading, onDismiss, onSelect }: Props) {
  return (
    <section id="graph-problems" className="problems-panel" role="region" aria-label="Graph problems" data-testid="problems-panel">
      <header>
        <strong className="error">
          {heading}: {problems.length} {problems.length === 1 ? "problem" : "problems"}
        </strong>
        <button className="link" onClick={onDismiss}>
          Dismiss
        </button>
      </header>
      <ol className="problems-panel-list">
        {problems.map((problem, index) => {
          const target = problemTarget(problem);
          return (
            <li key={index} data-code={problem.code}>
              {target !== null && onSelect !== undefined ? (
                <button className="link" onClick={() => onSelect(target.id, target.what)} title={`Select ${target.what} ${target.id}`}>
                  {problemFullText(problem)}
                </button>
              ) : (
                problemFullText(problem)
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
