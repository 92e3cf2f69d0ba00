import { describe, expect, it } from "vitest";

import type { DecisionData } from "./events";
import { formatProbability } from "./events";
import { routeOf } from "./routes";

const DECISION: DecisionData = {
  mode: "functional-token",
  edge: "r->math",
  target: "math",
  token: 0,
  query: "derivative of x^2",
  scores: { math: 0.8, code: 0.15, writing: 0.05 },
  candidates: [
    { edge: "r->math", target: "math", token: 0, description: "math", probability: 0.8 },
    { edge: "r->code", target: "code", token: 1, description: "code", probability: 0.15 },
  ],
};

describe("routeOf", () => {
  it("marks the chosen edge and reads each candidate's probability", () => {
    expect(routeOf(DECISION, "r->math", "math")).toEqual({ chosen: true, probability: 0.8, parts: null });
    expect(routeOf(DECISION, "r->code", "code")).toEqual({ chosen: false, probability: 0.15, parts: null });
  });

  it("falls back to the score of the edge's target", () => {
    expect(routeOf(DECISION, "r->writing", "writing")).toEqual({ chosen: false, probability: 0.05, parts: null });
  });

  it("formats probabilities as percentages", () => {
    expect(formatProbability(1 / 3)).toBe("33.3%");
    expect(formatProbability(1)).toBe("100%");
    expect(formatProbability(undefined)).toBe("—");
  });
});
