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
  const data = node.label === undefined ? {} : { label: node.label };
  // Each branch keeps the kind/config pairing, which a generic spread would lose.
  switch (node.kind) {
    case "input":
      return { id: node.id, type: "input", position, data: { ...data, config: node.config } };
    case "router":
      return { id: node.id, type: "router", position, data: { ...data, config: node.config } };
    case "model":
      return { id: node.id, type: "model", position, data: { ...data, config: node.config } };
    case "tool":
      return { id: node.id, type: "tool", position, data: { ...data, config: node.config } };
    case "clip":
      return { id: node.id, type: "clip", position, data: { ...data, config: node.config } };
    case "output":
      return { id: node.id, type: "output", position, data: { ...data, config: node.config } };
  }
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
  switch (node.type) {
    case "input":
      return { id: node.id, kind: "input", position, config: node.data.config, ...label };
    case "router":
      return { id: node.id, kind: "router", position, config: node.data.config, ...label };
    case "model":
      return { id: node.id, kind: "model", position, config: node.data.config, ...label };
    case "tool":
      return { id: node.id, kind: "tool", position, config: node.data.config, ...label };
    case "clip":
      return { id: node.id, kind: "clip", position, config: node.data.config, ...label };
    case "output":
      return { id: node.id, kind: "output", position, config: node.data.config, ...label };
  }
}

function toSpecEdge(edge: FlowEdge): SpecEdge {
  const spec: SpecEdge = { id: edge.id, source: edge.source, target: edge.target };
  if (edge.data !== undefined && Object.keys(edge.data).length > 0) spec.data = edge.data;
  return spec;
}
