import { afterEach, describe, expect, it, vi } from "vitest";

import { allPages, page } from "./pages";

/** A fetch answering each URL (path and query) from `pages`, recording what was asked. */
function fakeFetch(pages: Record<string, { status?: number; body: unknown }>) {
  const asked: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      asked.push(url);
      const reply = pages[url] ?? { status: 404, body: { code: "not_found", message: "no such page" } };
      return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200 });
    }),
  );
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe("allPages", () => {
  it("follows next links to the last page, keeping the API's order", async () => {
    const asked = fakeFetch({
      "/api/datasets/?page_size=500&team=3": {
        body: { count: 3, next: "https://proxy.example/api/datasets/?page=2&page_size=500&team=3", previous: null, results: [1, 2] },
      },
      "/api/datasets/?page=2&page_size=500&team=3": { body: { count: 3, next: null, previous: "x", results: [3] } },
    });
    expect(await allPages<number>("/api/datasets/", "team=3")).toEqual({ ok: true, value: [1, 2, 3] });
    // The next link's own scheme and host are dropped: the page stays on the origin it was served from.
    expect(asked).toEqual(["/api/datasets/?page_size=500&team=3", "/api/datasets/?page=2&page_size=500&team=3"]);
  });

  it("stops at the first failing page with its error", async () => {
    fakeFetch({
      "/api/graphs/1/versions/?page_size=500": {
        body: { count: 2, next: "/api/graphs/1/versions/?page=2&page_size=500", previous: null, results: [2] },
      },
    });
    const result = await allPages<number>("/api/graphs/1/versions/");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe("no such page");
  });
});

describe("page", () => {
  it("fetches a relative URL as it is", async () => {
    const asked = fakeFetch({ "/api/graphs/?team=1": { body: { count: 0, next: null, previous: null, results: [] } } });
    expect(await page("/api/graphs/?team=1")).toEqual({ ok: true, value: { count: 0, next: null, previous: null, results: [] } });
    expect(asked).toEqual(["/api/graphs/?team=1"]);
  });
});
