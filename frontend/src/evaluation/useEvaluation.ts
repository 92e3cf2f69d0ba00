import { useCallback, useEffect, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import { evaluationApi } from "./api";
import type { BuiltinDataset, Dataset, Experiment, GraphDetail, ScorerInfo } from "../api/types";
import type { GraphSpec } from "../graph/spec";
import { followSnapshots } from "../runs/follow";
import { browserSchedule, openSocket } from "../runs/useRunSocket";
import { experimentSocketUrl, isExperimentFinished, mergeExperimentList, upsertExperiment } from "./experiments";

/** The team's datasets, newest first; `add` puts a created one in without a refetch. */
export function useDatasets(team: number) {
  const [datasets, setDatasets] = useState<Dataset[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(
    () =>
      evaluationApi.datasets(team).then((result) => {
        if (result.ok) setDatasets(result.value);
        else setError(errorText(result.error));
      }),
    [team],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const add = useCallback(
    (dataset: Dataset) => setDatasets((current) => [dataset, ...current.filter((d) => d.id !== dataset.id)]),
    [],
  );
  const remove = useCallback((id: number) => setDatasets((current) => current.filter((d) => d.id !== id)), []);
  return { datasets, error, refresh, add, remove };
}

/** The read-only lists the page needs once: scorers and built-in datasets. */
export function useCatalog() {
  const [scorers, setScorers] = useState<ScorerInfo[]>([]);
  const [builtins, setBuiltins] = useState<BuiltinDataset[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void Promise.all([evaluationApi.scorers(), evaluationApi.builtinDatasets()]).then(([s, b]) => {
      if (!current) return;
      if (s.ok) setScorers(s.value);
      else setError(errorText(s.error));
      if (b.ok) setBuiltins(b.value);
      else setError(errorText(b.error));
    });
    return () => {
      current = false;
    };
  }, []);
  return { scorers, builtins, error };
}

/** The graph's experiments, newest first; `keep` folds in a newer state of one (from a socket
 *  frame or a REST answer). */
export function useExperiments(graph: number) {
  const [experiments, setExperiments] = useState<Experiment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(
    () =>
      evaluationApi.experiments(graph).then((result) => {
        if (result.ok) setExperiments((current) => mergeExperimentList(current, result.value));
        else setError(errorText(result.error));
      }),
    [graph],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const keep = useCallback((experiment: Experiment) => setExperiments((current) => upsertExperiment(current, experiment)), []);
  return { experiments, error, refresh, keep };
}

/** Follows one unfinished experiment over its socket while mounted. */
export function useLiveExperiment(experiment: number, onExperiment: (experiment: Experiment) => void): void {
  useEffect(
    () =>
      followSnapshots<Experiment>({
        url: experimentSocketUrl(experiment, window.location),
        isFinished: isExperimentFinished,
        onSnapshot: onExperiment,
        onConnection: () => undefined,
        connect: openSocket,
        schedule: browserSchedule,
      }),
    [experiment, onExperiment],
  );
}

/** The spec of one version of the graph (the one an experiment ran): the latest comes with the
 *  graph, an older one is fetched once. Null while it loads, or when it cannot be read (the
 *  results then fall back to alphabetical order). */
export function useVersionSpec(graph: GraphDetail, version: number | null): GraphSpec | null {
  const latest = graph.latest.number === version ? graph.latest.spec : null;
  const [fetched, setFetched] = useState<{ version: number; spec: GraphSpec | null } | null>(null);
  useEffect(() => {
    if (version === null || latest !== null) return;
    let current = true;
    void api.version(graph.id, version).then((result) => {
      if (current) setFetched({ version, spec: result.ok ? result.value.spec : null });
    });
    return () => {
      current = false;
    };
  }, [graph.id, version, latest]);
  if (latest !== null) return latest;
  return fetched !== null && fetched.version === version ? fetched.spec : null;
}
