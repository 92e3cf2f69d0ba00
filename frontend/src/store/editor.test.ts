import { beforeEach, describe, expect, it } from "vitest";

import type { GraphDetail } from "../api/types";
import type { GraphSpec } from "../graph/spec";
import { useEditor } from "./editor";

const SPEC: GraphSpec = {
  spec: 1,
  nodes: [
    { id: "input", kind: "input", position: { x: 0, y: 0 }, config: {} },
    { id: "router-1", kind: "router", position: { x: 280, y: 0 }, config: { model: "m" } },
    { id: "model-1", kind: "model", position: { x: 560, y: 0 }, config: { model: "m" } },
    { id: "model-2", kind: "model", position: { x: 560, y: 140 }, config: { model: "m" } },
    { id: "output", kind: "output", position: { x: 840, y: 0 }, config: {} },
  ],
  edges: [{ id: "input->router-1", source: "input", target: "router-1" }],
};

function graph(spec: GraphSpec): GraphDetail {
  return {
    id: 1,
    team: 1,
    name: "g",
    slug: "g",
    description: "",
    latest_version: 4,
    role: "editor",
    forked_from: null,
    created_by: "alice",
    created_at: "",
    updated_at: "",
    latest: { number: 4, message: "", author: "alice", created_at: "", spec },
  };
}

const editor = () => useEditor.getState();
const connect = (source: string, target: string) =>
  editor().connect({ source, target, sourceHandle: null, targetHandle: null });

describe("editor store", () => {
  beforeEach(() => editor().load(graph(SPEC)));

  it("loads a version clean, with its number as the base version", () => {
    expect(editor().baseVersion).toBe(4);
    expect(editor().dirty).toBe(false);
    expect(editor().spec()).toEqual(SPEC);
  });

  it("gives each router edge the next free token and selects it for describing", () => {
    connect("router-1", "model-1");
    connect("router-1", "model-2");
    const routed = editor().edges.filter((edge) => edge.source === "router-1");
    expect(routed.map((edge) => edge.data?.token)).toEqual([0, 1]);
    expect(routed.map((edge) => edge.selected)).toEqual([false, true]);
    expect(editor().dirty).toBe(true);
  });

  it("refuses a connection that closes a cycle and keeps the reason", () => {
    connect("router-1", "model-1");
    connect("model-1", "router-1");
    expect(editor().edges).toHaveLength(2);
    expect(editor().connectHint).toContain("cycle");
  });

  it("undoes and redoes edits one step at a time", () => {
    connect("router-1", "model-1");
    editor().addNode("model", { x: 0, y: 300 }, "m");
    expect(editor().nodes).toHaveLength(6);
    editor().undo();
    expect(editor().nodes).toHaveLength(5);
    editor().undo();
    expect(editor().edges).toHaveLength(1);
    editor().redo();
    expect(editor().edges).toHaveLength(2);
  });

  it("undoes a run of keystrokes in one field as one step", () => {
    editor().updateConfig("model-1", "model", { system: "Y" });
    editor().updateConfig("model-1", "model", { system: "Yo" });
    editor().updateConfig("model-1", "model", { system: "You" });
    editor().undo();
    expect(editor().spec().nodes[2]?.config).toEqual({ model: "m" });
  });

  it("drops a cleared setting so the server default applies", () => {
    editor().updateConfig("model-1", "model", { temperature: 0.2 });
    editor().updateConfig("model-1", "model", { temperature: undefined });
    expect(editor().spec().nodes[2]?.config).toEqual({ model: "m" });
  });

  it("records a whole drag as one undo step", () => {
    const move = (x: number, dragging: boolean) =>
      editor().onNodesChange([{ type: "position", id: "output", position: { x, y: 0 }, dragging }]);
    move(850, true);
    move(900, true);
    move(950, false);
    expect(editor().past).toHaveLength(1);
    editor().undo();
    expect(editor().nodes.find((node) => node.id === "output")?.position).toEqual({ x: 840, y: 0 });
  });

  it("deletes selected nodes together with their edges", () => {
    editor().selectOnly("router-1", "node");
    editor().deleteSelection();
    expect(editor().nodes.map((node) => node.id)).not.toContain("router-1");
    expect(editor().edges).toHaveLength(0);
  });

  it("pastes a copy of the selection with fresh ids", () => {
    editor().selectOnly("model-1", "node");
    editor().copy();
    editor().paste();
    expect(editor().nodes.map((node) => node.id)).toContain("model-3");
  });

  it("is clean again after a save, at the saved version", () => {
    connect("router-1", "model-1");
    editor().setProblems([{ code: "router_description_missing", message: "needs a description", edge: "router-1->model-1" }]);
    expect(editor().problemIndex.edges.get("router-1->model-1")).toHaveLength(1);
    editor().markSaved(5, editor().revision);
    expect(editor().dirty).toBe(false);
    expect(editor().baseVersion).toBe(5);
    expect(editor().problems).toEqual([]);
  });
});

describe("saving", () => {
  beforeEach(() => editor().load(graph(SPEC)));

  it("stays dirty when edits were made while the save was in flight", () => {
    connect("router-1", "model-1");
    const saving = editor().revision;
    editor().updateLabel("model-1", "Maths");
    editor().markSaved(5, saving);
    expect(editor().dirty).toBe(true);
    expect(editor().baseVersion).toBe(5);
  });
});

describe("comparing versions", () => {
  beforeEach(() => editor().load(graph(SPEC)));

  it("sends React Flow's changes to the comparison, leaving the edited graph alone", () => {
    const { nodes, edges } = { nodes: editor().nodes.slice(0, 2), edges: [] };
    editor().setCompare({ from: 1, to: 4, nodes, edges, marks: { nodes: new Map(), edges: new Map() }, changes: [] });
    editor().onNodesChange([{ type: "select", id: "input", selected: true }]);
    expect(editor().compare?.nodes[0]?.selected).toBe(true);
    expect(editor().nodes[0]?.selected).toBeUndefined();
    expect(editor().dirty).toBe(false);
  });
});
