import { describe, expect, it } from "vitest";

import type { CompletedData, RequestData } from "./events";
import { describeEvent, formatGeneration } from "./events";
import { applyEvents, emptyView } from "./runState";
import { event, node } from "./testEvents";

// As graphs/nodes/generation.py records a model node's call and its end.
const SENT: RequestData = {
  call: "generate",
  model: "smollm2-135m-instruct",
  adapter: "lora-math",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "2+2?" },
  ],
  params: { temperature: 0.7, top_p: 0.95, max_tokens: 256, stop: [], seed: null },
  prefix: "",
};
const DONE: CompletedData = {
  output: "4",
  tokens_in: 12,
  tokens_out: 3,
  latency_ms: 400,
  attempts: 1,
  finish_reason: "eos",
  ttft_ms: 41.6,
  duration_ms: 310.2,
};

const REQUEST = event(3, { type: "node.request", data: SENT });
const COMPLETED = event(5, { type: "node.completed", data: DONE });
const EVENTS = [
  event(1, { type: "run.started", data: {} }, null),
  event(2, { type: "node.started", data: {} }),
  REQUEST,
  event(4, { type: "node.delta", data: { text: "4" } }),
  COMPLETED,
];

describe("node.request", () => {
  it("keeps what the node sent, in call order, and how its generation ended", () => {
    const sent = applyEvents(emptyView(["m"]), EVENTS.slice(0, 3));
    expect(node(sent, "m").requests).toEqual([SENT]);
    expect(node(sent, "m").completed).toBeNull();

    const done = applyEvents(sent, EVENTS.slice(3));
    expect(node(done, "m").completed).toEqual(DONE);
    expect(node(done, "m").requests).toHaveLength(1);
  });

  it("is described for the replay's step list", () => {
    expect(describeEvent(REQUEST)).toBe("m sent 2 message(s) to smollm2-135m-instruct (generate)");
    expect(describeEvent(COMPLETED)).toBe("m completed in 400 ms (eos)");
  });

  it("formats the generation, leaving out what the node did not report", () => {
    expect(formatGeneration(DONE)).toBe("12 tokens in, 3 out · eos · first token 42 ms · 310 ms");
    const router = { output: "x", tokens_in: 0, tokens_out: 0, latency_ms: 5, attempts: 1 };
    expect(formatGeneration(router)).toBe("0 tokens in, 0 out");
  });
});
