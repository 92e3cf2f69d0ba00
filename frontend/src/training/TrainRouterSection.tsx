import "./training.css";

import { useState } from "react";

import type { Training, TrainingOptions } from "../api/types";
import { NumberField } from "../ui/fields";
import type { TrainingHandle } from "./useTraining";
import { DEFAULT_TRAINING_OPTIONS, isFinished, progressView, startBlocker } from "./training";

interface Props {
  handle: TrainingHandle;
  /** The saved version training would use (0: never saved). */
  version: number;
  dirty: boolean;
  canEdit: boolean;
  /** The adapter the router uses now. */
  adapterInUse: string | null | undefined;
  onUseAdapter: (name: string) => void;
}

/** The router inspector's "Train router" section: options, Start, the live progress bar,
 *  Cancel, the failure, and "Use this adapter" once a training has completed. */
export function TrainRouterSection({ handle, version, dirty, canEdit, adapterInUse, onUseAdapter }: Props) {
  const [options, setOptions] = useState<TrainingOptions>(DEFAULT_TRAINING_OPTIONS);
  const { training } = handle;
  const active = training !== null && !isFinished(training);
  const blocker = startBlocker({ canEdit, dirty, saved: version > 0, active });
  const set = (patch: Partial<TrainingOptions>) => setOptions((current) => ({ ...current, ...patch }));
  const orDefault = (value: number | undefined, fallback: number) => value ?? fallback;
  return (
    <section className="train-router" aria-label="Train router">
      <h3>Train router</h3>
      <p className="muted small">
        Trains a functional-token adapter from the edges' descriptions and examples of the saved version.
      </p>
      <div className="field-row">
        <NumberField label="Epochs" value={options.epochs} min={1} max={50} disabled={!canEdit || active}
          onChange={(v) => set({ epochs: orDefault(v, DEFAULT_TRAINING_OPTIONS.epochs) })} />
        <NumberField label="Examples per edge" value={options.examples_per_edge} min={1} max={1000} disabled={!canEdit || active}
          onChange={(v) => set({ examples_per_edge: orDefault(v, DEFAULT_TRAINING_OPTIONS.examples_per_edge) })} />
      </div>
      <div className="field-row">
        <NumberField label="Model-written per edge" value={options.model_queries_per_edge} min={0} max={200} disabled={!canEdit || active}
          onChange={(v) => set({ model_queries_per_edge: orDefault(v, DEFAULT_TRAINING_OPTIONS.model_queries_per_edge) })} />
        <NumberField label="Validation share" value={options.validation_fraction} min={0} max={0.9} step={0.05} disabled={!canEdit || active}
          onChange={(v) => set({ validation_fraction: orDefault(v, DEFAULT_TRAINING_OPTIONS.validation_fraction) })} />
      </div>
      <div className="train-actions">
        <button className="primary" disabled={blocker !== null || handle.busy} onClick={() => void handle.start(version, options)}>
          Start training
        </button>
        {active && canEdit && (
          <button disabled={handle.busy} onClick={() => void handle.cancel()}>
            Cancel training
          </button>
        )}
      </div>
      {blocker !== null && !active && <p className="muted small" data-testid="train-blocker">{blocker}</p>}
      {handle.error !== null && <p className="error small" role="alert">{handle.error}</p>}
      {training !== null && (
        <TrainingStatusView training={training} adapterInUse={adapterInUse} canEdit={canEdit} onUseAdapter={onUseAdapter} />
      )}
    </section>
  );
}

function TrainingStatusView({
  training,
  adapterInUse,
  canEdit,
  onUseAdapter,
}: {
  training: Training;
  adapterInUse: string | null | undefined;
  canEdit: boolean;
  onUseAdapter: (name: string) => void;
}) {
  const view = progressView(training);
  const percent = Math.round(view.fraction * 100);
  const adapter = training.adapter;
  return (
    <div className={`training-status training-${training.status}`} data-testid="training-status">
      <p className="small">
        Training {training.id} of v{training.version}: <strong>{training.status}</strong>
      </p>
      <div className="train-progress" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="train-progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="small train-caption" data-testid="training-progress">
        {[view.steps, view.loss, view.accuracy, view.eta].filter((part) => part !== "").join(" · ")}
      </p>
      {training.status === "failed" && <p className="error small" role="alert">{training.error}</p>}
      {training.status === "cancelled" && <p className="muted small">{training.error}</p>}
      {adapter !== null &&
        (adapter.name === adapterInUse ? (
          <p className="small">This router uses adapter {adapter.name}.</p>
        ) : (
          <button className="primary" disabled={!canEdit} onClick={() => onUseAdapter(adapter.name)}>
            Use this adapter
          </button>
        ))}
    </div>
  );
}
