import { describe, expect, it } from "vitest";

import type { Candidate, ClipResultData, RunEvent } from "./events";
import { describeEvent, formatClipLabels, formatDecisionParts } from "./events";
import { routeOf } from "./routes";
import { applyEvents, emptyView } from "./runState";

const ts = (ms: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + ms).toISOString();

const SEEN: ClipResultData = {
  model: "clip-vit-b-32",
  image: { media_type: "image/png", width: 64, height: 48, bytes: 1200, sha256: "ab" },
  labels: [
    { label: "a plant", probability: 0.81, similarity: 0.31 },
    { label: "a receipt", probability: 0.07, similarity: 0.29 },
    { label: "a bicycle", probability: 0.05, similarity: 0.28 },
    { label: "a cat", probability: 0.002, similarity: 0.2 },
  ],
  top: "a plant",
  duration_ms: 12,
};

const event = (seq: number, node: string, rest: Pick<RunEvent, "type" | "data">): RunEvent =>
  ({ run: "1", seq, ts: ts(seq), node, ...rest }) as RunEvent;

const candidate = (edge: string, parts: Partial<Candidate>): Candidate => ({
  edge,
  target: edge,
  token: 0,
  description: edge,
  probability: 0.5,
  ...parts,
});

describe("clip events", () => {
  it("fold into what the clip node saw, a retry replacing it", () => {
    const again = { ...SEEN, top: "a receipt" };
    const view = applyEvents(emptyView(["see"]), [
      event(1, "see", { type: "clip.result", data: SEEN }),
      event(2, "see", { type: "clip.result", data: again }),
    ]);
    expect(view.clips.see).toEqual(again);
  });

  it("read as the best labels with their probabilities", () => {
    expect(formatClipLabels(SEEN.labels, 2)).toBe("a plant 81.0%, a receipt 7.0%");
    expect(describeEvent(event(1, "see", { type: "clip.result", data: SEEN }))).toBe(
      "see sees a plant 81.0%, a receipt 7.0%, a bicycle 5.0%",
    );
  });
});

describe("image-aware router decisions", () => {
  it("show the text and image parts of a candidate", () => {
    expect(formatDecisionParts(candidate("buy", { text_probability: 0.9, image_probability: 0.05 }))).toBe(
      "text 90.0% · image 5.0%",
    );
    expect(formatDecisionParts(candidate("buy", { text_probability: null, image_probability: 1 }))).toBe("text — · image 100%");
  });

  it("show no parts for a text-only router", () => {
    expect(formatDecisionParts(candidate("buy", {}))).toBeNull();
  });

  it("give each edge its parts", () => {
    const decision = {
      mode: "in-context",
      edge: "recycle",
      target: "recycle",
      token: 0,
      query: "q",
      scores: { recycle: 0.7375, buy: 0.2625 },
      candidates: [
        candidate("recycle", { probability: 0.7375, text_probability: 0.1, image_probability: 0.95 }),
        candidate("buy", { probability: 0.2625, text_probability: 0.9, image_probability: 0.05 }),
      ],
      image_weight: 0.75,
    };
    expect(routeOf(decision, "buy", "buy")).toEqual({ chosen: false, probability: 0.2625, parts: "text 90.0% · image 5.0%" });
  });
});
