import type { RunEvent } from "./events";
import { describeEvent } from "./events";

interface Props {
  run: number;
  events: readonly RunEvent[];
  step: number;
  onStep: (step: number) => void;
  onClose: () => void;
}

/** Steps through a stored trace: the canvas shows the run as it was after `step` events. */
export function ReplayControls({ run, events, step, onStep, onClose }: Props) {
  const current = events[step - 1];
  return (
    <section className="replay" aria-label="Replay">
      <strong>Replay of run {run}</strong>
      <button onClick={() => onStep(step - 1)} disabled={step <= 0} aria-label="Previous step">
        ◀ Prev
      </button>
      <input
        type="range"
        aria-label="Replay step"
        min={0}
        max={events.length}
        value={step}
        onChange={(event) => onStep(Number(event.target.value))}
      />
      <button onClick={() => onStep(step + 1)} disabled={step >= events.length} aria-label="Next step">
        Next ▶
      </button>
      <span className="small" data-testid="replay-step">
        {step}/{events.length}: {current === undefined ? "before the run" : describeEvent(current)}
      </span>
      <span className="spacer" />
      <button onClick={onClose}>Close replay</button>
    </section>
  );
}
