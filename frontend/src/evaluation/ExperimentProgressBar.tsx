import type { Experiment } from "../api/types";
import { experimentProgress } from "./experiments";
import { useLiveExperiment } from "./useEvaluation";

/** An experiment's progress: rows done / total, failures, running metrics and ETA. */
export function ExperimentProgressBar({ experiment }: { experiment: Experiment }) {
  const view = experimentProgress(experiment);
  const percent = Math.round(view.fraction * 100);
  return (
    <div className={`eval-progress eval-${experiment.status}`}>
      <div
        className="train-progress"
        role="progressbar"
        aria-label={`Progress of experiment ${experiment.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={view.caption}
      >
        <div className="train-progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <span className="small train-caption" data-testid={`progress-${experiment.id}`}>
        {view.caption}
      </span>
    </div>
  );
}

/** The progress bar of an unfinished experiment, kept live over its socket while shown. */
export function LiveProgress({ experiment, onExperiment }: { experiment: Experiment; onExperiment: (e: Experiment) => void }) {
  useLiveExperiment(experiment.id, onExperiment);
  return <ExperimentProgressBar experiment={experiment} />;
}
