/** The Evaluate page's API calls (webapp/evaluation: datasets, scorers, experiments, compare,
 *  Pareto), apart from src/api/endpoints.ts so that only the page's lazily loaded chunk carries
 *  them. */
import { request } from "../api/client";
import { allPages } from "../api/pages";
import type {
  BuiltinDataset,
  CompareResult,
  Dataset,
  DatasetRowItem,
  Experiment,
  ExperimentRow,
  Page,
  ParetoResult,
  RowFilter,
  ScorerInfo,
  StartExperimentBody,
} from "../api/types";
import { rowsQuery } from "./rows";

export const evaluationApi = {
  /** Every dataset of the team, newest first (all pages). */
  datasets: (team: number) => allPages<Dataset>("/api/datasets/", `team=${team}`),
  builtinDatasets: () => request<BuiltinDataset[]>("GET", "/api/datasets/builtin/"),
  /** A JSONL or CSV file; 400 `invalid_dataset` lists every problem in `body.problems`. */
  uploadDataset(team: number, name: string, file: File, description = "") {
    const form = new FormData();
    form.append("team", String(team));
    form.append("name", name);
    if (description !== "") form.append("description", description);
    form.append("file", file);
    return request<Dataset>("POST", "/api/datasets/", form);
  },
  addBuiltinDataset: (team: number, builtin: string, name = "") =>
    request<Dataset>("POST", "/api/datasets/", name === "" ? { team, builtin } : { team, builtin, name }),
  /** Inputs of the graph's completed runs, their outputs as `expected`. */
  datasetFromRuns: (team: number, name: string, graph: number, limit?: number) =>
    request<Dataset>("POST", "/api/datasets/", {
      team,
      name,
      from_runs: limit === undefined ? { graph } : { graph, limit },
    }),
  datasetRows: (dataset: number, offset = 0, limit = 20) =>
    request<Page<DatasetRowItem>>("GET", `/api/datasets/${dataset}/rows/?offset=${offset}&limit=${limit}`),
  deleteDataset: (dataset: number) => request<undefined>("DELETE", `/api/datasets/${dataset}/`),
  /** Without `metric`, the server plots the newest experiment's first scorer. */
  pareto: (dataset: number, metric: string | null) =>
    request<ParetoResult>(
      "GET",
      `/api/datasets/${dataset}/pareto/${metric === null ? "" : `?metric=${encodeURIComponent(metric)}`}`,
    ),
  scorers: () => request<ScorerInfo[]>("GET", "/api/evaluation/scorers/"),
  startExperiment: (graph: number, body: StartExperimentBody) =>
    request<Experiment>("POST", `/api/graphs/${graph}/experiments/`, body),
  /** The graph's most recent experiments (the server's page: 50 by default), newest first. */
  experiments: (graph: number, limit = 100) => request<Experiment[]>("GET", `/api/graphs/${graph}/experiments/?limit=${limit}`),
  experiment: (id: number) => request<Experiment>("GET", `/api/experiments/${id}/`),
  cancelExperiment: (id: number) => request<Experiment>("POST", `/api/experiments/${id}/cancel/`),
  experimentRows: (id: number, filter: RowFilter, offset: number, limit: number) =>
    request<Page<ExperimentRow>>("GET", `/api/experiments/${id}/rows/?${rowsQuery(filter, offset, limit)}`),
  compareExperiments: (ids: readonly number[]) =>
    request<CompareResult>("GET", `/api/experiments/compare/?ids=${ids.join(",")}`),
};
