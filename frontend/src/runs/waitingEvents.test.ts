import { describe, expect, it } from "vitest";

import type { WaitingData } from "./events";
import { describeEvent } from "./events";
import { applyEvents, emptyView, shownStatus, waitingNodes } from "./runState";
import { event, node } from "./testEvents";

// As the runs app's sweep sends it (webapp/runs/sweeper.py `_node_waiting`).
const WAITING: WaitingData = {
  reason: "waiting for a worker for model 'team-endpoint' (queue endpoints)",
  model: "team-endpoint",
  queue: "endpoints",
  timeout_s: 120,
};

const STARTED = [event(1, { type: "run.started", data: {} }, null), event(2, { type: "node.started", data: { model: "team-endpoint" } })];
const WAITS = event(3, { type: "node.waiting", data: WAITING });

describe("node.waiting", () => {
  it("marks the node as waiting for a worker, with why", () => {
    const view = applyEvents(emptyView(["q", "m"]), [...STARTED, WAITS]);
    expect(view.nodes.m?.waiting).toEqual(WAITING);
    expect(view.nodes.m?.status).toBe("running");
    expect(view.nodes.q?.waiting).toBeNull();
    expect(waitingNodes(view)).toEqual([["m", WAITING]]);
  });

  it("is cleared once the node produces", () => {
    const view = applyEvents(emptyView(["m"]), [...STARTED, WAITS, event(4, { type: "node.delta", data: { text: "Hi" } })]);
    expect(view.nodes.m?.waiting).toBeNull();
    expect(view.nodes.m?.text).toBe("Hi");
    expect(waitingNodes(view)).toEqual([]);
  });

  it("is cleared when the node finishes", () => {
    const completed = event(4, {
      type: "node.completed",
      data: { output: "Hi", tokens_in: 1, tokens_out: 1, latency_ms: 5, attempts: 1 },
    });
    expect(applyEvents(emptyView(["m"]), [...STARTED, WAITS, completed]).nodes.m?.waiting).toBeNull();
    const failed = event(4, { type: "node.failed", data: { error: "no worker serves model 'team-endpoint'", code: "lost" } });
    const view = applyEvents(emptyView(["m"]), [...STARTED, WAITS, failed]);
    expect(view.nodes.m?.waiting).toBeNull();
    expect(view.nodes.m?.status).toBe("failed");
  });

  it("is cleared when the run ends, and another node's events leave it be", () => {
    const other = event(4, { type: "node.delta", data: { text: "x" } }, "n");
    expect(applyEvents(emptyView(["m", "n"]), [...STARTED, WAITS, other]).nodes.m?.waiting).toEqual(WAITING);
    const cancelled = event(5, { type: "run.cancelled", data: { reason: "cancelled by ada" } }, null);
    const view = applyEvents(emptyView(["m", "n"]), [...STARTED, WAITS, other, cancelled]);
    expect(view.nodes.m?.waiting).toBeNull();
    expect(view.nodes.m?.status).toBe("failed");
  });

  it("reads as a wait with its limit in the replay's step list", () => {
    expect(describeEvent(WAITS)).toBe(
      "m is waiting for a worker for model 'team-endpoint' (queue endpoints); the run fails after 120 s without one",
    );
  });

  it("shows on the node as a waiting status until the node produces", () => {
    const waiting = applyEvents(emptyView(["m"]), [...STARTED, WAITS]);
    expect(shownStatus(node(waiting, "m"))).toBe("waiting");
    const producing = applyEvents(waiting, [event(4, { type: "node.delta", data: { text: "Hi" } })]);
    expect(shownStatus(node(producing, "m"))).toBe("running");
  });
});
