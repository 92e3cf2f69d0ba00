import { RunImages } from "./RunImages";
import type { RunView } from "./runState";
import { answerText } from "./runState";

interface Props {
  view: RunView;
  feeders: readonly string[];
  /** The run shown (its images are served by run id). */
  run: number;
}

/** The query with its images and the answer as it streams, chat style. */
export function ChatOutput({ view, feeders, run }: Props) {
  const answer = answerText(view, feeders);
  return (
    <section className="chat" aria-label="Run output">
      {view.input !== null && (
        <div className="bubble user">
          <RunImages run={run} images={view.images} />
          {view.input}
        </div>
      )}
      <div className={`bubble answer run-${view.status}`} data-testid="run-answer">
        {answer !== "" ? answer : view.status === "running" ? "…" : ""}
        {view.error !== null && <div className="error">{view.error}</div>}
      </div>
    </section>
  );
}
