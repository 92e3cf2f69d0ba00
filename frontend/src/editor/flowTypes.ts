/**
 * React Flow's component maps, built once at module scope: React Flow re-creates every node or
 * edge when these objects change identity. The custom edge replaces the default type, so spec
 * edges need no `type`.
 */
import type { EdgeTypes, FitViewOptions, NodeTypes } from "@xyflow/react";

import type { FlowNode } from "../graph/flow";
import { ClipNode, InputNode, ModelNode, OutputNode, RouterNode, ToolNode } from "./nodes/KindNodes";
import { OctoEdge } from "./OctoEdge";

export const nodeTypes: NodeTypes = {
  input: InputNode,
  clip: ClipNode,
  router: RouterNode,
  model: ModelNode,
  tool: ToolNode,
  output: OutputNode,
};

export const edgeTypes: EdgeTypes = { default: OctoEdge };

export const minimapColor = (node: FlowNode): string => `var(--kind-${node.type})`;

/** Framing a graph: some margin, and never magnified past 100% (a two-node graph would fill
 *  the screen). */
export const FIT_VIEW = { padding: 0.2, maxZoom: 1 } satisfies FitViewOptions;
