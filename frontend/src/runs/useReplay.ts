import { useCallback, useEffect, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { RunEvent } from "./events";
import { applyEvents, emptyView } from "./runState";
import { useRunStore } from "./store";

interface Replay {
  run: number;
  events: RunEvent[];
  step: number;
}

/** A stored trace opened for replay: fetches it, then draws the fold of its first `step`
 *  events on the canvas. Opens at the end, so the whole run is shown first. */
export function useReplay(nodeIds: readonly string[], onError: (message: string) => void) {
  const [replay, setReplay] = useState<Replay | null>(null);

  const open = useCallback(
    async (run: number) => {
      const trace = await api.trace(run);
      if (!trace.ok) {
        onError(errorText(trace.error));
        return;
      }
      setReplay({ run, events: trace.value, step: trace.value.length });
    },
    [onError],
  );

  useEffect(() => {
    if (replay === null) return;
    const view = applyEvents(emptyView(nodeIds), replay.events.slice(0, replay.step));
    useRunStore.getState().showReplay(replay.run, view);
  }, [replay, nodeIds]);

  const step = (to: number) =>
    setReplay((current) => (current === null ? null : { ...current, step: Math.max(0, Math.min(current.events.length, to)) }));

  const close = () => {
    setReplay(null);
    useRunStore.getState().clear();
  };

  return { replay, open, step, close };
}
