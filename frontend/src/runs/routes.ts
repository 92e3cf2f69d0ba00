/** What the shown run says about one node or edge, read as narrow store slices. */
import { useMemo } from "react";

import { useEditor } from "../store/editor";
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

/** A node's title as the canvas shows it: its label, else its id. */
export function useNodeTitle(id: string): string {
  return useEditor((s) => s.nodes.find((node) => node.id === id)?.data.label) ?? id;
}

/** Every node's title by id. The store is read as one string, so dragging nodes (new node
 *  objects, same titles) does not re-render the reader. */
export function useNodeTitles(): ReadonlyMap<string, string> {
  const key = useEditor((s) => JSON.stringify(s.nodes.map((node) => [node.id, node.data.label ?? node.id])));
  return useMemo(() => new Map(JSON.parse(key) as [string, string][]), [key]);
}

/** One candidate of a decision, as the run panel's decision list shows it. */
export interface DecisionRow {
  edge: string;
  target: string;
  /** The target node's title (`titleOf`). */
  title: string;
  token: number;
  probability: number;
  chosen: boolean;
  parts: string | null;
}

/** Every candidate of `decision`, most probable first (ties in token order), each named by
 *  `titleOf(target)`; exactly the chosen edge's row has `chosen`. */
export function decisionRows(decision: DecisionData, titleOf: (node: string) => string): DecisionRow[] {
  return decision.candidates
    .map((candidate) => ({
      edge: candidate.edge,
      target: candidate.target,
      title: titleOf(candidate.target),
      token: candidate.token,
      probability: candidate.probability,
      chosen: candidate.edge === decision.edge,
      parts: formatDecisionParts(candidate),
    }))
    .sort((a, b) => b.probability - a.probability || a.token - b.token);
}
