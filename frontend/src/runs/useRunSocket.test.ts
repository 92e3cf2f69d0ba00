import { describe, expect, it } from "vitest";

import { retryDelay, runSocketUrl } from "./useRunSocket";

describe("run socket", () => {
  it("resumes after the last applied seq, on ws or wss like the page", () => {
    expect(runSocketUrl(7, 42, { protocol: "http:", host: "h:8000" })).toBe("ws://h:8000/ws/runs/7/?after=42");
    expect(runSocketUrl(7, 0, { protocol: "https:", host: "h" })).toBe("wss://h/ws/runs/7/?after=0");
  });

  it("backs off, then keeps trying at the longest delay", () => {
    expect(retryDelay(0)).toBeLessThan(retryDelay(2));
    expect(retryDelay(100)).toBe(retryDelay(4));
  });
});
