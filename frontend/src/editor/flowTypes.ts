/**
 * React Flow's component maps, built once at module scope: React Flow re-creates every node or
 * edge when these objects change identity. The custom edge replaces the default type, so spec
 * edges need no `type`.
 */
import type { EdgeTypes, FitViewOptions, NodeTypes } from "@xyflow/react";

import type { FlowNode } from "../graph/flow";
import { ClipNode, InputNode, ModelNode, OutputNode, PluginNode, RouterNode, ToolNode } from "./nodes/KindNodes";
import { OctoEdge } from "./OctoEdge";

const builtinNodeTypes: NodeTypes = {
  input: InputNode,
  clip: ClipNode,
  router: RouterNode,
  model: ModelNode,
  tool: ToolNode,
  output: OutputNode,
};

const nodeTypesByKinds = new Map<string, NodeTypes>();

/** The component map for the kinds named in `kindNames` (space-separated, as served): the
 *  built-ins' own components, `PluginNode` for the others. One object per set of kinds, so its
 *  identity is stable across renders. */
export function nodeTypesFor(kindNames: string): NodeTypes {
  let types = nodeTypesByKinds.get(kindNames);
  if (types === undefined) {
    const plugins = kindNames.split(" ").filter((name) => name !== "" && !(name in builtinNodeTypes));
    types = { ...builtinNodeTypes, ...Object.fromEntries(plugins.map((name) => [name, PluginNode])) };
    nodeTypesByKinds.set(kindNames, types);
  }
  return types;
}

export const edgeTypes: EdgeTypes = { default: OctoEdge };

export const minimapColor = (node: FlowNode): string => `var(--kind-${node.type})`;

/** Framing a graph: some margin, and never magnified past 100% (a two-node graph would fill
 *  the screen). */
export const FIT_VIEW = { padding: 0.2, maxZoom: 1 } satisfies FitViewOptions;
