import { useState } from "react";

import type { PagedList } from "../api/usePagedList";

interface Props<T> {
  list: PagedList<T>;
  /** What the button fetches, e.g. "older versions". */
  what: string;
}

/** Under a paged list: how many of how many are shown, and a button for the next page (none on
 *  the last page). */
export function LoadMore<T>({ list, what }: Props<T>) {
  const [loading, setLoading] = useState(false);
  const { items, count, loadMore } = list;
  if (items === null || loadMore === null) return null;
  const more = async () => {
    setLoading(true);
    await loadMore();
    setLoading(false);
  };
  return (
    <div className="load-more">
      <span className="small muted">
        {items.length} of {count}
      </span>
      <button disabled={loading} onClick={() => void more()}>
        {loading ? "Loading…" : `Load ${what}`}
      </button>
    </div>
  );
}
