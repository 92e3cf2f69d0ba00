/**
 * Pure logic of the experiments list: which state of an experiment to keep (the newest revision
 * wins, whatever order socket frames and REST answers arrive in), its headline metric, how its
 * progress reads, and when experiments can be compared.
 */
import type { Experiment, ExperimentStatus, MetricInterval } from "../api/types";
import { formatCount, formatDuration, formatPercent } from "./format";

const FINISHED: ReadonlySet<ExperimentStatus> = new Set(["completed", "failed", "cancelled"]);

export function isExperimentFinished(experiment: Pick<Experiment, "status">): boolean {
  return FINISHED.has(experiment.status);
}

/** For the same experiment only a newer revision replaces the state kept. */
export function newerExperiment(current: Experiment | null | undefined, incoming: Experiment): Experiment {
  if (current === null || current === undefined || current.id !== incoming.id) return incoming;
  return incoming.revision >= current.revision ? incoming : current;
}

/** The list with `incoming` in it: replacing its older state, or first (newest first). */
export function upsertExperiment(list: readonly Experiment[], incoming: Experiment): Experiment[] {
  const index = list.findIndex((experiment) => experiment.id === incoming.id);
  if (index < 0) return [incoming, ...list];
  const next = [...list];
  next[index] = newerExperiment(list[index], incoming);
  return next;
}

/** A fetched list (its order), each experiment at the newest state known. */
export function mergeExperimentList(current: readonly Experiment[], fetched: readonly Experiment[]): Experiment[] {
  const known = new Map(current.map((experiment) => [experiment.id, experiment]));
  return fetched.map((experiment) => newerExperiment(known.get(experiment.id), experiment));
}

export function scorerNames(experiment: Pick<Experiment, "scorers">): string[] {
  return experiment.scorers.map((scorer) => scorer.name);
}

export interface HeadlineMetric {
  name: string;
  value: number | null;
  interval: MetricInterval | null;
}

/** The experiment's first scorer with a value (its first scorer when none has one yet). */
export function mainMetric(experiment: Pick<Experiment, "scorers" | "summary">): HeadlineMetric | null {
  const metrics = experiment.summary?.metrics ?? {};
  const intervals = experiment.summary?.intervals ?? {};
  const names = scorerNames(experiment);
  const name = names.find((n) => metrics[n] !== null && metrics[n] !== undefined) ?? names[0];
  if (name === undefined) return null;
  return { name, value: metrics[name] ?? null, interval: intervals[name] ?? null };
}

/** What a progress bar shows: how full (0..1), and its caption. */
export interface ExperimentProgressView {
  fraction: number;
  caption: string;
}

export function experimentProgress(experiment: Experiment): ExperimentProgressView {
  const progress = experiment.progress;
  const done = progress?.done ?? experiment.done;
  const total = progress?.total ?? experiment.total;
  const failed = progress?.failed ?? experiment.failed;
  if (experiment.status === "queued" && done === 0) {
    return { fraction: 0, caption: `Queued · ${formatCount(total)} rows` };
  }
  const parts = [`${formatCount(done)}/${formatCount(total)} rows`];
  if (failed > 0) parts.push(`${formatCount(failed)} failed`);
  if (progress !== null && progress.running > 0 && !isExperimentFinished(experiment)) {
    parts.push(`${formatCount(progress.running)} running`);
  }
  for (const name of scorerNames(experiment)) {
    const value = experiment.summary?.metrics?.[name];
    if (value !== null && value !== undefined) parts.push(`${name} ${formatPercent(value)}`);
  }
  if (progress !== null) {
    if (isExperimentFinished(experiment)) parts.push(`took ${formatDuration(progress.elapsed_s)}`);
    else if (progress.eta_s !== null) parts.push(`ETA ${formatDuration(progress.eta_s)}`);
  }
  const fraction = experiment.status === "completed" ? 1 : total > 0 ? Math.min(1, done / total) : 0;
  return { fraction, caption: parts.join(" · ") };
}

export function experimentSocketUrl(experiment: number, location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/experiments/${experiment}/`;
}

/** Why the ticked experiments cannot be compared, or null when they can. */
export function compareBlocker(picked: readonly Experiment[]): string | null {
  if (picked.length < 2) return "Tick two or more experiments to compare them.";
  const datasets = new Set(picked.map((experiment) => experiment.dataset.id));
  if (datasets.size > 1) return "Compare experiments on the same dataset: rows are paired by their index.";
  if (picked.some((experiment) => experiment.status !== "completed")) return "Only completed experiments can be compared.";
  return null;
}

/** The metrics the Pareto plot can rank by: the scorers of the dataset's experiments, the
 *  common defaults first. */
export function paretoMetrics(experiments: readonly Experiment[], dataset: number): string[] {
  const names = new Set<string>();
  for (const experiment of experiments) {
    if (experiment.dataset.id === dataset) for (const name of scorerNames(experiment)) names.add(name);
  }
  const preferred = ["choice", "route", "exact"];
  return [...names].sort((a, b) => rank(a, preferred) - rank(b, preferred) || a.localeCompare(b));
}

function rank(name: string, preferred: readonly string[]): number {
  const index = preferred.indexOf(name);
  return index < 0 ? preferred.length : index;
}
