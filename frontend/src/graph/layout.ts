/**
 * Auto-layout by depth, as graphs/templates/builder.py lays out templates: left to right, one
 * column per longest-path depth from the sources, each column centred vertically.
 */
import type { GraphEdge, GraphNode } from "./flow";
import type { Position } from "./spec";

export const COLUMN_WIDTH = 280;
export const ROW_HEIGHT = 140;

/** Depth of every node: 0 for nodes without predecessors, else 1 + the deepest predecessor.
 *  Nodes on or behind a cycle (which validation reports anyway) go one column past the rest. */
export function depths(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Map<string, number> {
  const ids = new Set(nodes.map((node) => node.id));
  const indegree = new Map(nodes.map((node) => [node.id, 0]));
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target)) continue;
    indegree.set(edge.target, (indegree.get(edge.target) ?? 0) + 1);
    next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  }
  const depth = new Map<string, number>();
  const queue = nodes.filter((node) => indegree.get(node.id) === 0).map((node) => node.id);
  for (const id of queue) depth.set(id, 0);
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head] as string;
    for (const succ of next.get(id) ?? []) {
      depth.set(succ, Math.max(depth.get(succ) ?? 0, (depth.get(id) ?? 0) + 1));
      const remaining = (indegree.get(succ) ?? 0) - 1;
      indegree.set(succ, remaining);
      if (remaining === 0) queue.push(succ);
    }
  }
  const placed = new Set(queue);
  const deepest = Math.max(-1, ...queue.map((id) => depth.get(id) ?? 0));
  for (const node of nodes) if (!placed.has(node.id)) depth.set(node.id, deepest + 1);
  return depth;
}

/** New positions for every node, keeping the spec's order within each column. */
export function layoutByDepth(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
): Map<string, Position> {
  const depth = depths(nodes, edges);
  const columns = new Map<number, string[]>();
  for (const node of nodes) {
    const d = depth.get(node.id) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), node.id]);
  }
  const positions = new Map<string, Position>();
  for (const [d, column] of columns) {
    const offset = ((column.length - 1) * ROW_HEIGHT) / 2;
    column.forEach((id, row) => {
      positions.set(id, { x: d * COLUMN_WIDTH, y: row * ROW_HEIGHT - offset });
    });
  }
  return positions;
}
