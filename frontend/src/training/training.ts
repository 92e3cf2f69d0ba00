/**
 * Pure logic of the router inspector's "Train router" section: which training state to keep
 * (the newest revision wins, whatever order frames and answers arrive in), how its progress
 * reads, why Start is disabled, and the order adapters are offered in.
 */
import type { AdapterChoice, BuiltinRouterAdapter, RouterAdapter, Training, TrainingOptions, TrainingStatus } from "../api/types";

/** The server's defaults (workers/routing/job.py TrainingOptions). */
export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  epochs: 3,
  examples_per_edge: 40,
  model_queries_per_edge: 0,
  validation_fraction: 0.2,
};

const FINISHED: ReadonlySet<TrainingStatus> = new Set(["completed", "failed", "cancelled"]);

export function isFinished(training: Training): boolean {
  return FINISHED.has(training.status);
}

/** The state to keep when `incoming` arrives (from the socket or a REST answer): a different
 *  training replaces the current one; for the same training only a newer revision does. */
export function newerTraining(current: Training | null, incoming: Training): Training {
  if (current === null || current.id !== incoming.id) return incoming;
  return incoming.revision > current.revision ? incoming : current;
}

/** "45 s", "3 min 20 s", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return total % 60 === 0 ? `${minutes} min` : `${minutes} min ${total % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

export function formatAccuracy(accuracy: number | null): string {
  return accuracy === null ? "–" : `${(accuracy * 100).toFixed(1)}%`;
}

/** What the progress bar shows: how full it is (0..1) and its caption's parts. */
export interface ProgressView {
  fraction: number;
  steps: string;
  loss: string;
  accuracy: string;
  eta: string;
}

export function progressView(training: Training): ProgressView {
  const progress = training.progress;
  if (progress === null) {
    const waiting = training.status === "queued" ? "Waiting for a training worker" : "Preparing data and the model";
    return { fraction: 0, steps: waiting, loss: "", accuracy: "", eta: "" };
  }
  const done = training.status === "completed";
  return {
    fraction: done ? 1 : progress.total_steps > 0 ? progress.step / progress.total_steps : 0,
    steps: `Step ${progress.step}/${progress.total_steps} (epoch ${progress.epoch})`,
    loss: `loss ${progress.loss.toFixed(4)}`,
    accuracy: `val acc ${formatAccuracy(progress.val_accuracy)}`,
    eta: isFinished(training) ? `took ${formatDuration(progress.elapsed_s)}` : `ETA ${formatDuration(progress.eta_s)}`,
  };
}

/** Why Start cannot be pressed now, or null when it can. */
export function startBlocker(state: { canEdit: boolean; dirty: boolean; saved: boolean; active: boolean }): string | null {
  if (!state.canEdit) return "Training needs the editor role.";
  if (!state.saved) return "Save the graph first: training uses a saved version.";
  if (state.dirty) return "Save your changes first: training uses the saved version.";
  if (state.active) return "This router is being trained.";
  return null;
}

/** Adapters trained for this router first (newest first), then the team's others. */
export function orderAdapters(adapters: readonly RouterAdapter[], graph: number, router: string): RouterAdapter[] {
  const forThis = (adapter: RouterAdapter) => adapter.graph === graph && adapter.router === router;
  const newest = (a: RouterAdapter, b: RouterAdapter) => b.created_at.localeCompare(a.created_at) || b.id - a.id;
  return [...adapters.filter(forThis).sort(newest), ...adapters.filter((a) => !forThis(a)).sort(newest)];
}

/** The catalog's adapters split for the select: the team's trained ones (`orderAdapters`) and
 *  those shipped with Octograph, by name. */
export function groupAdapters(
  choices: readonly AdapterChoice[],
  graph: number,
  router: string,
): { trained: RouterAdapter[]; builtin: BuiltinRouterAdapter[] } {
  const trained = choices.filter((choice): choice is RouterAdapter => !choice.builtin);
  const builtin = choices.filter((choice): choice is BuiltinRouterAdapter => choice.builtin);
  return {
    trained: orderAdapters(trained, graph, router),
    builtin: [...builtin].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** A built-in adapter's validation figures: "84.5% on 283 held-out questions, 17 targets". */
export function builtinFigures(adapter: BuiltinRouterAdapter): string {
  const held = `${adapter.validation_examples.toLocaleString("en")} held-out questions`;
  const score = adapter.val_accuracy === null ? `not validated (${held})` : `${formatAccuracy(adapter.val_accuracy)} on ${held}`;
  return `${score}, ${adapter.targets} targets`;
}

/** What the select's hint says: a chosen built-in adapter's figures, else that none is
 *  trained yet when the team has none, else nothing. */
export function adapterHint(
  groups: { trained: readonly RouterAdapter[]; builtin: readonly BuiltinRouterAdapter[] },
  value: string | null | undefined,
): string | undefined {
  const builtin = groups.builtin.find((adapter) => adapter.name === value);
  if (builtin !== undefined) {
    const trainedOn = builtin.train_examples.toLocaleString("en");
    return `Built-in: ${builtinFigures(builtin)}; trained on ${trainedOn} examples.`;
  }
  return groups.trained.length === 0 ? "None trained yet: train this router below." : undefined;
}

/** The text of a built-in adapter in the select: its name and validation figures. */
export function builtinAdapterLabel(adapter: BuiltinRouterAdapter): string {
  return `${adapter.name} (${builtinFigures(adapter)})`;
}

/** The text of an adapter in the select: its name, accuracy and what it was trained for. */
export function adapterLabel(adapter: RouterAdapter, graph: number, router: string): string {
  const accuracy = adapter.val_accuracy === null ? "" : `, ${formatAccuracy(adapter.val_accuracy)}`;
  const origin =
    adapter.graph === graph && adapter.router === router
      ? `this router, v${adapter.version}`
      : `router ${adapter.router}${adapter.graph === null ? "" : ` of graph ${adapter.graph}`}`;
  return `${adapter.name} (${origin}${accuracy})`;
}

export function trainingSocketUrl(training: number, location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/trainings/${training}/`;
}
