/**
 * fetch for the Django API: session cookie plus the CSRF header on unsafe methods, JSON in and
 * out, and every failure turned into an `ApiError` value ({code, message, problems?}) the UI
 * can show, never a thrown Response.
 */
import type { Problem } from "../graph/problems";

export interface ApiError {
  status: number;
  code: string;
  message: string;
  /** `invalid_graph`: every problem, each naming its node or edge. */
  problems?: Problem[];
  /** `invalid_input`: field name -> messages. */
  fields?: Record<string, string[]>;
  /** The whole error body, for errors that carry more (a 409's `latest` version). */
  body: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let csrfToken: string | null = null;

/** The token Django also set as a cookie; fetched once, and again after login rotates it. */
async function csrf(): Promise<string> {
  if (csrfToken === null) {
    const response = await fetch("/api/auth/csrf/", { credentials: "same-origin" });
    const body = (await response.json()) as { csrf_token: string };
    csrfToken = body.csrf_token;
  }
  return csrfToken;
}

/** Django rotates the CSRF token at login and logout. */
export function forgetCsrfToken(): void {
  csrfToken = null;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<Result<T>> {
  const first = await send<T>(method, path, body);
  // The CSRF secret changes when another tab logs in or out: fetch it again, retry once.
  if (!first.ok && UNSAFE.has(method) && isCsrfFailure(first.error)) {
    forgetCsrfToken();
    return send<T>(method, path, body);
  }
  return first;
}

function isCsrfFailure(error: ApiError): boolean {
  return error.status === 403 && (error.code === "csrf_failed" || error.message.startsWith("CSRF Failed"));
}

async function send<T>(method: string, path: string, body: unknown): Promise<Result<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    if (UNSAFE.has(method)) headers["X-CSRFToken"] = await csrf();
    response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  } catch {
    return failure(0, "network_error", "The server could not be reached. Check your connection.");
  }
  if (response.status === 204) return { ok: true, value: undefined as T };
  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: data as T };
  return { ok: false, error: toApiError(response.status, data) };
}

function toApiError(status: number, data: unknown): ApiError {
  if (typeof data !== "object" || data === null) {
    return failure(status, "server_error", `The server answered ${status}.`).error;
  }
  const body = data as Record<string, unknown>;
  const error: ApiError = {
    status,
    code: typeof body.code === "string" ? body.code : "server_error",
    message: typeof body.message === "string" ? body.message : `The server answered ${status}.`,
    body,
  };
  if (Array.isArray(body.problems)) {
    // Graph problems are objects naming their node or edge; sign-up's password problems are
    // plain sentences, which read best appended to the message.
    const problems: unknown[] = body.problems;
    const sentences = problems.filter((p): p is string => typeof p === "string");
    if (sentences.length > 0) error.message = `${error.message}: ${sentences.join(" ")}`;
    else error.problems = problems as Problem[];
  }
  if (typeof body.fields === "object" && body.fields !== null) {
    error.fields = body.fields as Record<string, string[]>;
  }
  return error;
}

function failure(status: number, code: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { status, code, message, body: {} } };
}

/** One line for an error banner: the message, plus the invalid fields when there are any. */
export function errorText(error: ApiError): string {
  if (error.fields === undefined) return error.message;
  const details = Object.entries(error.fields).map(([field, messages]) =>
    `${field}: ${[messages].flat().join(" ")}`,
  );
  return details.join("; ");
}
