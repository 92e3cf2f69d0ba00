import { describe, expect, it } from "vitest";

import type { NodeKindInfo } from "../api/types";
import { checkConnection } from "./connect";
import { flowToSpec, specToFlow } from "./flow";
import type { GraphSpec, ToolConfig } from "./spec";
import {
  addArgument,
  headersFromText,
  headersToText,
  removeArgument,
  switchBackend,
  toolArguments,
  toolSignature,
  updateArgument,
} from "./tools";
import served from "./fixtures/nodeKinds.json";
import { setNodeKinds } from "./nodeKinds";

setNodeKinds(served as NodeKindInfo[]);

const SEARCH: ToolConfig = {
  function: "search_products",
  arguments: [{ name: "query" }, { name: "max_price", type: "number", required: false }],
  webhook: { url: "https://shop.example/search", headers_from_env: { Authorization: "SHOP_AUTH" } },
};

describe("tool signatures", () => {
  it("shows a built-in's fixed schema", () => {
    expect(toolSignature({ function: "convert_units" })).toBe(
      "convert_units(value: number, from_unit: string, to_unit: string)",
    );
    expect(toolSignature({ function: "date_add" })).toBe("date_add(date: string, amount: integer, unit?: string)");
  });

  it("shows a webhook's own schema, optional arguments marked", () => {
    expect(toolSignature(SEARCH)).toBe("search_products(query: string, max_price?: number)");
  });

  it("has no arguments for an unknown built-in (the server names the problem)", () => {
    expect(toolArguments({ function: "nope" })).toEqual([]);
    expect(toolSignature({ function: "" })).toBe("?()");
  });
});

describe("switching backends", () => {
  it("turns a built-in into a webhook with an empty schema, and back", () => {
    const patch = switchBackend({ function: "calculator" }, true);
    expect(patch).toEqual({ function: "", webhook: { url: "" }, arguments: [] });
    expect(switchBackend(SEARCH, false)).toEqual({ function: "calculator", webhook: undefined, arguments: undefined });
    expect(switchBackend({ function: "weekday", webhook: { url: "" } }, false).function).toBe("weekday");
  });

  it("keeps a webhook's own function name", () => {
    expect(switchBackend({ function: "search_products" }, true).function).toBe("search_products");
  });
});

describe("headers from the environment", () => {
  it("round-trips through the text form", () => {
    const text = headersToText(SEARCH.webhook?.headers_from_env);
    expect(text).toBe("Authorization: SHOP_AUTH");
    expect(headersFromText(`${text}\n\n X-Api-Key :  SHOP_KEY `)).toEqual({
      Authorization: "SHOP_AUTH",
      "X-Api-Key": "SHOP_KEY",
    });
    expect(headersToText(undefined)).toBe("");
  });

  it("keeps a line without a colon as a header for the server to refuse", () => {
    expect(headersFromText("Authorization")).toEqual({ Authorization: "" });
  });
});

describe("editing arguments", () => {
  it("adds with a free name, updates, removes", () => {
    const args = addArgument([{ name: "arg2" }]);
    expect(args).toEqual([{ name: "arg2" }, { name: "arg3", type: "string" }]);
    const typed = updateArgument(args, 1, { name: "amount", type: "integer", required: false });
    expect(typed[1]).toEqual({ name: "amount", type: "integer", required: false });
    expect(updateArgument(typed, 1, { required: undefined })[1]).toEqual({ name: "amount", type: "integer" });
    expect(removeArgument(typed, 0)).toEqual([{ name: "amount", type: "integer", required: false }]);
  });
});

describe("tool nodes on the canvas", () => {
  const spec: GraphSpec = {
    spec: 1,
    nodes: [
      { id: "q", kind: "input", position: { x: 0, y: 0 }, config: {} },
      { id: "t", kind: "tool", position: { x: 200, y: 0 }, config: SEARCH },
      { id: "m", kind: "model", position: { x: 200, y: 100 }, config: { model: "m" } },
      { id: "out", kind: "output", position: { x: 400, y: 0 }, config: {} },
    ],
    edges: [
      { id: "q->t", source: "q", target: "t" },
      { id: "t->out", source: "t", target: "out" },
    ],
  };

  it("round-trips a tool's config through the flow", () => {
    const { nodes, edges } = specToFlow(spec);
    expect(flowToSpec(nodes, edges)).toEqual(spec);
  });

  it("refuses a second incoming edge into a tool (graphs/nodes/tool.py max_inputs)", () => {
    const graph = {
      nodes: spec.nodes.map((node) => ({ id: node.id, type: node.kind })),
      edges: spec.edges,
    };
    expect(checkConnection(graph, "m", "t")).toEqual({
      ok: false,
      reason: "a tool node takes at most 1 incoming edge",
    });
    expect(checkConnection(graph, "t", "m")).toEqual({ ok: true });
  });
});
