import { describe, expect, it } from "vitest";

import {
  compareBlocker,
  experimentProgress,
  experimentSocketUrl,
  mainMetric,
  mergeExperimentList,
  newerExperiment,
  paretoMetrics,
  upsertExperiment,
} from "./experiments";
import { experiment } from "./fixtures";

describe("experiment state", () => {
  it("keeps the newest revision of an experiment, whatever order answers arrive in", () => {
    const old = experiment({ revision: 3 });
    const fresh = experiment({ revision: 6, done: 50 });
    expect(newerExperiment(fresh, old)).toBe(fresh);
    expect(newerExperiment(old, fresh)).toBe(fresh);
    expect(newerExperiment(null, old)).toBe(old);
    const other = experiment({ id: 8, revision: 1 });
    expect(newerExperiment(fresh, other)).toBe(other);
  });

  it("puts a new experiment first and replaces an older state in place", () => {
    const list = [experiment({ id: 2, revision: 1 }), experiment({ id: 1, revision: 4 })];
    expect(upsertExperiment(list, experiment({ id: 3 })).map((e) => e.id)).toEqual([3, 2, 1]);
    const updated = upsertExperiment(list, experiment({ id: 1, revision: 9, status: "completed" }));
    expect(updated.map((e) => [e.id, e.status])).toEqual([
      [2, "running"],
      [1, "completed"],
    ]);
    expect(upsertExperiment(list, experiment({ id: 1, revision: 2 }))[1]?.revision).toBe(4);
  });

  it("merges a fetched list without losing a newer socket frame", () => {
    const live = experiment({ id: 1, revision: 9, done: 90 });
    const merged = mergeExperimentList([live], [experiment({ id: 4 }), experiment({ id: 1, revision: 5 })]);
    expect(merged.map((e) => [e.id, e.revision])).toEqual([
      [4, 5],
      [1, 9],
    ]);
  });
});

describe("the headline metric", () => {
  it("is the first scorer with a value, with its interval", () => {
    expect(mainMetric(experiment())).toEqual({ name: "route", value: 0.8, interval: { low: 0.66, high: 0.89, n: 40, method: "wilson" } });
    expect(mainMetric(experiment({ summary: null }))).toEqual({ name: "route", value: null, interval: null });
    expect(mainMetric(experiment({ scorers: [] }))).toBeNull();
  });
});

describe("progress", () => {
  it("reads rows done, failures, rows in flight, running metrics and the ETA", () => {
    expect(experimentProgress(experiment())).toEqual({
      fraction: 0.4,
      caption: "40/100 rows · 2 failed · 8 running · route 80.0% · ETA 1 min 30 s",
    });
  });

  it("says queued before any row ran, and how long a finished one took", () => {
    expect(experimentProgress(experiment({ status: "queued", done: 0, progress: { done: 0, total: 100, failed: 0, running: 0, elapsed_s: 0, eta_s: null } })).caption).toBe("Queued · 100 rows");
    const done = experiment({
      status: "completed",
      done: 100,
      failed: 0,
      progress: { done: 100, total: 100, failed: 0, running: 0, elapsed_s: 200, eta_s: 0 },
    });
    expect(experimentProgress(done)).toEqual({ fraction: 1, caption: "100/100 rows · route 80.0% · took 3 min 20 s" });
  });

  it("opens the experiment's socket on the page's host", () => {
    expect(experimentSocketUrl(7, { protocol: "https:", host: "octo.example" })).toBe("wss://octo.example/ws/experiments/7/");
  });
});

describe("compare and Pareto", () => {
  it("compares two or more completed experiments on one dataset", () => {
    const a = experiment({ id: 1, status: "completed" });
    const b = experiment({ id: 2, status: "completed" });
    expect(compareBlocker([a])).toMatch(/two or more/);
    expect(compareBlocker([a, experiment({ id: 3, status: "completed", dataset: { id: 99, name: "other" } })])).toMatch(/same dataset/);
    expect(compareBlocker([a, experiment({ id: 4 })])).toMatch(/completed/);
    expect(compareBlocker([a, b])).toBeNull();
  });

  it("offers the dataset's metrics, the usual defaults first", () => {
    const list = [
      experiment({ scorers: [{ name: "contains" }, { name: "exact" }] }),
      experiment({ scorers: [{ name: "choice" }] }),
      experiment({ dataset: { id: 12, name: "x" }, scorers: [{ name: "judge" }] }),
    ];
    expect(paretoMetrics(list, 11)).toEqual(["choice", "exact", "contains"]);
  });
});
