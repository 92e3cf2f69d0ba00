import { describe, expect, it } from "vitest";

import type { NodeKindInfo } from "../api/types";
import served from "./fixtures/nodeKinds.json";
import { fieldLabel, formFields, parseJsonText } from "./schemaForm";

const kinds = served as NodeKindInfo[];
const schemaOf = (name: string) => kinds.find((kind) => kind.name === name)?.config_schema ?? {};

describe("generated inspector forms", () => {
  it("pick a field per property from what it accepts", () => {
    const fields = formFields(schemaOf("router"));
    expect(fields.map((field) => [field.key, field.kind])).toEqual([
      ["timeout_s", "number"],
      ["retries", "number"],
      ["model", "text"],
      ["adapter", "text"],
      ["mode", "choice"],
      ["rewrite_tokens", "number"],
      ["image_model", "text"],
      ["image_weight", "number"],
    ]);
    expect(fields.find((field) => field.key === "model")?.required).toBe(true);
    expect(fields.find((field) => field.key === "mode")).toMatchObject({ placeholder: "in-context", options: ["in-context", "functional-token", "embedding"] });
  });

  it("edit lists and objects as JSON", () => {
    const fields = formFields(schemaOf("tool"));
    expect(fields.find((field) => field.key === "arguments")?.kind).toBe("json");
    expect(parseJsonText('["a"]')).toEqual(["a"]);
    expect(parseJsonText("")).toBeUndefined();
    expect(parseJsonText("{oops")).toBe("{oops");
  });

  it("label keys in words", () => {
    expect(fieldLabel("max_tokens")).toBe("Max tokens");
  });
});
