import { afterEach, describe, expect, it, vi } from "vitest";

import { errorText, forgetCsrfToken, request } from "./client";
import { fakeFetch } from "./fakeFetch";

afterEach(() => {
  vi.unstubAllGlobals();
  forgetCsrfToken();
});

describe("request", () => {
  it("sends JSON with the CSRF token on unsafe methods only", async () => {
    const calls = fakeFetch([{ status: 200, body: [] }, { status: 201, body: { id: 1 } }]);
    await request("GET", "/api/graphs/");
    const created = await request("POST", "/api/graphs/", { team: 1 });
    expect(created).toEqual({ ok: true, value: { id: 1 } });
    expect(new Headers(calls[0]?.init?.headers).has("X-CSRFToken")).toBe(false);
    expect(new Headers(calls[1]?.init?.headers).get("X-CSRFToken")).toBe("token-1");
    expect(calls[1]?.init?.body).toBe('{"team":1}');
  });

  it("answers graph problems as a value naming their nodes", async () => {
    const problems = [{ code: "cycle", message: "the graph has a cycle: a -> b -> a", node: "a" }];
    fakeFetch([{ status: 400, body: { code: "invalid_graph", message: "1 problem", problems } }]);
    const result = await request("POST", "/api/graphs/1/versions/", {});
    expect(result).toMatchObject({ ok: false, error: { status: 400, code: "invalid_graph", problems } });
  });

  it("retries once with a fresh token when the CSRF secret changed", async () => {
    const calls = fakeFetch([
      { status: 403, body: { code: "permission_denied", message: "CSRF Failed: CSRF token incorrect." } },
      { status: 201, body: { number: 2 } },
    ]);
    const result = await request("POST", "/api/graphs/1/versions/", {});
    expect(result).toEqual({ ok: true, value: { number: 2 } });
    expect(new Headers(calls[1]?.init?.headers).get("X-CSRFToken")).toBe("token-2");
  });

  it("turns an unreachable server into a network_error value", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("offline"))));
    const result = await request("GET", "/api/auth/me/");
    expect(result).toMatchObject({ ok: false, error: { status: 0, code: "network_error" } });
  });

  it("reads a body that is not JSON as a server error", async () => {
    fakeFetch([{ status: 502 }]);
    expect(await request("GET", "/api/auth/me/")).toMatchObject({
      ok: false,
      error: { status: 502, code: "server_error", message: "The server answered 502." },
    });
  });
});

describe("errorText", () => {
  it("appends password rules to the message and lists invalid fields", async () => {
    fakeFetch([
      { status: 400, body: { code: "weak_password", message: "the password is too weak", problems: ["Too short."] } },
      { status: 400, body: { code: "invalid_input", message: "Some fields are invalid", fields: { username: ["Required."] } } },
    ]);
    const weak = await request("POST", "/api/auth/signup/", {});
    const missing = await request("POST", "/api/auth/signup/", {});
    expect(!weak.ok && errorText(weak.error)).toBe("the password is too weak: Too short.");
    expect(!missing.ok && errorText(missing.error)).toBe("username: Required.");
  });
});
