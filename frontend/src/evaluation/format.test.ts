import { describe, expect, it } from "vitest";

import {
  formatCost,
  formatCount,
  formatDelta,
  formatInterval,
  formatMs,
  formatPercent,
  formatPValue,
  formatScore,
  sampleCaption,
  truncate,
} from "./format";

describe("formatting", () => {
  it("writes metrics and their 95% intervals as percentages", () => {
    expect(formatPercent(0.7123)).toBe("71.2%");
    expect(formatPercent(null)).toBe("–");
    expect(formatInterval({ low: 0.689, high: 0.7341 })).toBe("[68.9%, 73.4%]");
    expect(formatInterval({ low: null, high: 0.5 })).toBe("");
    expect(formatInterval(undefined)).toBe("");
  });

  it("writes latencies, counts and costs", () => {
    expect(formatMs(812.4)).toBe("812 ms");
    expect(formatMs(1420)).toBe("1.42 s");
    expect(formatMs(125_000)).toBe("2 min 5 s");
    expect(formatMs(null)).toBe("–");
    expect(formatCount(1700)).toBe("1,700");
    expect(formatCount(12.345)).toBe("12.3");
    expect(formatCost(null)).toBe("no price set");
    expect(formatCost(0.001234)).toBe("$0.00123");
    expect(formatCost(3.5)).toBe("$3.50");
  });

  it("writes deltas in percentage points and p-values", () => {
    expect(formatDelta(0.032)).toBe("+3.2 pp");
    expect(formatDelta(-0.01)).toBe("−1.0 pp");
    expect(formatDelta(0.0001)).toBe("±0 pp");
    expect(formatPValue(0.0004)).toBe("p < 0.001");
    expect(formatPValue(0.0345)).toBe("p = 0.03");
    expect(formatPValue(0.0042)).toBe("p = 0.004");
    expect(formatPValue(1)).toBe("p = 1");
  });

  it("writes a row's score as a tick, a cross or a number", () => {
    expect(formatScore(1)).toBe("✓");
    expect(formatScore(0)).toBe("✗");
    expect(formatScore(0.7)).toBe("0.70");
    expect(formatScore(null)).toBe("–");
  });

  it("captions the sample size and truncates long text on one line", () => {
    expect(sampleCaption(undefined, 1700)).toBe("all 1,700 rows");
    expect(sampleCaption(100, 1700)).toBe("100 of 1,700 rows");
    expect(sampleCaption(5000, 1700)).toBe("all 1,700 rows");
    expect(truncate("a\n b   c", 10)).toBe("a b c");
    expect(truncate("abcdefghij", 5)).toBe("abcd…");
  });
});
