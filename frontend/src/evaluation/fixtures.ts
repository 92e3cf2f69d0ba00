/** Small API answers shaped as the plan's (eval_plan.md section 3), for the tests. */
import type { Experiment, ParetoResult, RouterReport, ScorerInfo } from "../api/types";

export const SCORERS: ScorerInfo[] = [
  { name: "exact", description: "The output equals expected.", needs: ["expected"], routing_only: false, supported: true },
  { name: "contains", description: "The output contains expected.", needs: ["expected"], routing_only: false, supported: true },
  { name: "choice", description: "The letter chosen equals answer.", needs: ["answer", "choices"], routing_only: false, supported: true },
  { name: "route", description: "Each router chose the expected target.", needs: ["route"], routing_only: true, supported: true },
  { name: "judge", description: "An LLM grades the answer.", needs: ["input"], routing_only: false, supported: true },
];

export function experiment(patch: Partial<Experiment> = {}): Experiment {
  return {
    id: 7,
    graph: 3,
    version: 2,
    dataset: { id: 11, name: "mmlu" },
    sample: null,
    seed: 0,
    scorers: [{ name: "route" }, { name: "choice" }],
    routing_only: false,
    concurrency: 8,
    status: "running",
    total: 100,
    done: 40,
    failed: 2,
    progress: { done: 40, total: 100, failed: 2, running: 8, elapsed_s: 60, eta_s: 90 },
    summary: {
      metrics: { route: 0.8, choice: null },
      intervals: { route: { low: 0.66, high: 0.89, n: 40, method: "wilson" } },
      latency_ms: { p50: 420, p90: 900 },
    },
    error: "",
    revision: 5,
    created_by: "demo",
    created_at: "2025-01-01T00:00:00Z",
    started_at: null,
    finished_at: null,
    ...patch,
  };
}

export const ROUTER: RouterReport = {
  accuracy: 0.75,
  low: 0.6,
  high: 0.85,
  n: 8,
  confusion: { math: { math: 3, code: 1 }, code: { code: 3, chat: 1 } },
  labels: ["math", "code"],
  per_target: {
    math: { precision: 1, recall: 0.75, support: 4 },
    code: { precision: 0.75, recall: 0.75, support: 4 },
  },
  top_confusions: [
    { expected: "math", chosen: "code", count: 1 },
    { expected: "code", chosen: "chat", count: 1 },
  ],
  calibration: {
    bins: [
      { low: 0, high: 0.5, count: 0, confidence: null, accuracy: null },
      { low: 0.5, high: 1, count: 8, confidence: 0.9, accuracy: 0.75 },
    ],
    ece: 0.15,
  },
};

export const PARETO: ParetoResult = {
  dataset: 11,
  metric: "choice",
  points: [
    { experiment: 1, graph: 3, graph_name: "moa", version: 1, label: "moa v1", routing_only: false, quality: 0.7, latency_p50: 3000, tokens: 900 },
    { experiment: 2, graph: 3, graph_name: "moa", version: 2, label: "", routing_only: false, quality: 0.6, latency_p50: 800, tokens: 300 },
    { experiment: 3, graph: 4, graph_name: "single <b>", version: 1, label: "single v1", routing_only: false, quality: 0.5, latency_p50: 1000, tokens: 200 },
  ],
  frontier: { latency: [1, 2], tokens: [3, 2, 1] },
};
