import { useState } from "react";

import { errorText } from "../../api/client";
import { api } from "../../api/endpoints";
import type { VersionSummary } from "../../api/types";
import { usePagedList } from "../../api/usePagedList";
import { describeDiff, diffMarks, mergeForCompare } from "../../graph/diff";
import { specToFlow } from "../../graph/flow";
import { useEditor } from "../../store/editor";
import { LoadMore } from "../../ui/LoadMore";

interface Props {
  graphId: number;
  canRestore: boolean;
  onRestored: () => void;
}

/** Every saved version: compare one with the version being edited, on the canvas, or restore it. */
export function HistoryPanel({ graphId, canRestore, onRestored }: Props) {
  const baseVersion = useEditor((s) => s.baseVersion);
  const compare = useEditor((s) => s.compare);
  const setCompare = useEditor((s) => s.setCompare);
  const [error, setError] = useState<string | null>(null);
  // The list changes whenever a save moves the base version on.
  const versions = usePagedList<VersionSummary>(`/api/graphs/${graphId}/versions/`, baseVersion, setError);

  const showCompare = async (number: number) => {
    const [older, newer, diff] = await Promise.all([
      api.version(graphId, number),
      api.version(graphId, baseVersion),
      api.diff(graphId, number, baseVersion),
    ]);
    if (!older.ok || !newer.ok || !diff.ok) {
      const failed = [older, newer, diff].find((result) => !result.ok);
      setError(failed !== undefined && !failed.ok ? errorText(failed.error) : "could not compare");
      return;
    }
    const { nodes, edges } = specToFlow(mergeForCompare(older.value.spec, newer.value.spec));
    setCompare({
      from: number,
      to: baseVersion,
      nodes,
      edges,
      marks: diffMarks(diff.value),
      changes: describeDiff(diff.value),
    });
  };

  const restore = async (number: number) => {
    const { dirty } = useEditor.getState();
    if (dirty && !window.confirm("Restoring drops your unsaved edits. Restore anyway?")) return;
    const result = await api.restoreVersion(graphId, number, baseVersion);
    if (result.ok) onRestored();
    else setError(errorText(result.error));
  };

  return (
    <aside className="history" aria-label="Version history">
      <h2>History</h2>
      {error !== null && <p className="error">{error}</p>}
      <ol className="versions">
        {(versions.items ?? []).map((version) => (
          <li key={version.number} className={compare?.from === version.number ? "active" : undefined}>
            <div>
              <strong>v{version.number}</strong> {version.number === baseVersion && <span className="tag">current</span>}
            </div>
            <div className="small muted">
              {version.author ?? "—"} · {new Date(version.created_at).toLocaleString()}
            </div>
            {version.message !== "" && <div className="small">{version.message}</div>}
            {version.number !== baseVersion && (
              <div className="row-actions">
                <button onClick={() => void showCompare(version.number)}>Compare</button>
                {canRestore && <button onClick={() => void restore(version.number)}>Restore</button>}
              </div>
            )}
          </li>
        ))}
      </ol>
      <LoadMore list={versions} what="older versions" />
    </aside>
  );
}

/** Shown over the canvas while a comparison replaces the editable graph. */
export function CompareBanner() {
  const compare = useEditor((s) => s.compare);
  const setCompare = useEditor((s) => s.setCompare);
  if (compare === null) return null;
  const count = (status: string) => [...compare.marks.nodes.values()].filter((s) => s === status).length;
  return (
    <div className="compare-banner" role="status">
      Comparing v{compare.from} → v{compare.to}: {count("added")} added, {count("removed")} removed,{" "}
      {count("changed")} changed, {count("moved")} moved nodes
      <span className="legend">
        <span className="diff-badge diff-added">added</span>
        <span className="diff-badge diff-removed">removed</span>
        <span className="diff-badge diff-changed">changed</span>
        <span className="diff-badge diff-moved">moved</span>
      </span>
      <button onClick={() => setCompare(null)}>Back to editing</button>
    </div>
  );
}
