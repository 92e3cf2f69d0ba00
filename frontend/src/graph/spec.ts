/**
 * The graph spec as stored by the API and run by the engine (graphs/spec.py), typed per node
 * kind. Config keys mirror the dataclasses in graphs/nodes/*.py; every key the server gives a
 * default for is optional here, so a spec round-trips without gaining keys it did not have.
 */

export const SPEC_VERSION = 1;

export interface Position {
  x: number;
  y: number;
}

/** Shared by every kind that calls a model (graphs/nodes/execution.py). */
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

/** Defaults the server applies when a key is absent, shown as placeholders in the inspector. */
export const MODEL_DEFAULTS = { temperature: 0.7, top_p: 0.95, max_tokens: 256 } as const;
export const ROUTER_DEFAULTS = { mode: "in-context", rewrite_tokens: 192 } as const;
export const EXECUTION_DEFAULTS = { timeout_s: 300, retries: 2 } as const;
export const CLIP_DEFAULTS = { prompt: "a photo of {label}", top_k: 3, image: 0, max_labels: 64 } as const;
/** The catalog's built-in CLIP model (workers/catalog.py). */
export const DEFAULT_CLIP_MODEL = "clip-vit-b-32";
export const TOOL_DEFAULTS = {
  timeout_s: 30,
  max_timeout_s: 120,
  retries: 0,
  method: "POST",
  max_response_chars: 4000,
} as const;

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

export type NodeKind = SpecNode["kind"];
export const NODE_KINDS: readonly NodeKind[] = ["input", "clip", "router", "model", "tool", "output"];

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

/** What graphs/nodes/base.py says about each kind's ports (`maxInputs`: NodeKind.max_inputs,
 *  where a kind that takes input has a limit). */
export const KIND_PORTS: Record<NodeKind, { takesInput: boolean; givesOutput: boolean; maxInputs?: number }> = {
  input: { takesInput: false, givesOutput: true },
  clip: { takesInput: true, givesOutput: true, maxInputs: 1 },
  router: { takesInput: true, givesOutput: true },
  model: { takesInput: true, givesOutput: true },
  tool: { takesInput: true, givesOutput: true, maxInputs: 1 },
  output: { takesInput: true, givesOutput: false },
};

export const KIND_SUMMARY: Record<NodeKind, string> = {
  input: "The user's query: where every run starts.",
  clip: "Classifies the run's image zero-shot with CLIP; passes the ranking on as text.",
  router: "Sends the query down exactly one outgoing edge.",
  model: "A worker model; with two or more model inputs it aggregates them (MoA).",
  tool: "Calls a function (built-in or webhook) with the arguments a router generated.",
  output: "The run's answer.",
};

/** A fresh config for a node dropped from the palette; models need a catalog key. */
export function defaultConfig<K extends NodeKind>(kind: K, model: string): ConfigOf<K>;
export function defaultConfig(kind: NodeKind, model: string): ConfigOf<NodeKind> {
  switch (kind) {
    case "router":
      return { model, mode: "in-context" };
    case "model":
      return { model, system: "" };
    case "tool":
      return { function: "calculator" };
    case "clip":
      return { model: DEFAULT_CLIP_MODEL, labels: ["a photo", "a screenshot", "a document"] };
    case "input":
    case "output":
      return {};
  }
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
