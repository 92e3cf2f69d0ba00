import { describe, expect, it } from "vitest";

import { flowToSpec, specToFlow } from "./flow";
import type { GraphSpec } from "./spec";

const ROUTER_SPEC: GraphSpec = {
  spec: 1,
  meta: { title: "Router" },
  nodes: [
    { id: "q", kind: "input", position: { x: 0, y: 0 }, config: {} },
    { id: "r", kind: "router", position: { x: 280, y: 0 }, config: { model: "m", mode: "embedding" } },
    { id: "w", kind: "model", position: { x: 560, y: 0 }, label: "Maths", config: { model: "m", system: "Be exact." } },
    { id: "out", kind: "output", position: { x: 840, y: 0 }, config: {} },
  ],
  edges: [
    { id: "q->r", source: "q", target: "r" },
    { id: "r->w", source: "r", target: "w", data: { token: 0, description: "maths" } },
    { id: "w->out", source: "w", target: "out" },
  ],
};

describe("spec <-> flow", () => {
  it("round-trips a spec unchanged", () => {
    const { nodes, edges } = specToFlow(ROUTER_SPEC);
    expect(flowToSpec(nodes, edges, ROUTER_SPEC.meta)).toEqual(ROUTER_SPEC);
  });

  it("uses the kind as the React Flow node type", () => {
    const { nodes } = specToFlow(ROUTER_SPEC);
    expect(nodes.map((node) => node.type)).toEqual(["input", "router", "model", "output"]);
  });

  it("rounds dragged positions to whole pixels", () => {
    const { nodes, edges } = specToFlow(ROUTER_SPEC);
    const moved = nodes.map((node) => ({ ...node, position: { x: 10.4, y: -3.6 } }));
    expect(flowToSpec(moved, edges).nodes[0]?.position).toEqual({ x: 10, y: -4 });
  });

  it("gives a node without a position the origin", () => {
    const spec: GraphSpec = { spec: 1, nodes: [{ id: "q", kind: "input", config: {} }], edges: [] };
    expect(specToFlow(spec).nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it("drops empty edge data and empty meta", () => {
    const spec = flowToSpec([], [{ id: "e", source: "a", target: "b", data: {} }], {});
    expect(spec).toEqual({ spec: 1, nodes: [], edges: [{ id: "e", source: "a", target: "b" }] });
  });
});
