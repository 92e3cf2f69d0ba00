import { describe, expect, it } from "vitest";

import type { NodeKindInfo } from "../api/types";
import type { ConnectionGraph } from "./connect";
import { checkConnection, newEdgeData, nextFreeToken, pathBetween, tokenClash } from "./connect";
import served from "./fixtures/nodeKinds.json";
import { setNodeKinds } from "./nodeKinds";

setNodeKinds(served as NodeKindInfo[]);

const graph: ConnectionGraph = {
  nodes: [
    { id: "q", type: "input" },
    { id: "r", type: "router" },
    { id: "a", type: "model" },
    { id: "b", type: "model" },
    { id: "out", type: "output" },
  ],
  edges: [
    { id: "q->r", source: "q", target: "r" },
    { id: "r->a", source: "r", target: "a", data: { token: 0, description: "a" } },
    { id: "a->out", source: "a", target: "out" },
  ],
};

describe("checkConnection", () => {
  it("accepts a new edge between a router and a model", () => {
    expect(checkConnection(graph, "r", "b")).toEqual({ ok: true });
  });

  it("refuses an edge into an input node", () => {
    expect(checkConnection(graph, "a", "q")).toEqual({
      ok: false,
      reason: "an input node takes no incoming edges",
    });
  });

  it("refuses an edge out of an output node", () => {
    expect(checkConnection(graph, "out", "b")).toEqual({
      ok: false,
      reason: "an output node has no outgoing edges",
    });
  });

  it("refuses a duplicate edge", () => {
    expect(checkConnection(graph, "r", "a")).toMatchObject({ ok: false, reason: expect.stringContaining("already") });
  });

  it("refuses a self loop", () => {
    expect(checkConnection(graph, "a", "a")).toMatchObject({ ok: false });
  });

  it("refuses an edge that closes a cycle and names the cycle", () => {
    expect(checkConnection(graph, "a", "r")).toEqual({
      ok: false,
      reason: "this edge would close a cycle: a → r → a",
    });
  });

  it("refuses a 27th candidate for in-context routing but not for embedding routing", () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ id: `m${i}`, type: "model" as const }));
    const edges = many.map((node, token) => ({ id: `r->${node.id}`, source: "r", target: node.id, data: { token } }));
    const nodes = [{ id: "r", type: "router" as const }, ...many, { id: "x", type: "model" as const }];
    expect(checkConnection({ nodes, edges }, "r", "x")).toMatchObject({ ok: false });
    const embedding = nodes.map((node) => (node.id === "r" ? { ...node, routerMode: "embedding" as const } : node));
    expect(checkConnection({ nodes: embedding, edges }, "r", "x")).toEqual({ ok: true });
  });
});

describe("router tokens", () => {
  it("assigns the smallest token the router does not use yet", () => {
    const edges = [
      { id: "1", source: "r", target: "a", data: { token: 0 } },
      { id: "2", source: "r", target: "b", data: { token: 2 } },
      { id: "3", source: "other", target: "c", data: { token: 1 } },
    ];
    expect(nextFreeToken(edges, "r")).toBe(1);
  });

  it("finds another edge of the same router holding the same token", () => {
    const edges = [
      { id: "1", source: "r", target: "a", data: { token: 0 } },
      { id: "2", source: "r", target: "b", data: { token: 0 } },
      { id: "3", source: "other", target: "c", data: { token: 1 } },
      { id: "4", source: "r", target: "d", data: { token: 1 } },
    ];
    expect(tokenClash(edges, "1")?.id).toBe("2");
    expect(tokenClash(edges, "4")).toBeUndefined();
  });

  it("gives router edges a token and an empty description, other edges no data", () => {
    expect(newEdgeData(graph, "r")).toEqual({ token: 1, description: "" });
    expect(newEdgeData(graph, "a")).toBeUndefined();
  });
});

describe("pathBetween", () => {
  it("finds the path along edges", () => {
    expect(pathBetween(graph.edges, "q", "out")).toEqual(["q", "r", "a", "out"]);
  });

  it("answers null when no path exists", () => {
    expect(pathBetween(graph.edges, "out", "q")).toBeNull();
  });
});
