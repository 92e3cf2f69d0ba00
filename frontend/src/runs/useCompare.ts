import { useEffect, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { RunSummary } from "../api/types";
import { describeDiff } from "../graph/diff";
import type { RunView } from "./runState";
import { applyEvents, emptyView } from "./runState";

export interface ComparedRun {
  run: number;
  /** The graph version the run used. */
  version: number;
  view: RunView;
}

/** Two runs, the older on the left, and what changed in the graph between the versions they
 *  used (`describeDiff` lines, each field with its old and new values; empty for one version). */
export interface Comparison {
  left: ComparedRun;
  right: ComparedRun;
  changes: string[];
}

/** The two runs ticked for comparison (of `runs`, the graph's history), each folded from its
 *  stored trace, with the graph's changes between their versions; null until loaded. */
export function useCompare(
  graphId: number,
  picked: readonly number[],
  runs: readonly RunSummary[],
  nodeIds: readonly string[],
  onError: (message: string) => void,
): Comparison | null {
  const [compared, setCompared] = useState<Comparison | null>(null);
  // The older run on the left, whichever was ticked first.
  const [first, second] = [...picked].sort((a, b) => a - b);
  const firstVersion = runs.find((run) => run.id === first)?.version;
  const secondVersion = runs.find((run) => run.id === second)?.version;

  useEffect(() => {
    if (first === undefined || second === undefined) return;
    if (firstVersion === undefined || secondVersion === undefined) return;
    let current = true;
    const diff = firstVersion === secondVersion ? null : api.diff(graphId, firstVersion, secondVersion);
    void Promise.all([api.trace(first), api.trace(second), diff]).then(([a, b, changes]) => {
      if (!current) return;
      if (!a.ok) return onError(errorText(a.error));
      if (!b.ok) return onError(errorText(b.error));
      if (changes !== null && !changes.ok) return onError(errorText(changes.error));
      setCompared({
        left: { run: first, version: firstVersion, view: applyEvents(emptyView(nodeIds), a.value) },
        right: { run: second, version: secondVersion, view: applyEvents(emptyView(nodeIds), b.value) },
        changes: changes === null ? [] : describeDiff(changes.value),
      });
    });
    return () => {
      current = false;
    };
  }, [graphId, first, second, firstVersion, secondVersion, nodeIds, onError]);

  // Until the newly ticked pair has loaded, nothing rather than the previous pair.
  return compared !== null && compared.left.run === first && compared.right.run === second ? compared : null;
}
