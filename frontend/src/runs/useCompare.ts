import { useEffect, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { RunView } from "./runState";
import { applyEvents, emptyView } from "./runState";

export interface ComparedRun {
  run: number;
  view: RunView;
}

/** The two runs ticked for comparison, each folded from its stored trace. */
export function useCompare(picked: readonly number[], nodeIds: readonly string[], onError: (message: string) => void) {
  const [compared, setCompared] = useState<[ComparedRun, ComparedRun] | null>(null);
  // The older run on the left, whichever was ticked first.
  const [first, second] = [...picked].sort((a, b) => a - b);

  useEffect(() => {
    if (first === undefined || second === undefined) return;
    let current = true;
    void Promise.all([api.trace(first), api.trace(second)]).then(([a, b]) => {
      if (!current) return;
      if (!a.ok) return onError(errorText(a.error));
      if (!b.ok) return onError(errorText(b.error));
      setCompared([
        { run: first, view: applyEvents(emptyView(nodeIds), a.value) },
        { run: second, view: applyEvents(emptyView(nodeIds), b.value) },
      ]);
    });
    return () => {
      current = false;
    };
  }, [first, second, nodeIds, onError]);

  // Until the newly ticked pair has loaded, nothing rather than the previous pair.
  return compared !== null && compared[0].run === first && compared[1].run === second ? compared : null;
}
