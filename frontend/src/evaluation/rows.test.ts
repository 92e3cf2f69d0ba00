import { describe, expect, it } from "vitest";

import type { ApiError } from "../api/client";
import {
  datasetProblems,
  decisionText,
  describeFilter,
  outputCell,
  problemsHeading,
  problemText,
  referenceParts,
  rowsQuery,
  traceHref,
  withFilter,
} from "./rows";

describe("the rows query", () => {
  it("carries the set filters and the page", () => {
    expect(rowsQuery({ router: "r", expected: "math", chosen: "code & co" }, 50, 50)).toBe(
      "router=r&expected=math&chosen=code+%26+co&offset=50&limit=50",
    );
    expect(rowsQuery({ scorer: "choice", value: 0 }, 0, 25)).toBe("scorer=choice&value=0&offset=0&limit=25");
  });

  it("drops a filter set to undefined, and the value with its scorer", () => {
    expect(withFilter({ router: "r", expected: "a", chosen: "b" }, { status: "scored" })).toEqual({ router: "r", expected: "a", chosen: "b", status: "scored" });
    expect(withFilter({ scorer: "exact", value: 1 }, { scorer: undefined })).toEqual({});
    expect(describeFilter({ router: "r", expected: "math", chosen: "code" })).toBe("router r, expected math, chose code");
    expect(describeFilter({ scorer: "exact", value: 0 })).toBe("exact = 0");
  });
});

describe("a row", () => {
  it("reads its reference and its routers' decisions", () => {
    expect(referenceParts({ expected: "42", answer: "B", route: "math" })).toEqual(["route math", "answer B", "42"]);
    expect(referenceParts({ expected: null, answer: null, route: { r1: "a", r2: "b" } })).toEqual(["route r1→a, r2→b"]);
    expect(decisionText({ r: { target: "math", probability: 0.934 } })).toBe("math (0.93)");
    expect(decisionText({ r1: { target: "a", probability: 0.5 }, r2: { target: "b", probability: 1 } })).toBe("r1→a (0.50), r2→b (1.00)");
  });

  it("links its run to a replay on the canvas", () => {
    expect(traceHref(3, 912)).toBe("/graphs/3?run=912");
    expect(traceHref(3, 912, { experiment: 4, row: 2 })).toBe("/graphs/3?run=912&experiment=4&row=2");
  });

  it("shows its answer, why it failed, its status, or that a routing-only run has no answer", () => {
    const row = { status: "scored" as const, error: null, output: "42", outcome: "completed" };
    expect(outputCell(row, false)).toEqual({ text: "42", tone: null });
    expect(outputCell(row, true)).toEqual({ text: "42", tone: null });
    expect(outputCell({ ...row, output: null }, true)).toEqual({ text: "— routing only", tone: "muted" });
    expect(outputCell({ ...row, output: "" }, true)).toEqual({ text: "— routing only", tone: "muted" });
    expect(outputCell({ ...row, output: null }, false)).toEqual({ text: "", tone: null });
    expect(outputCell({ ...row, status: "running", output: null, outcome: null }, true)).toEqual({ text: "running", tone: "muted" });
    expect(outputCell({ ...row, output: null, outcome: "failed", error: "timed out" }, true)).toEqual({ text: "failed: timed out", tone: "error" });
    expect(outputCell({ ...row, outcome: "cancelled" }, false)).toEqual({ text: "cancelled: 42", tone: null });
  });
});

describe("a refused dataset", () => {
  it("lists every problem as line N, field: message", () => {
    expect(problemText({ line: 3, field: "answer", message: "must be one letter A-D" })).toBe("line 3, answer: must be one letter A-D");
    expect(problemText({ line: 7, field: null, message: "not valid JSON" })).toBe("line 7: not valid JSON");
    expect(problemText({ line: 0, field: null, message: "unknown extension .txt" })).toBe("unknown extension .txt");
    const error: ApiError = {
      status: 400,
      code: "invalid_dataset",
      message: "2 problems",
      body: {
        problems: [
          { line: 2, field: "input", message: "required" },
          { line: 5, field: null, message: "not an object" },
        ],
      },
    };
    expect(datasetProblems(error)).toEqual(["line 2, input: required", "line 5: not an object"]);
    expect(datasetProblems({ ...error, body: {} })).toEqual([]);
  });

  it("heads the problems with the server's message as a sentence", () => {
    expect(problemsHeading("the file has 4 problems", 4)).toBe("The file has 4 problems:");
    expect(problemsHeading("the file has 1 problem.", 1)).toBe("The file has 1 problem:");
    expect(problemsHeading("the file is empty", 0)).toBe("The file is empty");
    expect(problemsHeading("Already a sentence.", 0)).toBe("Already a sentence.");
    expect(problemsHeading("", 0)).toBe("");
  });
});
