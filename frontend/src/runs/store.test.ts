import { beforeEach, describe, expect, it } from "vitest";

import type { RunEvent } from "./events";
import { useRunStore } from "./store";

const started = (run: string): RunEvent => ({
  run,
  seq: 1,
  ts: "2026-01-01T00:00:00Z",
  type: "node.started",
  node: "m",
  data: {},
});

describe("run store", () => {
  beforeEach(() => useRunStore.getState().clear());

  it("applies the followed run's events only", () => {
    useRunStore.getState().follow(5, ["m"]);
    useRunStore.getState().apply(started("4"));
    expect(useRunStore.getState().view?.nodes.m?.status).toBe("queued");
    useRunStore.getState().apply(started("5"));
    expect(useRunStore.getState().view?.nodes.m?.status).toBe("running");
  });

  it("ignores live events while a replay is shown", () => {
    useRunStore.getState().follow(5, ["m"]);
    const before = useRunStore.getState().view;
    if (before === null) throw new Error("no view");
    useRunStore.getState().showReplay(3, before);
    useRunStore.getState().apply(started("5"));
    expect(useRunStore.getState().view).toBe(before);
  });
});
