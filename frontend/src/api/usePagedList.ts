import { useCallback, useEffect, useRef, useState } from "react";

import { errorText } from "./client";
import { page } from "./pages";

export interface PagedList<T> {
  /** The pages fetched so far, in the API's order; null until the first arrives. */
  items: T[] | null;
  /** How many items the whole list holds. */
  count: number;
  /** Appends the next page; null on the last page. */
  loadMore: (() => Promise<void>) | null;
}

interface Loaded<T> {
  url: string;
  items: T[];
  count: number;
  next: string | null;
}

/** The list endpoint at `url` a page at a time: its first page, fetched again whenever `url` or
 *  `reloadKey` changes (which drops the pages loaded after it), then more on demand. Failures go
 *  to `onError` as a sentence. */
export function usePagedList<T>(url: string, reloadKey: unknown, onError: (message: string) => void): PagedList<T> {
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const report = useRef(onError);
  useEffect(() => {
    report.current = onError;
  });

  useEffect(() => {
    let current = true;
    void page<T>(url).then((result) => {
      if (!current) return;
      if (result.ok) setLoaded({ url, items: result.value.results, count: result.value.count, next: result.value.next });
      else report.current(errorText(result.error));
    });
    return () => {
      current = false;
    };
  }, [url, reloadKey]);

  const next = loaded?.url === url ? loaded.next : null;
  const loadMore = useCallback(async () => {
    if (next === null) return;
    const result = await page<T>(next);
    if (!result.ok) {
      report.current(errorText(result.error));
      return;
    }
    setLoaded((shown) =>
      shown === null || shown.next !== next
        ? shown
        : { ...shown, items: [...shown.items, ...result.value.results], count: result.value.count, next: result.value.next },
    );
  }, [next]);

  // A list of another URL (another team, say) is not shown while the new one loads.
  const fresh = loaded?.url === url ? loaded : null;
  return { items: fresh?.items ?? null, count: fresh?.count ?? 0, loadMore: next === null ? null : loadMore };
}
