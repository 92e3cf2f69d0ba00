import { describe, expect, it } from "vitest";

import { SCORERS } from "./fixtures";
import {
  defaultScorers,
  initialScorers,
  missingFields,
  optionsHint,
  parseScorerOptions,
  routingOnlyDefault,
  scorerPayload,
  scorerTitle,
  usableScorers,
} from "./scorers";

const scorer = (name: string) => {
  const found = SCORERS.find((s) => s.name === name);
  if (found === undefined) throw new Error(name);
  return found;
};

describe("default scorers", () => {
  it("follow the dataset's fields: route, then choice, then exact", () => {
    expect(defaultScorers(["answer", "choices", "expected", "route"])).toEqual(["route", "choice", "exact"]);
    expect(defaultScorers(["metadata"])).toEqual([]);
    expect(initialScorers(["choices", "answer"], SCORERS)).toEqual(["choice"]);
    // A default the server does not offer is not ticked.
    expect(initialScorers(["route"], SCORERS.filter((s) => s.name !== "route"))).toEqual([]);
  });

  it("name the fields a dataset lacks, input being always there", () => {
    expect(missingFields(scorer("choice"), ["answer"])).toEqual(["choices"]);
    expect(missingFields(scorer("judge"), [])).toEqual([]);
    expect(scorerTitle(scorer("exact"), ["route"], "mmlu")).toBe('Needs the row field "expected", which mmlu lacks.');
    expect(scorerTitle(scorer("choice"), [], "qa")).toBe('Needs the row fields "answer" and "choices", which qa lacks.');
    expect(scorerTitle(scorer("exact"), ["expected"], "qa")).toBe("The output equals expected.");
    const judge = { ...scorer("judge"), supported: false };
    expect(scorerTitle(judge, [], "qa")).toBe("judge cannot run in the web app yet (the CLI runs it).");
    expect([...usableScorers(["expected"], [...SCORERS.filter((s) => s.name !== "judge"), judge])]).toEqual(["exact", "contains"]);
  });

  it("make a run routing-only when every ticked scorer needs only decisions", () => {
    expect(routingOnlyDefault(["route"], SCORERS)).toBe(true);
    expect(routingOnlyDefault(["route", "choice"], SCORERS)).toBe(false);
    expect(routingOnlyDefault([], SCORERS)).toBe(false);
    expect(routingOnlyDefault(["unknown"], SCORERS)).toBe(false);
  });
});

describe("scorer options", () => {
  it("read key=value pairs with numbers and booleans typed", () => {
    expect(parseScorerOptions("tolerance=0.01, relative=0")).toEqual({ ok: true, options: { tolerance: 0.01, relative: 0 } });
    expect(parseScorerOptions("field=a.b,strict=true,flags=i")).toEqual({ ok: true, options: { field: "a.b", strict: true, flags: "i" } });
    expect(parseScorerOptions("  ")).toEqual({ ok: true, options: {} });
    expect(parseScorerOptions("tolerance")).toEqual({ ok: false, error: '"tolerance" is not key=value' });
  });

  it("take the judge's model as a catalog key, even one that looks like a number", () => {
    expect(optionsHint("judge")).toBe("model=<catalog key>");
    const parsed = parseScorerOptions("model=smollm2-135m-instruct");
    expect(parsed).toEqual({ ok: true, options: { model: "smollm2-135m-instruct" } });
    expect(scorerPayload("judge", parsed.ok ? parsed.options : {})).toEqual({ name: "judge", model: "smollm2-135m-instruct" });
    expect(parseScorerOptions("model=4")).toEqual({ ok: true, options: { model: "4" } });
  });

  it("send a bare name without options and an object with them", () => {
    expect(scorerPayload("exact", {})).toBe("exact");
    expect(scorerPayload("numeric", { tolerance: 0.5 })).toEqual({ name: "numeric", tolerance: 0.5 });
    // An option cannot rename the scorer.
    expect(scorerPayload("numeric", { name: "x" })).toEqual({ name: "numeric" });
  });
});
