/** Walking the pages of a list endpoint (webapp/api/pagination.py). */
import type { Result } from "./client";
import { request } from "./client";
import type { Paginated } from "./types";

/** The largest page the API serves. */
export const MAX_PAGE_SIZE = 500;

/** The page at `url`: a path with its query, or a `next`/`previous` link (absolute, as the server
 *  saw itself; only its path and query are used, so that a proxy's scheme or host never leaks in). */
export function page<T>(url: string): Promise<Result<Paginated<T>>> {
  // The base only lets a relative URL parse; its own parts are never used.
  const { pathname, search } = new URL(url, "http://origin.invalid");
  return request<Paginated<T>>("GET", pathname + search);
}

/** Every item of the list at `path` (no query of its own), following `next` links, for lists
 *  that are short by nature (a team's datasets, a select of versions). */
export async function allPages<T>(path: string, query = ""): Promise<Result<T[]>> {
  const items: T[] = [];
  let url: string | null = `${path}?page_size=${MAX_PAGE_SIZE}${query === "" ? "" : `&${query}`}`;
  while (url !== null) {
    const result: Result<Paginated<T>> = await page<T>(url);
    if (!result.ok) return result;
    items.push(...result.value.results);
    url = result.value.next;
  }
  return { ok: true, value: items };
}
