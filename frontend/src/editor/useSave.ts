import { useCallback, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { Version, VersionConflictBody } from "../api/types";
import type { SpecDiff } from "../graph/diff";
import type { Problem } from "../graph/problems";
import { navigate } from "../router";
import { useEditor } from "../store/editor";

/** A save that lost the race: the version that won, and what it changed since ours. */
export interface Conflict {
  latest: Version;
  diff: SpecDiff | null;
}

export type SaveStatus =
  | { state: "idle" }
  | { state: "saving" }
  | { state: "saved"; version: number }
  | { state: "error"; message: string; problems?: Problem[] };

/** Saving the edited spec as a new version, and the ways out of a 409. */
export function useSave() {
  const [status, setStatus] = useState<SaveStatus>({ state: "idle" });
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const save = useCallback(async () => {
    const { graph, baseVersion, revision, spec, markSaved, setProblems } = useEditor.getState();
    if (graph === null) return;
    setStatus({ state: "saving" });
    const result = await api.saveVersion(graph.id, spec(), baseVersion);
    if (result.ok) {
      markSaved(result.value.number, revision);
      setStatus({ state: "saved", version: result.value.number });
      return;
    }
    const { error } = result;
    if (error.code === "version_conflict") {
      const latest = (error.body as unknown as VersionConflictBody).latest;
      const diff = await api.diff(graph.id, baseVersion, latest.number);
      setConflict({ latest, diff: diff.ok ? diff.value : null });
      setStatus({ state: "error", message: `Version ${latest.number} was saved meanwhile.` });
      return;
    }
    if (error.problems !== undefined) setProblems(error.problems);
    setStatus({ state: "error", message: errorText(error), problems: error.problems });
  }, []);

  /** Throw the local edits away and continue from the version that won. */
  const reload = useCallback(async () => {
    const { graph, load } = useEditor.getState();
    if (graph === null) return;
    const result = await api.graph(graph.id);
    if (result.ok) {
      load(result.value);
      setConflict(null);
      setStatus({ state: "idle" });
    } else {
      setStatus({ state: "error", message: errorText(result.error) });
    }
  }, []);

  /** Keep the local edits as a new graph in the same team. */
  const saveAsCopy = useCallback(async () => {
    const { graph, spec, setProblems } = useEditor.getState();
    if (graph === null) return;
    const result = await api.createGraph({ team: graph.team, name: `${graph.name} (copy)`, spec: spec() });
    if (result.ok) {
      setConflict(null);
      navigate(`/graphs/${result.value.id}`);
      return;
    }
    if (result.error.problems !== undefined) setProblems(result.error.problems);
    setConflict(null);
    setStatus({ state: "error", message: errorText(result.error), problems: result.error.problems });
  }, []);

  return { status, conflict, save, reload, saveAsCopy, dismissConflict: () => setConflict(null) };
}
