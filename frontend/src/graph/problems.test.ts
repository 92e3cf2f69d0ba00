import { describe, expect, it } from "vitest";

import type { Problem } from "./problems";
import {
  addNodeRefusal,
  indexProblems,
  problemFullText,
  problemsTooltip,
  problemTarget,
  problemWhere,
} from "./problems";

// The shape of `{"code": "invalid_graph", "problems": [...]}` in webapp/graphstore/services.py.
const temperature: Problem = {
  code: "bad_config",
  message: "must be between 0 and 2 (got 7); lower it to sample less randomly",
  node: "m",
  field: "config.temperature",
};
const dangling: Problem = { code: "dangling_edge", message: "edge target 'ghost' is not a node", edge: "e9" };
const noOutput: Problem = { code: "no_output", message: "the graph needs at least one output node" };

describe("problem mapping", () => {
  it("puts each problem on the node or edge it names and keeps graph-wide ones for the list", () => {
    const index = indexProblems([temperature, dangling, noOutput]);
    expect(index.nodes.get("m")).toEqual([temperature]);
    expect(index.edges.get("e9")).toEqual([dangling]);
    expect(index.graph).toEqual([noOutput]);
  });

  it("names the element to select for each problem", () => {
    expect(problemTarget(temperature)).toEqual({ id: "m", what: "node" });
    expect(problemTarget(dangling)).toEqual({ id: "e9", what: "edge" });
    expect(problemTarget(noOutput)).toBeNull();
    expect([temperature, dangling, noOutput].map(problemWhere)).toEqual(["node 'm'", "edge 'e9'", "graph"]);
  });

  it("writes the full reason as the server's Problem.__str__ does, never shortened", () => {
    expect(problemFullText(temperature)).toBe(
      "node 'm': config.temperature: must be between 0 and 2 (got 7); lower it to sample less randomly",
    );
    expect(problemFullText(dangling)).toBe("edge 'e9': edge target 'ghost' is not a node");
    expect(problemFullText(noOutput)).toBe("the graph needs at least one output node");
  });

  it("lists every problem, one a line, for a tooltip", () => {
    expect(problemsTooltip([temperature, dangling]).split("\n")).toEqual([
      problemFullText(temperature),
      problemFullText(dangling),
    ]);
  });
});

describe("addNodeRefusal", () => {
  it("refuses a second input and says why", () => {
    expect(addNodeRefusal("input", ["input", "output"])).toBe("a graph has one input");
  });

  it("allows the first input, more outputs and every other kind", () => {
    expect(addNodeRefusal("input", ["output"])).toBeNull();
    expect(addNodeRefusal("output", ["input", "output"])).toBeNull();
    expect(addNodeRefusal("model", ["input", "model", "output"])).toBeNull();
  });
});
