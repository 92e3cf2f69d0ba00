/**
 * A run's view state, folded from its events: what the canvas overlay and the run panel draw.
 * Pure and immutable, so a replay at step k is just the fold of the first k events, and live
 * events, reconnect replays and stored traces all go through the same `applyEvent`.
 */
import type {
  ClipResultData,
  CompletedData,
  DecisionData,
  LayerAnswer,
  LoadingData,
  RequestData,
  RunEvent,
  RunImageSummary,
  ToolCallData,
  ToolResultData,
  WaitingData,
} from "./events";
import { TERMINAL_TYPES } from "./events";

export type NodeStatus = "queued" | "running" | "done" | "skipped" | "failed";
export type RunStatus = "running" | "completed" | "failed" | "cancelled";

export interface NodeRun {
  status: NodeStatus;
  /** Tokens streamed so far (node.delta). */
  text: string;
  output: string | null;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number | null;
  attempts: number;
  /** Epoch milliseconds of the node's started and finishing events. */
  startedAt: number | null;
  finishedAt: number | null;
  /** Why it was skipped, or its error. */
  note: string | null;
  /** Set while its task waits for a worker (`node.waiting`): cleared by the node's next event
   *  (it produces or finishes) or the run's end. */
  waiting: WaitingData | null;
  /** Set while its model host converts or loads its model (`model.loading`, the latest one):
   *  cleared by the node's next other event (`model.loaded`, a token, its end) or the run's end. */
  loading: LoadingData | null;
  /** What it sent to its model (`node.request`), in call order (a retry adds its calls). */
  requests: RequestData[];
  /** Its `node.completed` data (finish reason, timings), null until it completes. */
  completed: CompletedData | null;
}

/** A tool node's latest call and its result (null until it comes). */
export interface ToolRun {
  call: ToolCallData;
  result: ToolResultData | null;
}

export interface Layer {
  layer: number;
  answers: LayerAnswer[];
}

/** Seqs that never arrived: token deltas of a stored trace, or ones whose stream expired. */
export interface Gap {
  from: number;
  to: number;
}

export interface RunView {
  status: RunStatus;
  /** The highest seq applied; events at or below it are duplicates and ignored. */
  lastSeq: number;
  gaps: Gap[];
  input: string | null;
  /** The images the run started with (their working copies; served by number from 1). */
  images: RunImageSummary[];
  nodes: Readonly<Record<string, NodeRun>>;
  /** Router decisions by router node id. */
  decisions: Readonly<Record<string, DecisionData>>;
  /** Tool calls by tool node id (a retried call replaces the previous attempt). */
  tools: Readonly<Record<string, ToolRun>>;
  /** What each clip node saw (a retried node replaces its previous result). */
  clips: Readonly<Record<string, ClipResultData>>;
  layers: Layer[];
  output: string | null;
  error: string | null;
  tokensIn: number;
  tokensOut: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Epoch milliseconds of the latest event: "now" as far as the view knows. */
  at: number | null;
}

const FRESH_NODE: NodeRun = {
  status: "queued",
  text: "",
  output: null,
  tokensIn: 0,
  tokensOut: 0,
  latencyMs: null,
  attempts: 0,
  startedAt: null,
  finishedAt: null,
  note: null,
  waiting: null,
  loading: null,
  requests: [],
  completed: null,
};

/** Before any event: every node of the graph queued. */
export function emptyView(nodeIds: readonly string[]): RunView {
  return {
    status: "running",
    lastSeq: 0,
    gaps: [],
    input: null,
    images: [],
    nodes: Object.fromEntries(nodeIds.map((id) => [id, FRESH_NODE])),
    decisions: {},
    tools: {},
    clips: {},
    layers: [],
    output: null,
    error: null,
    tokensIn: 0,
    tokensOut: 0,
    startedAt: null,
    finishedAt: null,
    at: null,
  };
}

export function isFinished(view: RunView): boolean {
  return view.status !== "running";
}

export function applyEvent(view: RunView, event: RunEvent): RunView {
  if (event.seq <= view.lastSeq) return view;
  const gaps = event.seq > view.lastSeq + 1 ? [...view.gaps, { from: view.lastSeq + 1, to: event.seq - 1 }] : view.gaps;
  const next = fold(stopLoading(stopWaiting({ ...view, lastSeq: event.seq, gaps, at: Date.parse(event.ts) }, event), event), event);
  return TERMINAL_TYPES.has(event.type) ? settleNodes(next) : next;
}

/** A node that was waiting for a worker got one as soon as any other event of it comes. */
function stopWaiting(view: RunView, event: RunEvent): RunView {
  if (event.type === "node.waiting" || event.node === null) return view;
  const node = view.nodes[event.node];
  return node === undefined || node.waiting === null ? view : patchNode(view, event.node, { waiting: null });
}

/** A node whose model was loading has it once any other event of the node comes. */
function stopLoading(view: RunView, event: RunEvent): RunView {
  if (event.type === "model.loading" || event.node === null) return view;
  const node = view.nodes[event.node];
  return node === undefined || node.loading === null ? view : patchNode(view, event.node, { loading: null });
}

/** The status a node shows: "waiting" while its task waits for a worker, "loading" while its
 *  model loads, else its status. */
export function shownStatus(node: NodeRun): NodeStatus | "waiting" | "loading" {
  if (node.waiting !== null) return "waiting";
  return node.loading !== null ? "loading" : node.status;
}

/** The nodes whose model is loading now, with how far it got, in id order. */
export function loadingNodes(view: RunView): [string, LoadingData][] {
  const loading: [string, LoadingData][] = [];
  for (const [id, node] of Object.entries(view.nodes)) {
    if (node.loading !== null) loading.push([id, node.loading]);
  }
  return loading.sort(([a], [b]) => a.localeCompare(b));
}

/** The nodes now waiting for a worker, with why, in id order. */
export function waitingNodes(view: RunView): [string, WaitingData][] {
  const waiting: [string, WaitingData][] = [];
  for (const [id, node] of Object.entries(view.nodes)) {
    if (node.waiting !== null) waiting.push([id, node.waiting]);
  }
  return waiting.sort(([a], [b]) => a.localeCompare(b));
}

export function applyEvents(view: RunView, events: readonly RunEvent[]): RunView {
  return events.reduce(applyEvent, view);
}

function fold(view: RunView, event: RunEvent): RunView {
  const at = Date.parse(event.ts);
  switch (event.type) {
    case "run.started":
      return { ...view, input: event.data.input?.text ?? null, images: event.data.input?.images ?? [], startedAt: at };
    case "node.started":
      return patchNode(view, event.node, { status: "running", startedAt: at });
    case "node.waiting":
      return patchNode(view, event.node, { waiting: event.data });
    case "model.loading":
      return patchNode(view, event.node, { loading: event.data });
    case "model.loaded":
      return view; // stopLoading has cleared it
    case "node.request":
      return patchNode(view, event.node, (node) => ({ requests: [...node.requests, event.data] }));
    case "node.delta":
      return patchNode(view, event.node, (node) => ({ status: "running", text: node.text + event.data.text }));
    case "router.decision":
      return event.node === null ? view : { ...view, decisions: { ...view.decisions, [event.node]: event.data } };
    case "tool.call":
      return event.node === null ? view : { ...view, tools: { ...view.tools, [event.node]: { call: event.data, result: null } } };
    case "tool.result": {
      const tool = event.node === null ? undefined : view.tools[event.node];
      if (event.node === null || tool === undefined) return view;
      return { ...view, tools: { ...view.tools, [event.node]: { ...tool, result: event.data } } };
    }
    case "clip.result":
      return event.node === null ? view : { ...view, clips: { ...view.clips, [event.node]: event.data } };
    case "layer.completed":
      return { ...view, layers: [...view.layers, { layer: event.data.layer, answers: event.data.answers }] };
    case "node.completed":
      return patchNode(view, event.node, {
        status: "done",
        output: event.data.output,
        tokensIn: event.data.tokens_in,
        tokensOut: event.data.tokens_out,
        latencyMs: event.data.latency_ms,
        attempts: event.data.attempts,
        completed: event.data,
        finishedAt: at,
      });
    case "node.skipped":
      return patchNode(view, event.node, { status: "skipped", note: event.data.reason, finishedAt: at });
    case "node.failed":
      return patchNode(view, event.node, { status: "failed", note: event.data.error, finishedAt: at });
    case "run.completed":
      return {
        ...view,
        status: "completed",
        output: event.data.output,
        tokensIn: event.data.tokens_in,
        tokensOut: event.data.tokens_out,
        finishedAt: at,
      };
    case "run.failed":
      return { ...view, status: "failed", error: event.data.error, finishedAt: at };
    case "run.cancelled":
      return { ...view, status: "cancelled", error: event.data.reason ?? "cancelled", finishedAt: at };
    default:
      // A type this build does not know (a newer server's trace): nothing to show, keep going.
      return view;
  }
}

function patchNode(
  view: RunView,
  id: string | null,
  patch: Partial<NodeRun> | ((node: NodeRun) => Partial<NodeRun>),
): RunView {
  if (id === null) return view;
  // Nodes the view was not seeded with (a run of another version) are added as they appear.
  const node = view.nodes[id] ?? FRESH_NODE;
  const changes = typeof patch === "function" ? patch(node) : patch;
  return { ...view, nodes: { ...view.nodes, [id]: { ...node, ...changes } } };
}

/** After the terminal event nothing else runs: a node still running was stopped, one still
 *  queued never ran, none waits for a worker or a model load any more. */
function settleNodes(view: RunView): RunView {
  const settle = (node: NodeRun): NodeRun => {
    const settled = node.waiting === null && node.loading === null ? node : { ...node, waiting: null, loading: null };
    if (view.status === "completed" || settled.status !== "running") return settled;
    return { ...settled, status: "failed", note: view.error, finishedAt: view.finishedAt };
  };
  const nodes = Object.fromEntries(Object.entries(view.nodes).map(([id, node]) => [id, settle(node)]));
  return { ...view, nodes };
}

/** The answer as it streams: the run's output once it has one, else the text of the node
 *  feeding the output that has produced the most so far (a router runs only one of them). */
export function answerText(view: RunView, feeders: readonly string[]): string {
  if (view.output !== null) return view.output;
  let best = "";
  for (const id of feeders) {
    const node = view.nodes[id];
    const text = node?.output ?? node?.text ?? "";
    if (text.length > best.length) best = text;
  }
  return best;
}

export interface Span {
  node: string;
  status: NodeStatus;
  start: number;
  end: number;
}

/** Each node's span in milliseconds from the run's start, in start order, for the timeline. A
 *  node still running ends at the latest event (in a replay: at the step shown). */
export function timeline(view: RunView): Span[] {
  const origin = view.startedAt;
  if (origin === null) return [];
  const spans: Span[] = [];
  for (const [node, run] of Object.entries(view.nodes)) {
    if (run.startedAt === null) continue;
    const end = run.finishedAt ?? view.finishedAt ?? view.at ?? run.startedAt;
    spans.push({ node, status: run.status, start: run.startedAt - origin, end: Math.max(end, run.startedAt) - origin });
  }
  return spans.sort((a, b) => a.start - b.start || a.node.localeCompare(b.node));
}
