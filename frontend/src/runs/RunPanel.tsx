import { useEffect, useMemo, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { RunSummary } from "../api/types";
import { usePagedList } from "../api/usePagedList";
import { followLink } from "../router";
import { useEditor } from "../store/editor";
import { LoadMore } from "../ui/LoadMore";
import { ChatOutput } from "./ChatOutput";
import { CompareRuns } from "./CompareRuns";
import { LayerAnswers } from "./LayerAnswers";
import { ReplayControls } from "./ReplayControls";
import type { ReplayOrigin } from "./replayLink";
import { originText, resultsHref } from "./replayLink";
import { RunComposer } from "./RunComposer";
import { RouterDecisions } from "./RouterDecisions";
import { RunHistory } from "./RunHistory";
import { formatLoading, formatWaiting } from "./events";
import { isFinished, loadingNodes, waitingNodes } from "./runState";
import { useRunStore } from "./store";
import { Timeline } from "./Timeline";
import { useCompare } from "./useCompare";
import { useReplay } from "./useReplay";
import { useRunSocket } from "./useRunSocket";

type Tab = "run" | "history";

/** Ids joined into one string: a primitive selector result, so dragging nodes (new node
 *  objects, same ids) does not re-render the panel. */
const SEPARATOR = "\n";
const NO_RUNS: RunSummary[] = [];
const split = (key: string) => (key === "" ? [] : key.split(SEPARATOR));

interface Props {
  graphId: number;
  replayRun?: number | null;
  replayOrigin?: ReplayOrigin | null;
}

/** Runs of the graph: start one and watch it, list past ones, replay or compare them.
 *  `replayRun` (the editor's `?run=<id>`, e.g. a row of an experiment) opens as a replay;
 *  `replayOrigin` (`&experiment=<id>&row=<n>`) names that row, with a link back to the results. */
export function RunPanel({ graphId, replayRun = null, replayOrigin = null }: Props) {
  const nodeKey = useEditor((s) => s.nodes.map((node) => node.id).join(SEPARATOR));
  const feederKey = useEditor((s) => {
    const outputs = new Set(s.nodes.filter((node) => node.type === "output").map((node) => node.id));
    return s.edges.filter((edge) => outputs.has(edge.target)).map((edge) => edge.source).join(SEPARATOR);
  });
  const nodeIds = useMemo(() => split(nodeKey), [nodeKey]);
  const feeders = useMemo(() => split(feederKey), [feederKey]);
  const dirty = useEditor((s) => s.dirty);
  const baseVersion = useEditor((s) => s.baseVersion);

  // Folded until asked for, so the canvas keeps its room while the graph is being designed.
  const [open, setOpen] = useState(replayRun !== null);
  const [tab, setTab] = useState<Tab>("run");
  const [liveRun, setLiveRun] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const view = useRunStore((s) => s.view);
  const shown = useRunStore((s) => s.shown);
  // Bumped to follow the live run again from its first event (after a replay replaced it).
  const [generation, setGeneration] = useState(0);
  const connection = useRunSocket(liveRun, generation);
  const { replay, open: openReplay, step, close: closeReplay } = useReplay(nodeIds, setError);
  const finished = view !== null && isFinished(view);
  // Fetched again when a run ends, so the history lists it with its final status.
  const pastRuns = usePagedList<RunSummary>(`/api/graphs/${graphId}/runs/`, finished, setError);
  const runs = pastRuns.items ?? NO_RUNS;
  const compared = useCompare(graphId, picked, runs, nodeIds, setError);
  // A run linked to (?run=<id>) is replayed as soon as the panel knows the graph's nodes.
  const linked = nodeIds.length > 0 ? replayRun : null;
  useEffect(() => {
    if (linked !== null) void openReplay(linked);
  }, [linked, openReplay]);
  // The run drawn over this graph belongs to it: leaving the editor clears it.
  useEffect(() => () => useRunStore.getState().clear(), []);

  const run = async (input: string, images: File[]) => {
    setError(null);
    closeReplay();
    const started = await api.startRun(graphId, input, images);
    if (!started.ok) {
      setError(errorText(started.error));
      return;
    }
    useRunStore.getState().follow(started.value.id, nodeIds);
    setLiveRun(started.value.id);
  };

  /** Back from a replay to the latest live run, refolded from its first event. */
  const leaveReplay = () => {
    closeReplay();
    if (liveRun === null) return;
    useRunStore.getState().follow(liveRun, nodeIds);
    setGeneration((n) => n + 1);
  };

  const cancel = async () => {
    if (liveRun === null) return;
    const result = await api.cancelRun(liveRun);
    if (!result.ok) setError(errorText(result.error));
  };

  const showTab = (next: Tab) => {
    setTab(next);
    setOpen(true);
  };

  const togglePick = (id: number) =>
    setPicked((current) => (current.includes(id) ? current.filter((p) => p !== id) : [...current, id].slice(-2)));

  const live = shown?.kind === "live" ? view : null;
  return (
    <section className={open ? "run-panel open" : "run-panel"} aria-label="Run panel">
      <div className="run-tabs" role="tablist">
        <button
          className="icon"
          aria-expanded={open}
          aria-label={open ? "Fold the run panel" : "Open the run panel"}
          onClick={() => setOpen(!open)}
        >
          {open ? "▾" : "▸"}
        </button>
        <button role="tab" aria-selected={open && tab === "run"} onClick={() => showTab("run")}>
          Run
        </button>
        <button role="tab" aria-selected={open && tab === "history"} onClick={() => showTab("history")}>
          Past runs ({pastRuns.count})
        </button>
        {replayOrigin !== null && (
          <span className="small replay-origin" data-testid="replay-origin">
            {originText(replayOrigin)}
            {replayRun !== null && ` (run ${replayRun})`} —{" "}
            <a href={resultsHref(graphId, replayOrigin.experiment)} onClick={followLink}>
              Back to results
            </a>
          </span>
        )}
        {live !== null && (
          <span className="small muted" data-testid="run-status">
            run {liveRun}: {live.status}
            {connection === "reconnecting" && " · reconnecting…"}
            {live.gaps.length > 0 && " · some streamed tokens are missing (no longer stored)"}
            {waitingNodes(live).map(([node, waiting]) => (
              <span key={node} className="waiting" data-testid="run-waiting">
                {` · ${node} is ${formatWaiting(waiting)}`}
              </span>
            ))}
            {loadingNodes(live).map(([node, loading]) => (
              <span key={node} className="loading" data-testid="run-loading">
                {` · ${node} is ${formatLoading(loading)}`}
              </span>
            ))}
            {finished && live.tokensOut > 0 && ` · ${live.tokensIn} tokens in, ${live.tokensOut} out`}
          </span>
        )}
        {dirty && <span className="small dirty">Runs use the saved version (v{baseVersion}).</span>}
        {error !== null && <span className="small error">{error}</span>}
      </div>
      {open && replay !== null && (
        <ReplayControls run={replay.run} events={replay.events} step={replay.step} onStep={step} onClose={leaveReplay} />
      )}
      {!open ? null : tab === "run" ? (
        <div className="run-body">
          <div className="run-chat">
            <RunComposer
              running={live !== null && !finished}
              onRun={(input, images) => void run(input, images)}
              onCancel={() => void cancel()}
            />
            {view !== null && shown !== null && <ChatOutput view={view} feeders={feeders} run={shown.run} />}
          </div>
          {view !== null && <RouterDecisions view={view} />}
          {view !== null && <LayerAnswers layers={view.layers} />}
          {view !== null && <Timeline view={view} />}
        </div>
      ) : (
        <div className="run-body">
          <RunHistory
            runs={runs}
            replaying={replay?.run ?? null}
            comparing={picked}
            onReplay={(id) => void openReplay(id)}
            onToggleCompare={togglePick}
          />
          <LoadMore list={pastRuns} what="older runs" />
          {compared !== null && <CompareRuns comparison={compared} onClose={() => setPicked([])} />}
        </div>
      )}
    </section>
  );
}
