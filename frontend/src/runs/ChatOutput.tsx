import type { RunView } from "./runState";
import { answerText } from "./runState";

/** The query and the answer as it streams, chat style. */
export function ChatOutput({ view, feeders }: { view: RunView; feeders: readonly string[] }) {
  const answer = answerText(view, feeders);
  return (
    <section className="chat" aria-label="Run output">
      {view.input !== null && <div className="bubble user">{view.input}</div>}
      <div className={`bubble answer run-${view.status}`} data-testid="run-answer">
        {answer !== "" ? answer : view.status === "running" ? "…" : ""}
        {view.error !== null && <div className="error">{view.error}</div>}
      </div>
    </section>
  );
}
