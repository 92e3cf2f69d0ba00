/** Run events as the server sends them (graphs/events.py; one schema for the socket and the trace). */

export interface Candidate {
  edge: string;
  target: string;
  token: number;
  description: string;
  /** The decision: the text's and the image's probabilities combined (image-aware routers). */
  probability: number;
  /** Image-aware routers only; null where that part was not computed. */
  text_probability?: number | null;
  image_probability?: number | null;
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
  /** Image-aware routers only: the image's share of the decision (0 when the run had no image)
   *  and the image it looked at. */
  image_weight?: number;
  image?: RunImageSummary | null;
}

/** One zero-shot label of a `clip.result`, best first. */
export interface ClipLabel {
  label: string;
  probability: number;
  similarity: number;
}

/** `clip.result` (graphs/nodes/clip.py): every label ranked, the best one, the image seen. */
export interface ClipResultData {
  model: string;
  image: RunImageSummary;
  labels: ClipLabel[];
  top: string;
  duration_ms: number;
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

/** `node.waiting` (webapp/runs/sweeper.py `_node_waiting`): the node's task sits in a queue that
 *  no live worker serves; the run fails if none comes within `timeout_s`. */
export interface WaitingData {
  reason: string;
  model: string;
  queue: string;
  timeout_s: number;
}

/** `model.loading` (graphs/model_loading.py): the node's model host converts or loads its model
 *  (its first use in that process); `progress` is the fraction of the stage done, null when the
 *  host does not know it. Repeated as the load moves on. */
export interface LoadingData {
  model: string;
  stage: "converting" | "loading";
  progress: number | null;
}

/** `model.loaded`: the load ended after `seconds`; the node's tokens follow. */
export interface LoadedData {
  model: string;
  seconds: number;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** `node.request` (graphs/nodes/generation.py): exactly what a hosted node sent to its model,
 *  once per call, before it. `generate` adds `params` and `prefix`; `score` the candidate
 *  letters; `route` the functional-token indices; `similarity` has no messages but the `query`
 *  and each candidate's texts. */
export interface RequestData {
  call: "generate" | "score" | "route" | "similarity";
  model: string;
  adapter: string | null;
  messages: ChatMessage[];
  params?: { temperature: number; top_p: number; max_tokens: number; stop: string[]; seed: number | null };
  prefix?: string;
  candidates?: string[] | string[][];
  tokens?: number[];
  query?: string;
}

export type FinishReason = "eos" | "length" | "stop";

export interface CompletedData {
  output: string;
  tokens_in: number;
  tokens_out: number;
  latency_ms: number;
  attempts: number;
  /** Generating nodes only: why the generation ended (null: the host could not tell), the time
   *  to its first token and its duration, as the node saw them. */
  finish_reason?: FinishReason | null;
  ttft_ms?: number | null;
  duration_ms?: number;
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
  | EventBase<"node.waiting", WaitingData>
  | EventBase<"model.loading", LoadingData>
  | EventBase<"model.loaded", LoadedData>
  | EventBase<"node.request", RequestData>
  | EventBase<"node.delta", { text: string }>
  | EventBase<"router.decision", DecisionData>
  | EventBase<"tool.call", ToolCallData>
  | EventBase<"tool.result", ToolResultData>
  | EventBase<"clip.result", ClipResultData>
  | EventBase<"layer.completed", { layer: number; answers: LayerAnswer[] }>
  | EventBase<"node.completed", CompletedData>
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
    case "node.waiting":
      return `${node} is ${formatWaiting(event.data)}`;
    case "model.loading":
      return `${node} is ${formatLoading(event.data)}`;
    case "model.loaded":
      return `${node} loaded model ${event.data.model} in ${event.data.seconds.toFixed(1)} s`;
    case "node.request":
      return `${node} sent ${event.data.messages.length} message(s) to ${event.data.model} (${event.data.call})`;
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
    case "clip.result":
      return `${node} sees ${formatClipLabels(event.data.labels, 3)}`;
    case "layer.completed":
      return `layer ${event.data.layer} completed with ${event.data.answers.length} answer(s)`;
    case "node.completed":
      return `${node} completed in ${Math.round(event.data.latency_ms)} ms${
        event.data.finish_reason ? ` (${event.data.finish_reason})` : ""
      }`;
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
    default:
      // A type this build does not know (a newer server's trace): its name says enough.
      return `${node} ${(event as { type: string }).type}`.trim();
  }
}

/** `5 tokens in, 12 out · eos · first token 40 ms · 310 ms`: a completed generation, the parts
 *  the node reported. */
export function formatGeneration(data: CompletedData): string {
  const parts = [`${data.tokens_in} tokens in, ${data.tokens_out} out`];
  if (data.finish_reason) parts.push(data.finish_reason);
  if (data.ttft_ms !== undefined && data.ttft_ms !== null) parts.push(`first token ${Math.round(data.ttft_ms)} ms`);
  if (data.duration_ms !== undefined) parts.push(`${Math.round(data.duration_ms)} ms`);
  return parts.join(" · ");
}

/** `waiting for a worker for model 'm' (queue model.m); the run fails after 120 s without one`. */
export function formatWaiting(waiting: WaitingData): string {
  return `${waiting.reason}; the run fails after ${waiting.timeout_s} s without one`;
}

/** `loading model smollm2-135m-instruct… 50%` (`converting model …` while converting; no
 *  percentage when the host does not know it). */
export function formatLoading(loading: LoadingData): string {
  const verb = loading.stage === "converting" ? "converting" : "loading";
  const progress = loading.progress === null ? "" : ` ${Math.round(loading.progress * 100)}%`;
  return `${verb} model ${loading.model}…${progress}`;
}

export function formatProbability(p: number | undefined): string {
  return p === undefined ? "—" : `${(p * 100).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)}%`;
}

/** `a plant 81%, a receipt 7%`: the first `count` labels (they come best first). */
export function formatClipLabels(labels: readonly ClipLabel[], count: number): string {
  return labels
    .slice(0, count)
    .map((item) => `${item.label} ${formatProbability(item.probability)}`)
    .join(", ");
}

/** `text 10% · image 95%` for an image-aware router's candidate; null for a text-only one. */
export function formatDecisionParts(candidate: Candidate): string | null {
  if (candidate.text_probability === undefined && candidate.image_probability === undefined) return null;
  const part = (name: string, p: number | null | undefined) => (p === null || p === undefined ? `${name} —` : `${name} ${formatProbability(p)}`);
  return `${part("text", candidate.text_probability)} · ${part("image", candidate.image_probability)}`;
}

/** `convert_units(value=26.2, from_unit="miles")`; the raw text when the arguments did not fit. */
export function formatToolCall(call: ToolCallData): string {
  if (call.arguments === null) return `${call.name}(${call.raw})`;
  const parts = Object.entries(call.arguments).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `${call.name}(${parts.join(", ")})`;
}
