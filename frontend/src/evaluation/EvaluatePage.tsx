import "./evaluation.css";

import { useCallback, useEffect, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import { evaluationApi } from "./api";
import type { CompareResult, Dataset, Experiment, GraphDetail, VersionSummary } from "../api/types";
import { followLink, navigate, useLocation } from "../router";
import { CompareView } from "./CompareView";
import { DatasetsPanel } from "./DatasetsPanel";
import { ExperimentResults } from "./ExperimentResults";
import { ExperimentsPanel } from "./ExperimentsPanel";
import { ParetoPanel } from "./ParetoPanel";
import { StartExperiment } from "./StartExperiment";
import { useCatalog, useDatasets, useExperiments, useVersionSpec } from "./useEvaluation";

type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; graph: GraphDetail; versions: VersionSummary[] };

/** The Evaluate page of a graph (/graphs/:id/evaluate): datasets, experiments, results,
 *  comparison and the Pareto plot. Loaded lazily, with the charting library. */
export default function EvaluatePage({ graphId }: { graphId: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  useEffect(() => {
    let current = true;
    void Promise.all([api.graph(graphId), api.allVersions(graphId)]).then(([graph, versions]) => {
      if (!current) return;
      if (!graph.ok) setLoaded({ state: "error", message: errorText(graph.error) });
      else setLoaded({ state: "ready", graph: graph.value, versions: versions.ok ? versions.value : [] });
    });
    return () => {
      current = false;
    };
  }, [graphId]);

  if (loaded.state === "error") {
    return (
      <main className="splash">
        <p className="error">{loaded.message}</p>
        <a href="/" onClick={followLink}>Back to the graphs</a>
      </main>
    );
  }
  if (loaded.state === "loading") return <main className="splash">Loading…</main>;
  return <Evaluate graph={loaded.graph} versions={loaded.versions} />;
}

function Evaluate({ graph, versions }: { graph: GraphDetail; versions: VersionSummary[] }) {
  const { query } = useLocation();
  const selectedParam = Number(query.get("experiment") ?? "");
  const selected = Number.isInteger(selectedParam) && selectedParam > 0 ? selectedParam : null;
  const canEdit = graph.role !== "viewer";
  const datasets = useDatasets(graph.team);
  const catalog = useCatalog();
  const { experiments, error: listError, keep, refresh } = useExperiments(graph.id);
  const [picked, setPicked] = useState<number[]>([]);
  const [comparison, setComparison] = useState<CompareResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const select = useCallback(
    (id: number | null) => navigate(`/graphs/${graph.id}/evaluate${id === null ? "" : `?experiment=${id}`}`, { replace: true }),
    [graph.id],
  );

  // The selected experiment's full state (the list may carry less), kept newest by revision.
  useEffect(() => {
    if (selected === null) return;
    let current = true;
    void evaluationApi.experiment(selected).then((result) => {
      if (!current) return;
      if (!result.ok) setError(errorText(result.error));
      else if (result.value.graph !== graph.id) setError(`Experiment ${selected} evaluates another graph.`);
      else keep(result.value);
    });
    return () => {
      current = false;
    };
  }, [selected, graph.id, keep]);

  const started = (experiment: Experiment) => {
    keep(experiment);
    select(experiment.id);
  };
  const cancel = async (id: number) => {
    const result = await evaluationApi.cancelExperiment(id);
    if (result.ok) keep(result.value);
    else setError(errorText(result.error));
  };
  const compare = async () => {
    setError(null);
    const result = await evaluationApi.compareExperiments(picked);
    if (result.ok) setComparison(result.value);
    else setError(errorText(result.error));
  };
  const togglePick = (id: number) => setPicked((current) => (current.includes(id) ? current.filter((p) => p !== id) : [...current, id]));
  const openExperiment = useCallback(
    (experiment: number, otherGraph: number) => {
      if (otherGraph === graph.id) select(experiment);
      else navigate(`/graphs/${otherGraph}/evaluate?experiment=${experiment}`);
    },
    [graph.id, select],
  );
  const created = (dataset: Dataset) => datasets.add(dataset);
  const shown = experiments.find((experiment) => experiment.id === selected);
  // The graph as the shown experiment ran it: its routers' targets are listed in its order.
  const spec = useVersionSpec(graph, shown?.version ?? null);
  const problems = [error, listError, datasets.error, catalog.error].filter((e): e is string => e !== null);

  return (
    <div className="page evaluate">
      <header className="topbar">
        <a href="/" onClick={followLink} className="brand">Octograph</a>
        <a href={`/graphs/${graph.id}`} onClick={followLink} className="eval-back" title="Back to the editor">
          ← {graph.name}
        </a>
        <h1 className="eval-title">Evaluate</h1>
        <span className="version-tag">latest v{graph.latest_version}</span>
        <span className="spacer" />
        {!canEdit && <span className="muted small">Viewer: you can read results.</span>}
      </header>
      <main className="eval-main">
        {problems.map((problem, i) => (
          <p key={i} className="error small" role="alert">{problem}</p>
        ))}
        <div className="eval-columns">
          <DatasetsPanel
            team={graph.team}
            graph={graph.id}
            graphName={graph.name}
            canEdit={canEdit}
            datasets={datasets.datasets}
            builtins={catalog.builtins}
            onCreated={created}
            onDeleted={datasets.remove}
          />
          <StartExperiment
            graph={graph.id}
            versions={versions}
            datasets={datasets.datasets}
            scorers={catalog.scorers}
            canEdit={canEdit}
            onStarted={started}
          />
        </div>
        <ExperimentsPanel
          experiments={experiments}
          selected={selected}
          picked={picked}
          canEdit={canEdit}
          onSelect={(id) => select(id === selected ? null : id)}
          onTogglePick={togglePick}
          onCancel={(id) => void cancel(id)}
          onCompare={() => void compare()}
          onExperiment={keep}
          onRefresh={() => void refresh()}
        />
        {comparison !== null && <CompareView result={comparison} onClose={() => setComparison(null)} />}
        {shown !== undefined && <ExperimentResults key={shown.id} experiment={shown} spec={spec} onClose={() => select(null)} />}
        <ParetoPanel
          graph={graph.id}
          datasets={datasets.datasets}
          experiments={experiments}
          dataset={shown?.dataset.id ?? null}
          onOpenExperiment={openExperiment}
        />
      </main>
    </div>
  );
}
