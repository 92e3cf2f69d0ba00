/** Pure helpers for CLIP models and clip nodes in the editor: the labels text area and which catalog models are CLIP. */
import type { CatalogModel } from "../api/types";

/** One label per line; blank lines and surrounding spaces dropped. */
export function parseLabels(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The labels as the text area shows them: one per line. */
export function labelsText(labels: readonly string[]): string {
  return labels.join("\n");
}

/** What the labels text area shows: what was typed while it still says `labels` (so a new,
 *  empty line survives), else `labels` (they changed elsewhere: undo, paste, another node). */
export function labelsDraft(typed: string, labels: readonly string[]): string {
  return labelsText(parseLabels(typed)) === labelsText(labels) ? typed : labelsText(labels);
}

/** Labels the server will refuse (graphs/nodes/clip.py): too few, too many, or repeated. */
export function labelProblems(labels: readonly string[], maxLabels: number): string[] {
  const problems: string[] = [];
  if (labels.length < 2) problems.push("needs at least 2 labels");
  if (labels.length > maxLabels) problems.push(`takes at most ${maxLabels} labels`);
  const repeated = labels.filter((label, index) => labels.indexOf(label) !== index);
  if (repeated.length > 0) problems.push(`repeats ${[...new Set(repeated)].map((l) => `“${l}”`).join(", ")}`);
  return problems;
}

/** CLIP models for clip nodes and a router's image model; the others for text. */
export function splitModels(models: readonly CatalogModel[]): { clip: CatalogModel[]; text: CatalogModel[] } {
  return {
    clip: models.filter((model) => model.kind === "clip"),
    text: models.filter((model) => model.kind !== "clip"),
  };
}
