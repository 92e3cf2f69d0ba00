import { describe, expect, it } from "vitest";

import { lastUsedText } from "./tokenTimes";

const NOW = new Date("2026-03-10T12:00:00Z");

function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

describe("lastUsedText", () => {
  it("says never for a token not used yet", () => {
    expect(lastUsedText(null, NOW)).toBe("never");
  });

  it("does not claim more precision than the server's one-minute resolution", () => {
    expect(lastUsedText(ago(0), NOW)).toBe("within the last minute");
    expect(lastUsedText(ago(59_000), NOW)).toBe("within the last minute");
    // A clock a little ahead of this one's is still "just now", not "-1 minutes ago".
    expect(lastUsedText(ago(-5_000), NOW)).toBe("within the last minute");
  });

  it("counts minutes, hours and days, singular and plural", () => {
    expect(lastUsedText(ago(60_000), NOW)).toBe("1 minute ago");
    expect(lastUsedText(ago(5 * 60_000), NOW)).toBe("5 minutes ago");
    expect(lastUsedText(ago(60 * 60_000), NOW)).toBe("1 hour ago");
    expect(lastUsedText(ago(23 * 3_600_000), NOW)).toBe("23 hours ago");
    expect(lastUsedText(ago(2 * 86_400_000), NOW)).toBe("2 days ago");
  });

  it("gives the date for a token last used over a month ago", () => {
    const then = ago(40 * 86_400_000);
    expect(lastUsedText(then, NOW)).toBe(new Date(then).toLocaleDateString());
  });
});
