import { describe, expect, it } from "vitest";

import type { DecisionData } from "./events";
import { formatProbability } from "./events";
import { decisionRows, routeOf } from "./routes";

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

describe("decisionRows", () => {
  const titles: Record<string, string> = { math: "Mathematics", code: "Programming" };
  const titleOf = (node: string) => titles[node] ?? node;

  it("lists every candidate by its target's title, most probable first, the chosen one marked", () => {
    const decision: DecisionData = {
      ...DECISION,
      edge: "r->code",
      target: "code",
      candidates: [
        { edge: "r->math", target: "math", token: 0, description: "math", probability: 0.15 },
        { edge: "r->code", target: "code", token: 1, description: "code", probability: 0.8 },
        { edge: "r->writing", target: "writing", token: 2, description: "writing", probability: 0.05 },
      ],
    };
    const rows = decisionRows(decision, titleOf);
    expect(rows.map((row) => [row.title, row.probability, row.chosen])).toEqual([
      ["Programming", 0.8, true],
      ["Mathematics", 0.15, false],
      ["writing", 0.05, false],
    ]);
    expect(rows[0]).toMatchObject({ edge: "r->code", target: "code", token: 1, parts: null });
  });

  it("keeps token order between equally probable candidates", () => {
    const uniform: DecisionData = {
      ...DECISION,
      candidates: [2, 0, 1].map((token) => ({ edge: `e${token}`, target: `t${token}`, token, description: "", probability: 1 / 3 })),
    };
    expect(decisionRows(uniform, titleOf).map((row) => row.token)).toEqual([0, 1, 2]);
  });
});
