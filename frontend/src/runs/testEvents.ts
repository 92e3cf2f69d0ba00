/** Run events and views as the run-state tests build them (imported by tests only). */
import type { RunEvent } from "./events";
import type { NodeRun, RunView } from "./runState";

/** The time `ms` milliseconds into the run. */
export const ts = (ms: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + ms).toISOString();

/** Event `seq` of run "1", `seq` ms into it, on `node` (the model node "m" unless given). */
export const event = (seq: number, rest: Pick<RunEvent, "type" | "data">, node: string | null = "m"): RunEvent =>
  ({ run: "1", seq, ts: ts(seq), node, ...rest }) as RunEvent;

/** The view's node `id`; throws if the view has none. */
export function node(view: RunView, id: string): NodeRun {
  const found = view.nodes[id];
  if (found === undefined) throw new Error(`no node ${id}`);
  return found;
}
