import { describe, expect, it } from "vitest";

import type { RunEvent } from "./events";
import { answerText, applyEvent, applyEvents, emptyView, timeline } from "./runState";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const ts = (ms: number) => new Date(T0 + ms).toISOString();

/** A router-basic run that goes to `math`, as the engine numbers it. */
const RUN: RunEvent[] = [
  { run: "1", seq: 1, ts: ts(0), type: "run.started", node: null, data: { input: { text: "2+2?" } } },
  { run: "1", seq: 2, ts: ts(1), type: "node.started", node: "router", data: {} },
  {
    run: "1",
    seq: 3,
    ts: ts(5),
    type: "router.decision",
    node: "router",
    data: {
      mode: "in-context",
      edge: "r-math",
      target: "math",
      token: 0,
      query: "what is 2+2",
      scores: { math: 0.9, code: 0.1 },
      candidates: [],
    },
  },
  {
    run: "1",
    seq: 4,
    ts: ts(6),
    type: "node.completed",
    node: "router",
    data: { output: "what is 2+2", tokens_in: 3, tokens_out: 0, latency_ms: 5, attempts: 1 },
  },
  { run: "1", seq: 5, ts: ts(6), type: "node.skipped", node: "code", data: { reason: "not chosen" } },
  { run: "1", seq: 6, ts: ts(7), type: "node.started", node: "math", data: {} },
  { run: "1", seq: 7, ts: ts(8), type: "node.delta", node: "math", data: { text: "It is" } },
  { run: "1", seq: 8, ts: ts(9), type: "node.delta", node: "math", data: { text: " 4" } },
  {
    run: "1",
    seq: 9,
    ts: ts(20),
    type: "node.completed",
    node: "math",
    data: { output: "It is 4", tokens_in: 4, tokens_out: 2, latency_ms: 13, attempts: 1 },
  },
  { run: "1", seq: 10, ts: ts(21), type: "run.completed", node: null, data: { output: "It is 4", tokens_in: 7, tokens_out: 2 } },
];

const NODES = ["router", "math", "code"];

describe("applyEvent", () => {
  it("folds a run into per-node states, the decision and the output", () => {
    const view = applyEvents(emptyView(NODES), RUN);
    expect(view.status).toBe("completed");
    expect(view.output).toBe("It is 4");
    expect(view.input).toBe("2+2?");
    expect(view.nodes.router?.status).toBe("done");
    expect(view.nodes.code).toMatchObject({ status: "skipped", note: "not chosen" });
    expect(view.nodes.math).toMatchObject({ status: "done", text: "It is 4", tokensOut: 2, latencyMs: 13 });
    expect(view.decisions.router?.query).toBe("what is 2+2");
    expect(view.gaps).toEqual([]);
  });

  it("marks nodes queued, then running while they stream", () => {
    const view = applyEvents(emptyView(NODES), RUN.slice(0, 7));
    expect(view.nodes.math).toMatchObject({ status: "running", text: "It is" });
    expect(emptyView(NODES).nodes.math?.status).toBe("queued");
  });

  it("ignores a duplicate or an already-applied seq", () => {
    const once = applyEvents(emptyView(NODES), RUN.slice(0, 8));
    const again = applyEvents(once, RUN.slice(5, 8));
    expect(again).toBe(once);
    expect(again.nodes.math?.text).toBe("It is 4");
  });

  it("records a gap and still applies what follows it", () => {
    // A stored trace has no deltas: seqs 7 and 8 are missing.
    const trace = RUN.filter((event) => event.type !== "node.delta");
    const view = applyEvents(emptyView(NODES), trace);
    expect(view.gaps).toEqual([{ from: 7, to: 8 }]);
    expect(view.nodes.math?.output).toBe("It is 4");
  });

  it("replays up to step k as the fold of the first k events", () => {
    for (let k = 0; k <= RUN.length; k += 1) {
      let stepped = emptyView(NODES);
      for (const event of RUN.slice(0, k)) stepped = applyEvent(stepped, event);
      expect(applyEvents(emptyView(NODES), RUN.slice(0, k))).toEqual(stepped);
    }
  });

  it("stops running nodes when the run is cancelled", () => {
    const cancelled: RunEvent = { run: "1", seq: 8, ts: ts(9), type: "run.cancelled", node: null, data: { reason: "by user" } };
    const view = applyEvents(emptyView(NODES), [...RUN.slice(0, 7), cancelled]);
    expect(view.status).toBe("cancelled");
    expect(view.nodes.math).toMatchObject({ status: "failed", note: "by user" });
  });
});

describe("layers", () => {
  it("keeps each MoA layer's answers in order", () => {
    const layer = (seq: number, n: number): RunEvent => ({
      run: "1",
      seq,
      ts: ts(seq),
      type: "layer.completed",
      node: null,
      data: { layer: n, answers: [{ node: `p${n}`, output: `answer ${n}` }] },
    });
    const view = applyEvents(emptyView([]), [layer(1, 1), layer(2, 2)]);
    expect(view.layers.map((l) => [l.layer, l.answers[0]?.output])).toEqual([
      [1, "answer 1"],
      [2, "answer 2"],
    ]);
  });
});

describe("answerText and timeline", () => {
  it("streams the feeding node's text, then shows the output", () => {
    expect(answerText(applyEvents(emptyView(NODES), RUN.slice(0, 7)), ["math", "code"])).toBe("It is");
    expect(answerText(applyEvents(emptyView(NODES), RUN), ["math", "code"])).toBe("It is 4");
  });

  it("gives each started node its span from the run's start", () => {
    const spans = timeline(applyEvents(emptyView(NODES), RUN));
    expect(spans).toEqual([
      { node: "router", status: "done", start: 1, end: 6 },
      { node: "math", status: "done", start: 7, end: 20 },
    ]);
  });

  it("ends a running node's span at the latest event", () => {
    const spans = timeline(applyEvents(emptyView(NODES), RUN.slice(0, 8)));
    expect(spans.at(-1)).toEqual({ node: "math", status: "running", start: 7, end: 9 });
  });
});
