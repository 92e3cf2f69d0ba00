import { describe, expect, it } from "vitest";

import type { NodeKindInfo } from "../api/types";
import served from "./fixtures/nodeKinds.json";
import { defaultConfig, isKnownKind, kindPorts, kindSummary, numberDefault, schemaDefault, setNodeKinds } from "./nodeKinds";

setNodeKinds(served as NodeKindInfo[]);

describe("node kinds served by the registry", () => {
  it("give each kind its ports", () => {
    expect(kindPorts("input")).toEqual({ takesInput: false, givesOutput: true, maxInputs: 0 });
    expect(kindPorts("output")).toEqual({ takesInput: true, givesOutput: false });
    expect(kindPorts("tool")).toEqual({ takesInput: true, givesOutput: true, maxInputs: 1 });
  });

  it("draw a kind the server does not list with both ports", () => {
    expect(isKnownKind("nope")).toBe(false);
    expect(kindPorts("nope")).toEqual({ takesInput: true, givesOutput: true });
  });

  it("say what the Python kind says", () => {
    expect(kindSummary("router")).toBe("Sends the query down exactly one outgoing edge (functional-token routing).");
    expect(numberDefault("model", "temperature")).toBe(0.7);
    expect(schemaDefault("tool", ["webhook", "method"])).toBe("POST");
  });

  it("start new nodes from the kind's config, with the default model where one is required", () => {
    expect(defaultConfig("router", "m")).toEqual({ model: "m", mode: "in-context" });
    expect(defaultConfig("clip", "m")).toMatchObject({ model: "clip-vit-b-32" });
    expect(defaultConfig("tool", "m")).toEqual({ function: "calculator" });
    expect(defaultConfig("output", "m")).toEqual({});
  });
});
