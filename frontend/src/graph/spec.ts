/**
 * The graph spec as stored by the API and run by the engine (graphs/spec.py), typed per node
 * kind. Config keys mirror the dataclasses in graphs/nodes/*.py; every key the server gives a
 * default for is optional here, so a spec round-trips without gaining keys it did not have.
 * What the editor needs to know about each kind (ports, summary, defaults, config schema) comes
 * from the server instead (./nodeKinds.ts).
 */

export const SPEC_VERSION = 1;

export interface Position {
  x: number;
  y: number;
}

/** Shared by every kind that calls a model (graphs/nodes/attempt_config.py). */
export interface ExecutionSettings {
  timeout_s?: number;
  retries?: number;
}

export type InputConfig = Record<string, never>;
export type OutputConfig = Record<string, never>;

export type RouterMode = "in-context" | "functional-token" | "embedding";
export const ROUTER_MODES: readonly RouterMode[] = ["in-context", "functional-token", "embedding"];

export interface RouterConfig extends ExecutionSettings {
  model: string;
  adapter?: string | null;
  mode?: RouterMode;
  rewrite_tokens?: number;
  /** A CLIP catalog key: with `image_weight` > 0 the run's image is scored against each edge's
   *  description too (1: by the image alone). */
  image_model?: string | null;
  image_weight?: number;
}

/** graphs/nodes/clip.py ClipConfig: zero-shot `labels` of the run's image, each encoded as
 *  `prompt` with `{label}` filled in; the `top_k` best flow on as text. */
export interface ClipConfig extends ExecutionSettings {
  model: string;
  labels: string[];
  prompt?: string;
  top_k?: number;
  image?: number;
}

export interface ModelConfig extends ExecutionSettings {
  model: string;
  system?: string;
  adapter?: string | null;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number | null;
}

export type ToolArgumentType = "string" | "number" | "integer" | "boolean";
export const TOOL_ARGUMENT_TYPES: readonly ToolArgumentType[] = ["string", "number", "integer", "boolean"];

/** One argument of a webhook tool's schema (graphs/tools/schema.py ArgumentSpec). */
export interface ToolArgument {
  name: string;
  type?: ToolArgumentType;
  description?: string;
  required?: boolean;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export const HTTP_METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** graphs/tools/webhook.py WebhookConfig: header values are read from the server's environment
 *  variables named here, never stored in the spec. */
export interface WebhookConfig {
  url: string;
  method?: HttpMethod;
  headers_from_env?: Record<string, string>;
  max_response_chars?: number;
}

/** graphs/nodes/tool.py ToolConfig: a built-in `function`, or a webhook with its own schema. */
export interface ToolConfig extends ExecutionSettings {
  function: string;
  description?: string;
  arguments?: ToolArgument[];
  webhook?: WebhookConfig | null;
}

interface NodeBase {
  id: string;
  position?: Position;
  label?: string;
}

export type SpecNode =
  | (NodeBase & { kind: "input"; config: InputConfig })
  | (NodeBase & { kind: "clip"; config: ClipConfig })
  | (NodeBase & { kind: "router"; config: RouterConfig })
  | (NodeBase & { kind: "model"; config: ModelConfig })
  | (NodeBase & { kind: "tool"; config: ToolConfig })
  | (NodeBase & { kind: "output"; config: OutputConfig });

/** The built-in kinds, a discriminated union. A kind registered outside graphs/nodes/
 *  (OCTOGRAPH_EXTRA_NODE_KINDS) is known only from the server's list: its nodes go through the
 *  kind-agnostic paths (flow.ts, PluginNode, the generated inspector form), which treat its
 *  config as the JSON object its schema describes. */
export type NodeKind = SpecNode["kind"];

/** Config type of one kind: `ConfigOf<"router">` is `RouterConfig`. */
export type ConfigOf<K extends NodeKind> = Extract<SpecNode, { kind: K }>["config"];

/** Router edges carry the functional-token index, a description and optional example queries. */
export type EdgeData = {
  token?: number;
  description?: string;
  examples?: string[];
};

export interface SpecEdge {
  id: string;
  source: string;
  target: string;
  data?: EdgeData;
}

export interface GraphSpec {
  spec: number;
  nodes: SpecNode[];
  edges: SpecEdge[];
  meta?: Record<string, unknown>;
}

/** The smallest spec the server accepts: an input wired to an output. */
export function blankSpec(): GraphSpec {
  return {
    spec: SPEC_VERSION,
    nodes: [
      { id: "input", kind: "input", position: { x: 0, y: 0 }, config: {} },
      { id: "output", kind: "output", position: { x: 600, y: 0 }, config: {} },
    ],
    edges: [{ id: "input->output", source: "input", target: "output" }],
  };
}
