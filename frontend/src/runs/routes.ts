/** What the shown run says about one node or edge, read as narrow store slices. */
import type { DecisionData } from "./events";
import { formatDecisionParts } from "./events";
import { useRunStore } from "./store";

export function useNodeRunStatus(id: string) {
  return useRunStore((s) => s.view?.nodes[id]?.status);
}

export interface EdgeRoute {
  chosen: boolean;
  probability: number | undefined;
  /** An image-aware router's parts (`text 10% · image 95%`), else null. */
  parts: string | null;
}

/** The router decision as it concerns one edge: chosen or not, its probability and its parts. */
export function routeOf(decision: DecisionData, edge: string, target: string): EdgeRoute {
  const candidate = decision.candidates.find((c) => c.edge === edge);
  return {
    chosen: decision.edge === edge,
    probability: candidate?.probability ?? decision.scores[target],
    parts: candidate === undefined ? null : formatDecisionParts(candidate),
  };
}

export function useEdgeRoute(source: string, edge: string, target: string): EdgeRoute | null {
  const decision = useRunStore((s) => s.view?.decisions[source]);
  return decision === undefined ? null : routeOf(decision, edge, target);
}
