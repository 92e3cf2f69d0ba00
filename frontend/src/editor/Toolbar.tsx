import { useReactFlow } from "@xyflow/react";
import type { MouseEvent, ReactNode } from "react";

import type { GraphDetail } from "../api/types";
import { followLink } from "../router";
import { problemsTooltip } from "../graph/problems";
import { useEditor } from "../store/editor";
import { FIT_VIEW } from "./flowTypes";
import { GraphTitle } from "./GraphTitle";
import type { SaveStatus } from "./useSave";

interface Props {
  graph: GraphDetail;
  readOnly: boolean;
  status: SaveStatus;
  historyOpen: boolean;
  onSave: () => void;
  onToggleHistory: () => void;
  onShare: () => void;
  /** Whether the list of the last refusal's problems is showing. */
  problemsOpen: boolean;
  onToggleProblems: () => void;
  /** Who else has the graph open. */
  presence: ReactNode;
}

export function Toolbar({ graph, readOnly, status, historyOpen, onSave, onToggleHistory, onShare, problemsOpen, onToggleProblems, presence }: Props) {
  const problems = useEditor((s) => s.problems);
  const baseVersion = useEditor((s) => s.baseVersion);
  const dirty = useEditor((s) => s.dirty);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const { undo, redo, autoLayout } = useEditor.getState();
  const { fitView } = useReactFlow();
  return (
    <header className="topbar editor-bar">
      <a href="/" onClick={leaveEditor} className="brand">
        Octograph
      </a>
      <GraphTitle key={graph.id} graph={graph} readOnly={readOnly} />
      <span className="version-tag" data-testid="version">
        v{baseVersion}
        {dirty && <span className="dirty"> · unsaved changes</span>}
      </span>
      <SaveStatusText status={status} />
      {problems.length > 0 && (
        <button
          className="problems-toggle"
          onClick={onToggleProblems}
          aria-pressed={problemsOpen}
          aria-controls="graph-problems"
          title={problemsTooltip(problems)}
        >
          {problems.length} {problems.length === 1 ? "problem" : "problems"}
        </button>
      )}
      <span className="spacer" />
      {presence}
      {!readOnly && (
        <>
          <button onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">Undo</button>
          <button onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
          <button onClick={autoLayout} title="Lay out by depth, left to right">Auto-layout</button>
        </>
      )}
      <button onClick={() => void fitView({ ...FIT_VIEW, duration: 300 })}>Fit view</button>
      <button onClick={onToggleHistory} aria-pressed={historyOpen}>History</button>
      <button onClick={onShare}>Share</button>
      <a href={`/graphs/${graph.id}/evaluate`} onClick={leaveEditor} className="toolbar-link" title="Datasets, experiments and scores of this graph">
        Evaluate
      </a>
      {!readOnly && (
        <button className="primary" onClick={onSave} disabled={status.state === "saving"} title="Save a version (Ctrl+S)">
          Save
        </button>
      )}
    </header>
  );
}

/** Back to the list, unless that would drop unsaved edits the user wants to keep. */
function leaveEditor(event: MouseEvent<HTMLAnchorElement>) {
  if (useEditor.getState().dirty && !window.confirm("Leave without saving your changes?")) {
    event.preventDefault();
    return;
  }
  followLink(event);
}

function SaveStatusText({ status }: { status: SaveStatus }) {
  switch (status.state) {
    case "idle":
      return null;
    case "saving":
      return <span className="save-status muted small">Saving…</span>;
    case "saved":
      return <span className="save-status ok small" role="status">Saved version {status.version}</span>;
    case "error": {
      // The text may be cut off to fit the bar: the title holds all of it, every problem
      // included, and the problems button next to it opens the full list.
      const title =
        status.problems === undefined || status.problems.length === 0
          ? status.message
          : `${status.message}\n${problemsTooltip(status.problems)}`;
      return (
        <span className="save-status error small" role="alert" title={title}>
          {status.message}
        </span>
      );
    }
  }
}
