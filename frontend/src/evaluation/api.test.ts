import { afterEach, describe, expect, it, vi } from "vitest";

import { forgetCsrfToken } from "../api/client";
import { fakeFetch } from "../api/fakeFetch";
import { evaluationApi } from "./api";
import { datasetProblems } from "./rows";

afterEach(() => {
  vi.unstubAllGlobals();
  forgetCsrfToken();
});

describe("evaluation API calls", () => {
  it("upload a file as multipart and read every problem of a refused one", async () => {
    const problems = [
      { line: 2, field: "answer", message: "must be one letter A-D (the row has 4 choices)" },
      { line: 4, field: null, message: "not valid JSON" },
    ];
    const calls = fakeFetch([{ status: 400, body: { code: "invalid_dataset", message: "2 problems", problems } }]);
    const file = new File(['{"input": "x"}\n'], "qa.jsonl");
    const result = await evaluationApi.uploadDataset(5, "qa", file);
    expect(calls[0]?.url).toBe("/api/datasets/");
    const form = calls[0]?.init?.body as FormData;
    expect([form.get("team"), form.get("name"), (form.get("file") as File).name]).toEqual(["5", "qa", "qa.jsonl"]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("invalid_dataset");
      expect(datasetProblems(result.error)).toEqual([
        "line 2, answer: must be one letter A-D (the row has 4 choices)",
        "line 4: not valid JSON",
      ]);
    }
  });

  it("start an experiment, filter rows, compare and ask for the Pareto points", async () => {
    const calls = fakeFetch([{ status: 201, body: { id: 1 } }, { status: 200, body: { count: 0, rows: [] } }, { status: 200, body: {} }, { status: 200, body: {} }]);
    await evaluationApi.startExperiment(3, { dataset: 11, version: 2, scorers: ["route"], routing_only: true });
    await evaluationApi.experimentRows(1, { router: "r", expected: "math", chosen: "code" }, 0, 50);
    await evaluationApi.compareExperiments([4, 2]);
    await evaluationApi.pareto(11, "choice");
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual([
      "POST /api/graphs/3/experiments/",
      "GET /api/experiments/1/rows/?router=r&expected=math&chosen=code&offset=0&limit=50",
      "GET /api/experiments/compare/?ids=4,2",
      "GET /api/datasets/11/pareto/?metric=choice",
    ]);
    expect(JSON.parse(calls[0]?.init?.body as string)).toEqual({ dataset: 11, version: 2, scorers: ["route"], routing_only: true });
  });
});
