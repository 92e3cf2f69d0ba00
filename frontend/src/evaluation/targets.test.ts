import { describe, expect, it } from "vitest";

import type { GraphSpec } from "../graph/spec";
import { orderLabels, orderTargets, routerTargets } from "./targets";

const node = (id: string, kind: "input" | "router" | "model" | "output") =>
  ({ id, kind, config: {} }) as unknown as GraphSpec["nodes"][number];

// Spec order differs from token order, and from alphabetical order.
const SPEC: GraphSpec = {
  spec: 1,
  nodes: [node("in", "input"), node("r", "router"), node("writing", "model"), node("math", "model"), node("code", "model"), node("out", "output")],
  edges: [
    { id: "in->r", source: "in", target: "r" },
    { id: "r->writing", source: "r", target: "writing", data: { token: 2 } },
    { id: "r->math", source: "r", target: "math", data: { token: 0 } },
    { id: "r->code", source: "r", target: "code", data: { token: 1 } },
    { id: "math->out", source: "math", target: "out" },
  ],
};

describe("the order of a router's targets", () => {
  it("follows the router's outgoing edges by functional token", () => {
    expect(routerTargets(SPEC, "r")).toEqual(["math", "code", "writing"]);
  });

  it("puts edges without a token last, in spec order", () => {
    const spec: GraphSpec = {
      ...SPEC,
      edges: [
        { id: "r->z", source: "r", target: "z" },
        { id: "r->b", source: "r", target: "b", data: { token: 1 } },
        { id: "r->y", source: "r", target: "y", data: { description: "no token" } },
        { id: "r->a", source: "r", target: "a", data: { token: 0 } },
      ],
    };
    expect(routerTargets(spec, "r")).toEqual(["a", "b", "z", "y"]);
  });

  it("knows no targets without a spec or for another node", () => {
    expect(routerTargets(null, "r")).toEqual([]);
    expect(routerTargets(SPEC, "math")).toEqual([]);
    expect(routerTargets(SPEC, "nope")).toEqual([]);
  });

  it("orders labels as the graph does, other labels after them alphabetically", () => {
    expect(orderTargets(["code", "math", "writing"], SPEC, "r")).toEqual(["math", "code", "writing"]);
    expect(orderTargets(["writing", "(none)", "code", "gone"], SPEC, "r")).toEqual(["code", "writing", "(none)", "gone"]);
    expect(orderTargets(["writing", "code", "math"], null, "r")).toEqual(["code", "math", "writing"]);
  });

  it("keeps each label once, and only the labels given", () => {
    expect(orderLabels(["b", "a", "b"], ["c", "b", "b"])).toEqual(["b", "a"]);
    expect(orderLabels(new Set<string>(), ["a"])).toEqual([]);
  });
});
