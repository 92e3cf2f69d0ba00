import { describe, expect, it } from "vitest";

import { COLUMN_WIDTH, ROW_HEIGHT, depths, layoutByDepth } from "./layout";

const nodes = [
  { id: "q", type: "input" as const },
  { id: "r", type: "router" as const },
  { id: "a", type: "model" as const },
  { id: "b", type: "model" as const },
  { id: "out", type: "output" as const },
];
const edges = [
  { id: "1", source: "q", target: "r" },
  { id: "2", source: "r", target: "a" },
  { id: "3", source: "r", target: "b" },
  { id: "4", source: "a", target: "out" },
  { id: "5", source: "b", target: "out" },
  { id: "6", source: "q", target: "out" },
];

describe("layoutByDepth", () => {
  it("puts each node one column past its deepest predecessor", () => {
    expect(Object.fromEntries(depths(nodes, edges))).toEqual({ q: 0, r: 1, a: 2, b: 2, out: 3 });
  });

  it("centres each column vertically", () => {
    const positions = layoutByDepth(nodes, edges);
    expect(positions.get("a")).toEqual({ x: 2 * COLUMN_WIDTH, y: -ROW_HEIGHT / 2 });
    expect(positions.get("b")).toEqual({ x: 2 * COLUMN_WIDTH, y: ROW_HEIGHT / 2 });
    expect(positions.get("out")).toEqual({ x: 3 * COLUMN_WIDTH, y: 0 });
  });

  it("still places nodes on or behind a cycle, one column past the rest", () => {
    const cyclic = [...edges, { id: "7", source: "b", target: "r" }];
    expect(Object.fromEntries(depths(nodes, cyclic))).toEqual({ q: 0, r: 1, a: 1, b: 1, out: 1 });
  });
});
