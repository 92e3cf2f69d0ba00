import { describe, expect, it } from "vitest";

import type { CatalogModel } from "../api/types";
import { labelProblems, labelsDraft, labelsText, parseLabels, splitModels } from "./clipModel";

const model = (key: string, kind: CatalogModel["kind"]): CatalogModel => ({
  key,
  display_name: key,
  family: key,
  kind,
  available: true,
  unavailable_reason: null,
  team: null,
  team_name: null,
  endpoint: null,
  source: "package",
  queue: `model.${key}`,
  served: null,
  waiting: null,
  price_per_million_tokens: null,
});

describe("clip labels", () => {
  it("are one per line, trimmed, blank lines dropped", () => {
    expect(parseLabels(" a plant \n\n a receipt\n")).toEqual(["a plant", "a receipt"]);
    expect(labelsText(["a plant", "a receipt"])).toBe("a plant\na receipt");
  });

  it("keep what was typed while it says the same labels, else show the labels", () => {
    expect(labelsDraft("a plant\n", ["a plant"])).toBe("a plant\n");
    expect(labelsDraft("a plant\n", ["a plant", "a cat"])).toBe("a plant\na cat");
  });

  it("name what the server would refuse", () => {
    expect(labelProblems(["a plant"], 64)).toEqual(["needs at least 2 labels"]);
    expect(labelProblems(["a", "b", "a", "a"], 3)).toEqual(["takes at most 3 labels", "repeats “a”"]);
    expect(labelProblems(["a", "b"], 64)).toEqual([]);
  });
});

describe("catalog models", () => {
  it("split into CLIP models and the models that handle text", () => {
    const models = [model("smollm2", "transformers"), model("clip", "clip"), model("gpt", "openai")];
    const { clip, text } = splitModels(models);
    expect(clip.map((m) => m.key)).toEqual(["clip"]);
    expect(text.map((m) => m.key)).toEqual(["smollm2", "gpt"]);
  });
});
