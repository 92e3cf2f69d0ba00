import { describe, expect, it } from "vitest";

import type { SpecDiff } from "./diff";
import { describeDiff, diffMarks, formatFieldValue, mergeForCompare } from "./diff";
import type { GraphSpec } from "./spec";

const diff: SpecDiff = {
  from: 1,
  to: 2,
  nodes: {
    added: ["new"],
    removed: ["gone"],
    changed: [{ id: "w", fields: { "config.system": { from: "a", to: "b" } } }],
    moved: [{ id: "w", from: { x: 0, y: 0 }, to: { x: 5, y: 0 } }, { id: "q", from: null, to: null }],
  },
  edges: { added: ["e2"], removed: ["e1"], changed: [] },
  meta: { title: { from: "A", to: "B" } },
};

describe("diffMarks", () => {
  it("marks every node and edge, a change winning over a move", () => {
    const marks = diffMarks(diff);
    expect(Object.fromEntries(marks.nodes)).toEqual({ new: "added", gone: "removed", w: "changed", q: "moved" });
    expect(Object.fromEntries(marks.edges)).toEqual({ e2: "added", e1: "removed" });
  });
});

describe("mergeForCompare", () => {
  it("keeps the newer spec and adds what only the older one had", () => {
    const older: GraphSpec = {
      spec: 1,
      nodes: [
        { id: "q", kind: "input", config: {} },
        { id: "gone", kind: "output", config: {} },
      ],
      edges: [{ id: "e1", source: "q", target: "gone" }],
    };
    const newer: GraphSpec = {
      spec: 1,
      nodes: [
        { id: "q", kind: "input", config: {} },
        { id: "new", kind: "output", config: {} },
      ],
      edges: [{ id: "e2", source: "q", target: "new" }],
    };
    const merged = mergeForCompare(older, newer);
    expect(merged.nodes.map((node) => node.id)).toEqual(["q", "new", "gone"]);
    expect(merged.edges.map((edge) => edge.id)).toEqual(["e2", "e1"]);
  });
});

describe("describeDiff", () => {
  it("lists one line per change, each changed field with its old and new values", () => {
    expect(describeDiff(diff)).toEqual([
      "node new added",
      "node gone removed",
      'node w: config.system: "a" → "b"',
      "2 node(s) moved",
      "edge e2 added",
      "edge e1 removed",
      'meta.title: "A" → "B"',
    ]);
  });

  it("lists every changed field of an element on its own line", () => {
    const two: SpecDiff = {
      ...diff,
      nodes: { added: [], removed: [], moved: [], changed: [{ id: "w", fields: { "config.temperature": { from: 0.2, to: 0.7 }, label: { from: null, to: "Writer" } } }] },
      edges: { added: [], removed: [], changed: [{ id: "e", fields: { "data.token": { from: 1, to: 2 } } }] },
      meta: {},
    };
    expect(describeDiff(two)).toEqual([
      "node w: config.temperature: 0.2 → 0.7",
      'node w: label: (none) → "Writer"',
      "edge e: data.token: 1 → 2",
    ]);
  });
});

describe("formatFieldValue", () => {
  it("quotes strings, writes objects as JSON and cuts long values", () => {
    expect(formatFieldValue("a")).toBe('"a"');
    expect(formatFieldValue(undefined)).toBe("(none)");
    expect(formatFieldValue({ stop: ["\n"] })).toBe('{"stop":["\\n"]}');
    const long = formatFieldValue("x".repeat(500));
    expect(long).toHaveLength(160);
    expect(long.endsWith("…")).toBe(true);
  });
});
