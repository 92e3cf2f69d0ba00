/**
 * The node kinds the server runs (GET /api/node-kinds/, graphs/nodes/describe.py), held once for
 * the whole editor: the palette, new nodes' configs, connection checks, node summaries and
 * generated inspector forms all read them here, so no fact about a kind is written twice.
 * `loadNodeKinds` (./loadNodeKinds.ts) fills the store when the editor opens; tests fill it with
 * the fixture generated from the registry (./fixtures/nodeKinds.json).
 */
import { create } from "zustand";

import type { JsonSchema, NodeKindInfo } from "../api/types";
import type { ConfigOf, NodeKind } from "./spec";

interface NodeKindsState {
  /** In the server's (the palette's) order; empty until loaded. */
  kinds: readonly NodeKindInfo[];
  byName: ReadonlyMap<string, NodeKindInfo>;
}

export const useNodeKinds = create<NodeKindsState>()(() => ({ kinds: [], byName: new Map() }));

export function setNodeKinds(kinds: readonly NodeKindInfo[]): void {
  useNodeKinds.setState({ kinds, byName: new Map(kinds.map((kind) => [kind.name, kind])) });
}

export function nodeKind(name: string): NodeKindInfo | undefined {
  return useNodeKinds.getState().byName.get(name);
}

/** Whether the server runs a kind of this name (a palette drop names one). */
export function isKnownKind(name: string): name is NodeKind {
  return useNodeKinds.getState().byName.has(name);
}

export interface KindPorts {
  takesInput: boolean;
  givesOutput: boolean;
  /** Incoming edges it takes at most; undefined: no limit. */
  maxInputs?: number;
}

/** A kind's ports; a kind the server does not list (yet) is drawn with both, and the server
 *  names what is wrong when the graph is saved. */
export function kindPorts(name: string): KindPorts {
  const ports = nodeKind(name)?.ports;
  if (ports === undefined) return { takesInput: true, givesOutput: true };
  const limit = ports.max_inputs === null ? {} : { maxInputs: ports.max_inputs };
  return { takesInput: ports.max_inputs !== 0, givesOutput: ports.outputs, ...limit };
}

/** What a node of the kind does, in one sentence. */
export function kindSummary(name: string): string {
  return nodeKind(name)?.summary ?? "";
}

/** The default the server applies to config key `key` when it is absent, if it is a number. */
export function numberDefault(kind: string, key: string): number | undefined {
  const value = nodeKind(kind)?.defaults[key];
  return typeof value === "number" ? value : undefined;
}

/** The default the server applies to config key `key` when it is absent, if it is a string. */
export function stringDefault(kind: string, key: string): string | undefined {
  const value = nodeKind(kind)?.defaults[key];
  return typeof value === "string" ? value : undefined;
}

/** A constant of the kind (`max_labels` of clip, …), if the server gives it as a number. */
export function numberFact(kind: string, key: string): number | undefined {
  const value = nodeKind(kind)?.facts[key];
  return typeof value === "number" ? value : undefined;
}

/** The config a node dropped from the palette starts with: the kind's `new_config`, with
 *  `model` set to the editor's default when the kind requires a model and names none. */
export function defaultConfig<K extends NodeKind>(kind: K, model: string): ConfigOf<K>;
export function defaultConfig(kind: NodeKind, model: string): ConfigOf<NodeKind> {
  const info = nodeKind(kind);
  const config = structuredClone(info?.new_config ?? {});
  const needsModel = info?.config_schema.required?.includes("model") ?? false;
  // The server's new_config fits the kind's config type: a Python test builds each one.
  return (needsModel && config.model === undefined ? { ...config, model } : config) as ConfigOf<NodeKind>;
}

/** The default of a nested config key, `["webhook", "method"]`, read from the kind's schema
 *  (through the object member of a nullable field). */
export function schemaDefault(kind: string, path: readonly string[]): unknown {
  let schema: JsonSchema | undefined = nodeKind(kind)?.config_schema;
  for (const key of path) {
    const object: JsonSchema | undefined = schema?.anyOf?.find((member) => member.type === "object") ?? schema;
    schema = object?.properties?.[key];
  }
  return schema?.default;
}
