import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useState } from "react";

import type { ApiError } from "../api/client";
import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { CatalogModel, GraphDetail, Me } from "../api/types";
import { splitModels } from "../graph/clipModel";
import { loadNodeKinds } from "../graph/loadNodeKinds";
import type { Problem } from "../graph/problems";
import { followLink } from "../router";
import type { ReplayOrigin } from "../runs/replayLink";
import { RunPanel } from "../runs/RunPanel";
import { useEditor } from "../store/editor";
import { Canvas } from "./Canvas";
import { ConflictDialog } from "./ConflictDialog";
import { Palette } from "./Palette";
import { Presence } from "./Presence";
import { ProblemsPanel } from "./ProblemsPanel";
import { CompareBanner, HistoryPanel } from "./panels/HistoryPanel";
import { Inspector } from "./panels/Inspector";
import { SavedNotice } from "./SavedNotice";
import { ShareDialog } from "./ShareDialog";
import { Toolbar } from "./Toolbar";
import { usePresence } from "./usePresence";
import { useSave } from "./useSave";
import { useShortcuts } from "./useShortcuts";

type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; models: CatalogModel[] };

interface EditorPageProps {
  graphId: number;
  me: Me;
  replayRun?: number | null;
  replayOrigin?: ReplayOrigin | null;
}

/** `replayRun`: a run of the graph (`?run=<id>`) opened as a replay once the graph is loaded;
 *  `replayOrigin` (`&experiment=<id>&row=<n>`): the experiment row it came from, linked back to. */
export function EditorPage({ graphId, me, replayRun = null, replayOrigin = null }: EditorPageProps) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const graph = useEditor((s) => s.graph);

  const fetchGraph = useCallback(
    () =>
      // All at once: the catalog lists every team's endpoints, filtered to the graph's team; the
      // node kinds are fetched once per page load.
      Promise.all([api.graph(graphId), api.models(), loadNodeKinds()]).then(([result, models, kindsError]) => {
        if (!result.ok || kindsError !== null) {
          setLoaded({ state: "error", message: errorText(result.ok ? (kindsError as ApiError) : result.error) });
          return;
        }
        const team = result.value.team;
        useEditor.getState().load(result.value);
        setLoaded({
          state: "ready",
          models: models.ok ? models.value.filter((m) => m.team === null || m.team === team) : [],
        });
      }),
    [graphId],
  );

  useEffect(() => {
    void fetchGraph();
  }, [fetchGraph]);

  if (loaded.state === "error") {
    return (
      <main className="splash">
        <p className="error">{loaded.message}</p>
        <a href="/" onClick={followLink}>Back to the graphs</a>
      </main>
    );
  }
  if (loaded.state === "loading" || graph === null || graph.id !== graphId) {
    return <main className="splash">Loading graph…</main>;
  }
  return (
    <ReactFlowProvider>
      <Editor graph={graph} me={me} models={loaded.models} replayRun={replayRun} replayOrigin={replayOrigin} />
    </ReactFlowProvider>
  );
}

/** The browser asks before a reload or close drops unsaved edits. */
function useLeaveGuard() {
  const dirty = useEditor((s) => s.dirty);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}

interface EditorProps {
  graph: GraphDetail;
  me: Me;
  models: CatalogModel[];
  replayRun: number | null;
  replayOrigin: ReplayOrigin | null;
}

function Editor({ graph, me, models, replayRun, replayOrigin }: EditorProps) {
  const comparing = useEditor((s) => s.compare !== null);
  const baseVersion = useEditor((s) => s.baseVersion);
  const { status, conflict, save, reload, saveAsCopy, dismissConflict } = useSave();
  const [historyOpen, setHistoryOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  // The list opens on each new refusal (a new `problems` array) until it is dismissed.
  const problems = useEditor((s) => s.problems);
  const selectOnly = useEditor((s) => s.selectOnly);
  const [dismissedProblems, setDismissedProblems] = useState<readonly Problem[] | null>(null);
  const problemsOpen = problems.length > 0 && dismissedProblems !== problems;
  const readOnly = graph.role === "viewer" || comparing;
  const dirty = useEditor((s) => s.dirty);
  const { present, saved, dismissSaved } = usePresence(graph.id, dirty && graph.role !== "viewer");
  // Our own saves are announced too; the editor already knows about those.
  const newer = saved !== null && saved.version > baseVersion && saved.author !== me.username ? saved : null;
  // New routers and workers get a text model; a clip node brings its own CLIP default.
  const { text: textModels } = splitModels(models);
  const defaultModel = textModels.find((model) => model.available)?.key ?? textModels[0]?.key ?? "";
  useShortcuts({ save: () => void save(), readOnly });
  useLeaveGuard();

  return (
    <div className="editor">
      <Toolbar
        graph={graph}
        readOnly={readOnly}
        status={status}
        historyOpen={historyOpen}
        onSave={() => void save()}
        onToggleHistory={() => setHistoryOpen((open) => !open)}
        onShare={() => setShareOpen(true)}
        problemsOpen={problemsOpen}
        onToggleProblems={() => setDismissedProblems(problemsOpen ? problems : null)}
        presence={<Presence present={present} me={me.username} />}
      />
      <div className="editor-body">
        {!readOnly && <Palette defaultModel={defaultModel} />}
        <div className="canvas-column">
          <CompareBanner />
          {problemsOpen && (
            <ProblemsPanel
              problems={problems}
              heading="The server refused the last save"
              onDismiss={() => setDismissedProblems(problems)}
              onSelect={selectOnly}
            />
          )}
          {newer !== null && (
            <SavedNotice
              notice={newer}
              onReload={() => {
                if (!dirty || window.confirm("Loading it drops your unsaved edits. Load anyway?")) void reload();
                dismissSaved();
              }}
              onDismiss={dismissSaved}
            />
          )}
          <Canvas readOnly={readOnly} defaultModel={defaultModel} />
          {/* Below the canvas, so runs are read next to the graph they walk. */}
          {!comparing && <RunPanel graphId={graph.id} replayRun={replayRun} replayOrigin={replayOrigin} />}
        </div>
        {historyOpen && <HistoryPanel graphId={graph.id} canRestore={graph.role !== "viewer"} onRestored={() => void reload()} />}
        <Inspector models={models} readOnly={readOnly} />
      </div>
      {conflict !== null && (
        <ConflictDialog
          conflict={conflict}
          onReload={() => void reload()}
          onSaveAsCopy={() => void saveAsCopy()}
          onClose={dismissConflict}
        />
      )}
      {shareOpen && <ShareDialog graph={graph} version={baseVersion} me={me} onClose={() => setShareOpen(false)} />}
    </div>
  );
}
