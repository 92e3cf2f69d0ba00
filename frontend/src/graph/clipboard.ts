/**
 * Copy/paste of a selection: nodes plus the edges between them, pasted with fresh ids and an
 * offset so the copy is visible next to the original.
 */
import type { FlowEdge, FlowNode } from "./flow";
import { freshEdgeId, freshNodeId } from "./ids";

/** What Ctrl+C holds. */
export interface CopiedSelection {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export const PASTE_OFFSET = 40;

export function copySelection(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): CopiedSelection | null {
  const picked = nodes.filter((node) => node.selected === true);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((node) => node.id));
  return {
    nodes: picked,
    edges: edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
  };
}

/** The copied nodes and edges renamed to ids free in the graph, selected, and shifted. */
export function pasteSelection(
  copied: CopiedSelection,
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
): CopiedSelection {
  const takenNodes = new Set(nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  const pastedNodes = copied.nodes.map((node): FlowNode => {
    const id = freshNodeId(node.type, takenNodes);
    takenNodes.add(id);
    renamed.set(node.id, id);
    const position = { x: node.position.x + PASTE_OFFSET, y: node.position.y + PASTE_OFFSET };
    return { ...node, id, position, selected: true };
  });
  const takenEdges = new Set(edges.map((edge) => edge.id));
  const pastedEdges = copied.edges.map((edge): FlowEdge => {
    const source = renamed.get(edge.source) ?? edge.source;
    const target = renamed.get(edge.target) ?? edge.target;
    const id = freshEdgeId(source, target, takenEdges);
    takenEdges.add(id);
    return { ...edge, id, source, target, selected: false };
  });
  return { nodes: pastedNodes, edges: pastedEdges };
}
