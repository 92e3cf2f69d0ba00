import { describe, expect, it } from "vitest";

import type { LoadingData, RunEvent } from "./events";
import { describeEvent, formatLoading } from "./events";
import { applyEvents, emptyView, loadingNodes, shownStatus } from "./runState";
import { event, node, ts } from "./testEvents";

// As a model host reports a first load (graphs/model_loading.py, through execute_node).
const CONVERTING: LoadingData = { model: "smollm2-135m-instruct", stage: "converting", progress: null };
const HALF_LOADED: LoadingData = { model: "smollm2-135m-instruct", stage: "loading", progress: 0.5 };

const STARTED = [event(1, { type: "run.started", data: {} }, null), event(2, { type: "node.started", data: { model: "smollm2-135m-instruct" } })];
const LOADING = [event(3, { type: "model.loading", data: CONVERTING }), event(4, { type: "model.loading", data: HALF_LOADED })];
const LOADED = event(5, { type: "model.loaded", data: { model: "smollm2-135m-instruct", seconds: 38.24 } });

describe("model.loading", () => {
  it("marks the node as loading its model, with the latest stage and progress", () => {
    const view = applyEvents(emptyView(["q", "m"]), [...STARTED, ...LOADING]);
    expect(node(view, "m").loading).toEqual(HALF_LOADED);
    expect(node(view, "m").status).toBe("running");
    expect(node(view, "q").loading).toBeNull();
    expect(loadingNodes(view)).toEqual([["m", HALF_LOADED]]);
  });

  it("shows on the node as a loading status until the model is loaded", () => {
    const loading = applyEvents(emptyView(["m"]), [...STARTED, ...LOADING]);
    expect(shownStatus(node(loading, "m"))).toBe("loading");
    const loaded = applyEvents(loading, [LOADED]);
    expect(node(loaded, "m").loading).toBeNull();
    expect(shownStatus(node(loaded, "m"))).toBe("running");
    expect(loadingNodes(loaded)).toEqual([]);
  });

  it("is cleared by the node's first token, its failure, or the run's end", () => {
    const delta = event(5, { type: "node.delta", data: { text: "Hi" } });
    expect(node(applyEvents(emptyView(["m"]), [...STARTED, ...LOADING, delta]), "m").loading).toBeNull();
    const failed = event(5, { type: "node.failed", data: { error: "cannot load model", code: "backend" } });
    expect(node(applyEvents(emptyView(["m"]), [...STARTED, ...LOADING, failed]), "m").loading).toBeNull();
    const other = event(5, { type: "node.delta", data: { text: "x" } }, "n");
    const cancelled = event(6, { type: "run.cancelled", data: { reason: "cancelled by ada" } }, null);
    expect(node(applyEvents(emptyView(["m", "n"]), [...STARTED, ...LOADING, other]), "m").loading).toEqual(HALF_LOADED);
    expect(node(applyEvents(emptyView(["m", "n"]), [...STARTED, ...LOADING, other, cancelled]), "m").loading).toBeNull();
  });

  it("replays step by step: loading at the step of the event, loaded after", () => {
    const trace = [...STARTED, ...LOADING, LOADED];
    expect(shownStatus(node(applyEvents(emptyView(["m"]), trace.slice(0, 3)), "m"))).toBe("loading");
    expect(node(applyEvents(emptyView(["m"]), trace.slice(0, 3)), "m").loading).toEqual(CONVERTING);
    expect(shownStatus(node(applyEvents(emptyView(["m"]), trace), "m"))).toBe("running");
  });

  it("reads as a load, with its progress when known, in the replay's step list", () => {
    expect(formatLoading(CONVERTING)).toBe("converting model smollm2-135m-instruct…");
    expect(formatLoading(HALF_LOADED)).toBe("loading model smollm2-135m-instruct… 50%");
    expect(describeEvent(LOADING[1] as RunEvent)).toBe("m is loading model smollm2-135m-instruct… 50%");
    expect(describeEvent(LOADED)).toBe("m loaded model smollm2-135m-instruct in 38.2 s");
  });

  it("leaves events of a type this build does not know out of the view", () => {
    const unknown = { run: "1", seq: 3, ts: ts(3), node: "m", type: "model.unheard-of", data: {} } as unknown as RunEvent;
    const view = applyEvents(emptyView(["m"]), [...STARTED, unknown, LOADED]);
    expect(view.lastSeq).toBe(5);
    expect(node(view, "m").status).toBe("running");
    expect(describeEvent(unknown)).toBe("m model.unheard-of");
  });
});
