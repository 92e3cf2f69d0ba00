import { describe, expect, it } from "vitest";

import { originText, replayOrigin, resultsHref, traceHref } from "./replayLink";

describe("links from an experiment's rows to their replays and back", () => {
  it("opens a run, saying which row of which experiment it came from", () => {
    expect(traceHref(3, 912)).toBe("/graphs/3?run=912");
    expect(traceHref(3, 912, { experiment: 7, row: 0 })).toBe("/graphs/3?run=912&experiment=7&row=0");
    expect(traceHref(3, 912, { experiment: 7, row: null })).toBe("/graphs/3?run=912&experiment=7");
  });

  it("reads the origin back from the editor's query", () => {
    const origin = { experiment: 7, row: 2 };
    expect(replayOrigin(new URL(`http://x${traceHref(3, 912, origin)}`).searchParams)).toEqual(origin);
    expect(replayOrigin(new URLSearchParams("run=912&experiment=7"))).toEqual({ experiment: 7, row: null });
    expect(replayOrigin(new URLSearchParams("run=912&experiment=7&row=-1"))).toEqual({ experiment: 7, row: null });
  });

  it("ignores a missing or malformed experiment", () => {
    for (const query of ["run=912", "experiment=", "experiment=0", "experiment=abc", "experiment=1.5", "experiment=-3"]) {
      expect(replayOrigin(new URLSearchParams(query))).toBeNull();
    }
  });

  it("links back to the experiment's results and names the row", () => {
    expect(resultsHref(3, 7)).toBe("/graphs/3/evaluate?experiment=7");
    expect(originText({ experiment: 7, row: 2 })).toBe("Row 2 of experiment 7");
    expect(originText({ experiment: 7, row: null })).toBe("Experiment 7");
  });
});
