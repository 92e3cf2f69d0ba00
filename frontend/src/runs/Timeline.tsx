import type { RunView } from "./runState";
import { timeline } from "./runState";

/** A Gantt chart of node durations from the run's start. */
export function Timeline({ view }: { view: RunView }) {
  const spans = timeline(view);
  const total = Math.max(1, ...spans.map((span) => span.end));
  if (spans.length === 0) return null;
  return (
    <section className="timeline" aria-label="Timeline">
      {spans.map((span) => (
        <div key={span.node} className="timeline-row" title={`${span.node}: ${Math.round(span.end - span.start)} ms`}>
          <span className="timeline-node ellipsis">{span.node}</span>
          <span className="timeline-track">
            <span
              className={`timeline-bar run-${span.status}`}
              style={{ left: `${(span.start / total) * 100}%`, width: `${Math.max(0.5, ((span.end - span.start) / total) * 100)}%` }}
            />
          </span>
          <span className="timeline-ms muted">{Math.round(span.end - span.start)} ms</span>
        </div>
      ))}
    </section>
  );
}
