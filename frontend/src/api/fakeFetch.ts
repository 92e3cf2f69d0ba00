/** A fake `fetch` for the API client's tests (imported by tests only). */
import { vi } from "vitest";

export type Reply = { status: number; body?: unknown };
export type Call = { url: string; init: RequestInit | undefined };

/** Stubs the global `fetch`: the CSRF endpoint answers a numbered token (`token-1`, `token-2`…),
 *  every other request the next of `replies` in turn (then a 500). Returns the requests other
 *  than the CSRF token's, as they are made. Undo with `vi.unstubAllGlobals()`. */
export function fakeFetch(replies: Reply[]): Call[] {
  let tokens = 0;
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === "/api/auth/csrf/") {
      tokens += 1;
      return new Response(JSON.stringify({ csrf_token: `token-${tokens}` }));
    }
    calls.push({ url, init });
    const reply = replies.shift() ?? { status: 500 };
    const body = reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(body, { status: reply.status });
  });
  vi.stubGlobal("fetch", fetch);
  return calls;
}
