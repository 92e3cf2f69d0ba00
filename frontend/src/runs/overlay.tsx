/** What a run adds to the canvas: each node's state and streamed text, each router edge's
 *  probability. Every piece reads only its own slice of the run store. */
import type { ClipResultData } from "./events";
import { formatClipLabels, formatLoading, formatProbability, formatToolCall, formatWaiting } from "./events";
import type { EdgeRoute } from "./routes";
import type { ToolRun } from "./runState";
import { shownStatus } from "./runState";
import { useRunStore } from "./store";

/** How many trailing characters of a streaming answer a node shows. */
const PREVIEW_CHARS = 90;

/** How many labels a clip node shows of its ranking. */
const CLIP_LABELS_SHOWN = 3;

/** The node's run state: its status ("waiting" while its task waits for a worker, with why;
 *  "loading" while its model loads, with how far),
 *  its streamed text (the tail), the router's rewritten query, a tool's call, what a clip node
 *  saw. */
export function NodeRunInfo({ id }: { id: string }) {
  const run = useRunStore((s) => s.view?.nodes[id]);
  const query = useRunStore((s) => s.view?.decisions[id]?.query);
  const tool = useRunStore((s) => s.view?.tools[id]);
  const clip = useRunStore((s) => s.view?.clips[id]);
  if (run === undefined) return null;
  const text = run.output ?? run.text;
  const status = shownStatus(run);
  return (
    <div className="node-run" data-run-status={status}>
      <div className="node-run-head">
        <span className={`run-status run-${status}`}>{status}</span>
        {run.latencyMs !== null && <span className="muted">{Math.round(run.latencyMs)} ms</span>}
        {run.tokensOut > 0 && <span className="muted">{run.tokensOut} tok</span>}
      </div>
      {query !== undefined && (
        <div className="node-run-query" title={query}>
          → “{query}”
        </div>
      )}
      {text !== "" && query === undefined && tool === undefined && clip === undefined && (
        <div className="node-run-text">{text.length > PREVIEW_CHARS ? `…${text.slice(-PREVIEW_CHARS)}` : text}</div>
      )}
      {tool !== undefined && <ToolCallInfo tool={tool} />}
      {clip !== undefined && <ClipInfo clip={clip} />}
      {run.waiting !== null && (
        <div className="node-run-note ellipsis" title={formatWaiting(run.waiting)} data-testid="node-waiting">
          {run.waiting.reason}
        </div>
      )}
      {run.loading !== null && (
        <div className="node-run-note ellipsis" title={formatLoading(run.loading)} data-testid="node-loading">
          {formatLoading(run.loading)}
        </div>
      )}
      {run.note !== null && run.status !== "done" && <div className="node-run-note ellipsis" title={run.note}>{run.note}</div>}
    </div>
  );
}

export function RouteBadge({ route }: { route: EdgeRoute }) {
  return (
    <span className={route.chosen ? "route-p chosen" : "route-p"} data-testid="route-probability" title={route.parts ?? undefined}>
      {route.chosen && "✓ "}
      {formatProbability(route.probability)}
    </span>
  );
}

/** What a clip node saw: its best labels with their probabilities, every label on hover. */
function ClipInfo({ clip }: { clip: ClipResultData }) {
  return (
    <div className="node-run-clip" title={formatClipLabels(clip.labels, clip.labels.length)} data-testid="clip-result">
      {formatClipLabels(clip.labels, CLIP_LABELS_SHOWN)}
    </div>
  );
}

/** A tool node's call, then what it returned or why it failed (each argument's problem). */
function ToolCallInfo({ tool }: { tool: ToolRun }) {
  const call = formatToolCall(tool.call);
  const result = tool.result;
  const failed = result?.error !== undefined;
  const outcome = result === null ? "…" : failed ? `✗ ${result.error ?? ""}` : `= ${result.output ?? ""}`;
  const problems = result?.problems?.map((p) => `${p.argument}: expected ${p.expected}, got ${p.got}`).join("\n");
  return (
    <>
      <div className="node-run-tool" title={call} data-testid="tool-call">
        {call}
      </div>
      <div className={failed ? "node-run-tool failed" : "node-run-tool"} title={problems ?? outcome} data-testid="tool-result">
        {outcome}
        {result !== null && <span className="muted"> ({Math.round(result.duration_ms)} ms)</span>}
      </div>
    </>
  );
}
