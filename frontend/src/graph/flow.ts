/**
 * Spec <-> React Flow. A flow node's `type` is its spec kind (so `nodeTypes` picks the component)
 * and its `data` holds exactly the spec's `config` and `label`: nothing else is stored there,
 * which keeps `flowToSpec(specToFlow(spec))` equal to `spec`. Highlights (diff, problems) are
 * added at render time, never written into the nodes.
 */
import type { Edge, Node } from "@xyflow/react";

import type { ConfigOf, EdgeData, GraphSpec, NodeKind, SpecEdge, SpecNode } from "./spec";
import { SPEC_VERSION } from "./spec";

export type NodeData<K extends NodeKind> = { config: ConfigOf<K>; label?: string };

/** One React Flow node per kind, discriminated on `type`. */
export type FlowNode = { [K in NodeKind]: Node<NodeData<K>, K> }[NodeKind];
export type FlowEdge = Edge<EdgeData>;

/** The minimal shapes the pure helpers need, so tests can build graphs without React Flow. */
export interface GraphNode {
  id: string;
  type: NodeKind;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  data?: EdgeData;
}

export function specToFlow(spec: GraphSpec): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return { nodes: spec.nodes.map(toFlowNode), edges: spec.edges.map(toFlowEdge) };
}

function toFlowNode(node: SpecNode): FlowNode {
  const position = node.position ?? { x: 0, y: 0 };
  const label = node.label === undefined ? {} : { label: node.label };
  // The kind/config pairing is the spec node's own; a plugin kind has no member of the union.
  return { id: node.id, type: node.kind, position, data: { ...label, config: node.config } } as FlowNode;
}

function toFlowEdge(edge: SpecEdge): FlowEdge {
  const flow: FlowEdge = { id: edge.id, source: edge.source, target: edge.target };
  if (edge.data !== undefined) flow.data = edge.data;
  return flow;
}

export function flowToSpec(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
  meta?: Record<string, unknown>,
): GraphSpec {
  const spec: GraphSpec = {
    spec: SPEC_VERSION,
    nodes: nodes.map(toSpecNode),
    edges: edges.map(toSpecEdge),
  };
  if (meta !== undefined && Object.keys(meta).length > 0) spec.meta = meta;
  return spec;
}

function toSpecNode(node: FlowNode): SpecNode {
  // Dragging yields sub-pixel positions; whole pixels keep saved specs and diffs readable.
  const position = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
  const label = node.data.label === undefined ? {} : { label: node.data.label };
  // As in toFlowNode: the pairing is the flow node's own, whatever its kind.
  return { id: node.id, kind: node.type, position, config: node.data.config, ...label } as SpecNode;
}

function toSpecEdge(edge: FlowEdge): SpecEdge {
  const spec: SpecEdge = { id: edge.id, source: edge.source, target: edge.target };
  if (edge.data !== undefined && Object.keys(edge.data).length > 0) spec.data = edge.data;
  return spec;
}
