import { formatProbability } from "./events";
import type { RunView } from "./runState";
import { decisionRows, useNodeTitles } from "./routes";

/** Each router's decision in the shown run, readable at any zoom of the canvas: its candidates
 *  by title, most probable first, with their probabilities; the chosen one marked. */
export function RouterDecisions({ view }: { view: RunView }) {
  const titles = useNodeTitles();
  const routers = Object.entries(view.decisions);
  if (routers.length === 0) return null;
  const titleOf = (node: string) => titles.get(node) ?? node;
  return (
    <section className="decisions" aria-label="Router decisions">
      {routers.map(([router, decision]) => (
        <section key={router} className="decision">
          <h4>
            {titleOf(router)} chose {titleOf(decision.target)}
          </h4>
          <ol className="decision-list" aria-label={`${titleOf(router)} candidates`}>
            {decisionRows(decision, titleOf).map((row) => (
              <li
                key={row.edge}
                className={row.chosen ? "decision-row chosen" : "decision-row"}
                data-testid="decision-candidate"
                data-chosen={row.chosen}
                title={row.parts ?? undefined}
              >
                <span className="decision-title ellipsis">
                  {row.chosen && "✓ "}
                  {row.title}
                </span>
                <span className="decision-bar" aria-hidden>
                  <span style={{ width: `${row.probability * 100}%` }} />
                </span>
                <span className="decision-p">{formatProbability(row.probability)}</span>
                <span className="decision-token muted">&lt;{row.token}&gt;</span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </section>
  );
}
