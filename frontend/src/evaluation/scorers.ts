/**
 * Which scorers the start form offers and ticks: the dataset's defaults (as the server's
 * `default_scorers`), why a scorer cannot apply to a dataset, whether a run can stop once its
 * routers decide, and a scorer's options typed as the CLI writes them ("tolerance=0.01").
 */
import type { ScorerInfo } from "../api/types";

/** Every row has these, so a scorer needing them fits any dataset. */
const ALWAYS_PRESENT = new Set(["input"]);

/** route when rows have `route`, choice when they have `answer`, exact when `expected`
 *  (graphs/evaluation/scorers.py default_scorers). */
export function defaultScorers(fields: readonly string[]): string[] {
  const has = new Set(fields);
  const chosen: string[] = [];
  if (has.has("route")) chosen.push("route");
  if (has.has("answer")) chosen.push("choice");
  if (has.has("expected")) chosen.push("exact");
  return chosen;
}

/** The fields `scorer` reads that the dataset lacks. */
export function missingFields(scorer: ScorerInfo, fields: readonly string[]): string[] {
  const has = new Set(fields);
  return scorer.needs.filter((field) => !ALWAYS_PRESENT.has(field) && !has.has(field)).sort();
}

/** Why `scorer` cannot score this dataset's rows here, or null when it can. */
export function scorerBlocker(scorer: ScorerInfo, fields: readonly string[], datasetName: string): string | null {
  if (scorer.supported === false) return `${scorer.name} cannot run in the web app yet (the CLI runs it).`;
  const missing = missingFields(scorer, fields);
  if (missing.length === 0) return null;
  const names = missing.map((field) => `"${field}"`).join(" and ");
  return `Needs the row field${missing.length > 1 ? "s" : ""} ${names}, which ${datasetName} lacks.`;
}

/** The checkbox's tooltip: what the scorer does, or why it is disabled. */
export function scorerTitle(scorer: ScorerInfo, fields: readonly string[], datasetName: string): string {
  return scorerBlocker(scorer, fields, datasetName) ?? scorer.description;
}

/** The scorers that can score this dataset's rows. */
export function usableScorers(fields: readonly string[], scorers: readonly ScorerInfo[]): Set<string> {
  return new Set(scorers.filter((scorer) => scorerBlocker(scorer, fields, "") === null).map((scorer) => scorer.name));
}

/** The defaults the dataset allows among the scorers the server can run. */
export function initialScorers(fields: readonly string[], scorers: readonly ScorerInfo[]): string[] {
  const usable = usableScorers(fields, scorers);
  return defaultScorers(fields).filter((name) => usable.has(name));
}

/** "Routing only" defaults on when every ticked scorer needs only routing decisions. */
export function routingOnlyDefault(ticked: readonly string[], scorers: readonly ScorerInfo[]): boolean {
  if (ticked.length === 0) return false;
  const byName = new Map(scorers.map((scorer) => [scorer.name, scorer]));
  return ticked.every((name) => byName.get(name)?.routing_only === true);
}

export type ScorerOptions = Record<string, string | number | boolean>;

/** Options whose value is a name, kept as text even when it looks like a number. */
const TEXT_OPTIONS = new Set(["model", "field", "flags"]);

/** "tolerance=0.01, relative=0", "field=a.b" or "model=smollm2-135m-instruct" -> options; numbers
 *  and true/false typed (except the values of names: model, field, flags). */
export function parseScorerOptions(text: string): { ok: true; options: ScorerOptions } | { ok: false; error: string } {
  const options: ScorerOptions = {};
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const equals = item.indexOf("=");
    if (equals <= 0) return { ok: false, error: `"${item}" is not key=value` };
    const key = item.slice(0, equals).trim();
    const raw = item.slice(equals + 1).trim();
    if (TEXT_OPTIONS.has(key)) options[key] = raw;
    else options[key] = raw === "true" ? true : raw === "false" ? false : raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return { ok: true, options };
}

/** What the experiment's `scorers` list carries for one scorer: its name, or {name, ...options}. */
export function scorerPayload(name: string, options: ScorerOptions): string | ({ name: string } & ScorerOptions) {
  return Object.keys(options).length === 0 ? name : { ...options, name };
}

/** The options input's placeholder: what a scorer takes (graphs/evaluation/scorers.py ScorerSpec). */
export function optionsHint(name: string): string {
  switch (name) {
    case "numeric":
      return "tolerance=0.01, relative=0";
    case "regex":
      return "flags=i (expected is the pattern)";
    case "json_field":
      return "field=a.b";
    case "judge":
      return "model=<catalog key>";
    default:
      return "options: key=value, …";
  }
}
