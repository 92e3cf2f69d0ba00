import { describe, expect, it } from "vitest";

import { copySelection, pasteSelection, PASTE_OFFSET } from "./clipboard";
import { specToFlow } from "./flow";
import { freshEdgeId, freshNodeId } from "./ids";
import { indexProblems, problemText } from "./problems";

describe("ids", () => {
  it("picks the first free numbered node id", () => {
    expect(freshNodeId("model", new Set(["model-1", "model-3"]))).toBe("model-2");
  });

  it("suffixes an edge id that is taken", () => {
    expect(freshEdgeId("a", "b", new Set(["a->b"]))).toBe("a->b#2");
  });
});

describe("problems", () => {
  it("groups problems by node and edge, keeping graph-wide ones apart", () => {
    const index = indexProblems([
      { code: "bad_config", message: "must be between 0 and 2", node: "w", field: "config.temperature" },
      { code: "router_description_missing", message: "needs a description", edge: "r->w" },
      { code: "no_output", message: "the graph needs at least one output node" },
    ]);
    expect(index.nodes.get("w")?.map(problemText)).toEqual(["config.temperature: must be between 0 and 2"]);
    expect(index.edges.get("r->w")).toHaveLength(1);
    expect(index.graph).toHaveLength(1);
  });
});

describe("clipboard", () => {
  const { nodes, edges } = specToFlow({
    spec: 1,
    nodes: [
      { id: "model-1", kind: "model", position: { x: 0, y: 0 }, config: { model: "m" } },
      { id: "model-2", kind: "model", position: { x: 100, y: 0 }, config: { model: "m" } },
      { id: "output", kind: "output", position: { x: 200, y: 0 }, config: {} },
    ],
    edges: [
      { id: "model-1->model-2", source: "model-1", target: "model-2" },
      { id: "model-2->output", source: "model-2", target: "output" },
    ],
  });
  const selected = nodes.map((node) => ({ ...node, selected: node.id !== "output" }));

  it("copies the selected nodes and only the edges between them", () => {
    const copied = copySelection(selected, edges);
    expect(copied?.nodes.map((node) => node.id)).toEqual(["model-1", "model-2"]);
    expect(copied?.edges.map((edge) => edge.id)).toEqual(["model-1->model-2"]);
  });

  it("copies nothing when nothing is selected", () => {
    expect(copySelection(nodes, edges)).toBeNull();
  });

  it("pastes with fresh ids, rewired edges and an offset", () => {
    const copied = copySelection(selected, edges);
    if (copied === null) throw new Error("expected a copied selection");
    const pasted = pasteSelection(copied, selected, edges);
    expect(pasted.nodes.map((node) => node.id)).toEqual(["model-3", "model-4"]);
    expect(pasted.nodes[0]?.position).toEqual({ x: PASTE_OFFSET, y: PASTE_OFFSET });
    expect(pasted.edges).toMatchObject([{ id: "model-3->model-4", source: "model-3", target: "model-4" }]);
  });
});
