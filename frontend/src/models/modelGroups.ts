/** Grouping and status wording of the catalog's models, shared by the Models page and the
 *  inspector's model selects. Pure functions: no React, no fetching. */
import type { CatalogModel } from "../api/types";

export interface ModelGroup {
  /** "Built-in", or "<team name> endpoints". */
  label: string;
  models: CatalogModel[];
}

/** Built-in models first (as the server lists them), then one group per team that registered
 *  endpoints, teams by name, each team's models in the server's order. Empty groups are left
 *  out. */
export function groupModels(models: readonly CatalogModel[]): ModelGroup[] {
  const builtin = models.filter((model) => model.team === null);
  const byTeam = new Map<number, ModelGroup>();
  for (const model of models) {
    if (model.team === null) continue;
    const group = byTeam.get(model.team) ?? { label: `${model.team_name ?? `Team ${model.team}`} endpoints`, models: [] };
    group.models.push(model);
    byTeam.set(model.team, group);
  }
  const teams = [...byTeam.values()].sort((a, b) => a.label.localeCompare(b.label));
  return builtin.length > 0 ? [{ label: "Built-in", models: builtin }, ...teams] : teams;
}

/** Whether a worker serves the model's queue now, and what waits there, in words. */
export function servingStatus(model: Pick<CatalogModel, "served" | "waiting">): string {
  if (model.served === null) return "unknown (queue status unavailable)";
  const waiting = model.waiting === null || model.waiting === 0 ? "" : `, ${model.waiting} waiting`;
  return `${model.served ? "served now" : "no worker"}${waiting}`;
}

/** Chat models (not CLIP) that a graph of `team` may use: built-in ones and the team's own. */
export function chatModelsOfTeam(models: readonly CatalogModel[], team: number): CatalogModel[] {
  return models.filter((model) => model.kind !== "clip" && (model.team === null || model.team === team));
}
