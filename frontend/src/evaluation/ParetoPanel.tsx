import { useCallback, useEffect, useMemo, useState } from "react";

import { errorText } from "../api/client";
import { evaluationApi } from "./api";
import type { Dataset, Experiment, ParetoResult } from "../api/types";
import { EChart } from "./EChart";
import { paretoMetrics } from "./experiments";
import type { ChartClick, ParetoAxis } from "./options";
import { experimentFromClick, paretoData, paretoOption } from "./options";
import { defaultScorers } from "./scorers";

interface Props {
  graph: number;
  datasets: readonly Dataset[];
  experiments: readonly Experiment[];
  /** The dataset shown first (the selected experiment's). */
  dataset: number | null;
  onOpenExperiment: (experiment: number, graph: number) => void;
}

/** Every experiment on a dataset (any graph of the team) as quality against median latency or
 *  tokens, with the Pareto frontier. */
export function ParetoPanel({ graph, datasets, experiments, dataset, onOpenExperiment }: Props) {
  const [picked, setPicked] = useState<number | null>(null);
  const datasetId = picked ?? dataset ?? experiments[0]?.dataset.id ?? datasets[0]?.id ?? null;
  const current = datasets.find((d) => d.id === datasetId);
  const metrics = useMemo(() => {
    const names = datasetId === null ? [] : paretoMetrics(experiments, datasetId);
    for (const name of defaultScorers(current?.fields ?? [])) if (!names.includes(name)) names.push(name);
    return names;
  }, [experiments, datasetId, current]);
  const [metricPicked, setMetric] = useState<string | null>(null);
  const metric = metricPicked !== null && metrics.includes(metricPicked) ? metricPicked : (metrics[0] ?? null);
  const [axis, setAxis] = useState<ParetoAxis>("latency");
  const [result, setResult] = useState<ParetoResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Refetched when an experiment of this graph finishes.
  const finishedKey = experiments.filter((e) => e.status === "completed").map((e) => e.id).join(",");

  useEffect(() => {
    if (datasetId === null) return;
    let live = true;
    void evaluationApi.pareto(datasetId, metric).then((answer) => {
      if (!live) return;
      if (answer.ok) {
        setResult(answer.value);
        setError(null);
      } else setError(errorText(answer.error));
    });
    return () => {
      live = false;
    };
  }, [datasetId, metric, finishedKey]);

  const option = useMemo(() => (result === null ? null : paretoOption(result, axis, graph)), [result, axis, graph]);
  const click = useCallback(
    (event: ChartClick) => {
      const hit = experimentFromClick(event);
      if (hit !== null) onOpenExperiment(hit.experiment, hit.graph);
    },
    [onOpenExperiment],
  );
  const plotted = result === null ? 0 : paretoData(result.points, axis).length;
  // Without a metric of its own to ask for, the server's choice is shown.
  const shownMetric = metric ?? result?.metric ?? null;
  const choices = shownMetric !== null && !metrics.includes(shownMetric) ? [...metrics, shownMetric] : metrics;
  return (
    <section className="eval-card" aria-label="Pareto plot">
      <div className="eval-head">
        <h2>Quality vs cost</h2>
        {datasetId !== null && (
          <>
            <select aria-label="Pareto dataset" value={datasetId ?? ""} onChange={(e) => setPicked(Number(e.target.value))}>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>{d.name}</option>
              ))}
            </select>
            <select aria-label="Pareto metric" value={shownMetric ?? ""} onChange={(e) => setMetric(e.target.value)}>
              {choices.map((name) => (
                <option key={name} value={name}>{name}</option>
              ))}
            </select>
            <span className="eval-toggle" role="radiogroup" aria-label="Cost axis">
              {(["latency", "tokens"] as const).map((value) => (
                <button key={value} role="radio" aria-checked={axis === value} className={axis === value ? "active" : undefined} onClick={() => setAxis(value)}>
                  vs {value === "latency" ? "median latency" : "tokens"}
                </button>
              ))}
            </span>
          </>
        )}
      </div>
      {error !== null && <p className="error small" role="alert">{error}</p>}
      <div data-testid="pareto" className="eval-pareto">
        {option !== null && plotted > 0 ? (
          <EChart option={option} height={360} label={`Pareto plot: ${shownMetric ?? ""} against ${axis}, ${plotted} experiments`} onClick={click} />
        ) : (
          <p className="muted small">
            {datasetId === null ? "No dataset yet." : "No finished experiment on this dataset has this metric yet."}
          </p>
        )}
      </div>
      <p className="muted small">
        Every experiment of the team on this dataset; the frontier (nothing else is both cheaper and better) is ringed in green and
        joined by a step line. Click a point to open its results.
      </p>
    </section>
  );
}
