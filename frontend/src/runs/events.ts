/** Run events as the server sends them (graphs/events.py; one schema for the socket and the trace). */

export interface Candidate {
  edge: string;
  target: string;
  token: number;
  description: string;
  probability: number;
}

export interface DecisionData {
  mode: string;
  edge: string;
  target: string;
  token: number;
  /** The query as rewritten for the chosen worker. */
  query: string;
  /** Probability per candidate target node. */
  scores: Record<string, number>;
  candidates: Candidate[];
}

export type ToolValue = string | number | boolean | null;

/** `tool.call` (graphs/nodes/tool.py): `arguments` are the values bound to the tool's schema,
 *  null when they did not fit it; `raw` is the text they were read from. */
export interface ToolCallData {
  name: string;
  backend: "builtin" | "webhook";
  raw: string;
  arguments: Record<string, ToolValue> | null;
}

/** One argument that did not fit the tool's schema. */
export interface ArgumentProblem {
  argument: string;
  expected: string;
  got: string;
}

/** `tool.result`: `result` (JSON) and `output` (its text) on success, else `error`. */
export interface ToolResultData {
  result?: unknown;
  output?: string;
  error?: string;
  problems?: ArgumentProblem[];
  duration_ms: number;
}

/** What events show of a run's image (graphs/images.py `RunImage.summary()`): its working copy. */
export interface RunImageSummary {
  media_type: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

export interface LayerAnswer {
  node: string;
  output: string;
}

interface EventBase<T extends string, D> {
  run: string;
  seq: number;
  ts: string;
  type: T;
  node: string | null;
  data: D;
}

export type RunEvent =
  | EventBase<"run.started", { input?: { text?: string; images?: RunImageSummary[] }; nodes?: number }>
  | EventBase<"node.started", { kind?: string; model?: string; layer?: number }>
  | EventBase<"node.delta", { text: string }>
  | EventBase<"router.decision", DecisionData>
  | EventBase<"tool.call", ToolCallData>
  | EventBase<"tool.result", ToolResultData>
  | EventBase<"layer.completed", { layer: number; answers: LayerAnswer[] }>
  | EventBase<
      "node.completed",
      { output: string; tokens_in: number; tokens_out: number; latency_ms: number; attempts: number }
    >
  | EventBase<"node.skipped", { reason: string }>
  | EventBase<"node.failed", { error: string; code?: string }>
  | EventBase<"run.completed", { output: string; tokens_in: number; tokens_out: number }>
  | EventBase<"run.failed", { error: string }>
  | EventBase<"run.cancelled", { reason?: string }>;

export type EventType = RunEvent["type"];

export const TERMINAL_TYPES: ReadonlySet<EventType> = new Set(["run.completed", "run.failed", "run.cancelled"]);

/** One line describing an event, for the replay's step list. */
export function describeEvent(event: RunEvent): string {
  const node = event.node ?? "";
  switch (event.type) {
    case "run.started":
      return "run started";
    case "node.started":
      return `${node} started`;
    case "node.delta":
      return `${node} streamed “${event.data.text}”`;
    case "router.decision":
      return `${node} chose ${event.data.target} (${formatProbability(event.data.scores[event.data.target])})`;
    case "tool.call":
      return `${node} called ${formatToolCall(event.data)}`;
    case "tool.result":
      return event.data.error !== undefined
        ? `${node} failed to call: ${event.data.error}`
        : `${node} returned ${event.data.output ?? ""}`;
    case "layer.completed":
      return `layer ${event.data.layer} completed with ${event.data.answers.length} answer(s)`;
    case "node.completed":
      return `${node} completed in ${Math.round(event.data.latency_ms)} ms`;
    case "node.skipped":
      return `${node} skipped: ${event.data.reason}`;
    case "node.failed":
      return `${node} failed: ${event.data.error}`;
    case "run.completed":
      return "run completed";
    case "run.failed":
      return `run failed: ${event.data.error}`;
    case "run.cancelled":
      return "run cancelled";
  }
}

export function formatProbability(p: number | undefined): string {
  return p === undefined ? "—" : `${(p * 100).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)}%`;
}

/** `convert_units(value=26.2, from_unit="miles")`; the raw text when the arguments did not fit. */
export function formatToolCall(call: ToolCallData): string {
  if (call.arguments === null) return `${call.name}(${call.raw})`;
  const parts = Object.entries(call.arguments).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `${call.name}(${parts.join(", ")})`;
}
