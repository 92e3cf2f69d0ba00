import { describe, expect, it } from "vitest";

import type { CatalogModel } from "../api/types";
import { chatModelsOfTeam, groupModels, servingStatus } from "./modelGroups";

function model(key: string, team: number | null = null, extra: Partial<CatalogModel> = {}): CatalogModel {
  return {
    key,
    display_name: key,
    family: "x",
    kind: team === null ? "transformers" : "openai",
    available: true,
    unavailable_reason: null,
    team,
    team_name: team === null ? null : `team-${team}`,
    endpoint: team === null ? null : 1,
    price_per_million_tokens: null,
    source: "s",
    queue: team === null ? `model.${key}` : "endpoints",
    served: true,
    waiting: 0,
    ...extra,
  };
}

describe("groupModels", () => {
  it("puts built-in models first, then each team's endpoints by team name", () => {
    const groups = groupModels([model("b-ep", 2), model("smol"), model("a-ep", 1), model("c-ep", 2), model("clip")]);
    expect(groups.map((g) => [g.label, g.models.map((m) => m.key)])).toEqual([
      ["Built-in", ["smol", "clip"]],
      ["team-1 endpoints", ["a-ep"]],
      ["team-2 endpoints", ["b-ep", "c-ep"]],
    ]);
  });

  it("leaves out empty groups", () => {
    expect(groupModels([model("ep", 3)]).map((g) => g.label)).toEqual(["team-3 endpoints"]);
    expect(groupModels([])).toEqual([]);
  });
});

describe("servingStatus", () => {
  it("says served, no worker, waiting tasks or unknown", () => {
    expect(servingStatus({ served: true, waiting: 0 })).toBe("served now");
    expect(servingStatus({ served: false, waiting: 3 })).toBe("no worker, 3 waiting");
    expect(servingStatus({ served: null, waiting: null })).toBe("unknown (queue status unavailable)");
  });
});

describe("chatModelsOfTeam", () => {
  it("keeps built-in and the team's own chat models", () => {
    const models = [model("smol"), model("clip", null, { kind: "clip" }), model("mine", 1), model("theirs", 2)];
    expect(chatModelsOfTeam(models, 1).map((m) => m.key)).toEqual(["smol", "mine"]);
  });
});
