/**
 * The run drawn over the canvas: a live run as its events arrive, or a stored trace at the
 * replay's step. Kept apart from the editor's store so that a stream of tokens re-renders only
 * the nodes and edges it touches (each reads its own slice), never the editor's panels.
 */
import { create } from "zustand";

import type { RunEvent } from "./events";
import type { RunView } from "./runState";
import { applyEvent, emptyView } from "./runState";

export interface Shown {
  kind: "live" | "replay";
  run: number;
}

interface RunStore {
  shown: Shown | null;
  view: RunView | null;
  /** Start drawing a live run of a graph with these nodes, every one queued. */
  follow(run: number, nodeIds: readonly string[]): void;
  apply(event: RunEvent): void;
  /** Draw a replay's view (the fold of the trace up to the step being shown). */
  showReplay(run: number, view: RunView): void;
  clear(): void;
}

export const useRunStore = create<RunStore>()((set, get) => ({
  shown: null,
  view: null,

  follow(run, nodeIds) {
    set({ shown: { kind: "live", run }, view: emptyView(nodeIds) });
  },

  apply(event) {
    const { shown, view } = get();
    // A socket of a run no longer shown may deliver a last event while it closes.
    if (shown?.kind !== "live" || String(shown.run) !== event.run || view === null) return;
    const next = applyEvent(view, event);
    if (next !== view) set({ view: next });
  },

  showReplay(run, view) {
    set({ shown: { kind: "replay", run }, view });
  },

  clear() {
    set({ shown: null, view: null });
  },
}));
