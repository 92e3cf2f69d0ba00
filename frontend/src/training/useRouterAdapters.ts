import { useEffect, useState } from "react";

import { api } from "../api/endpoints";
import type { RouterAdapter } from "../api/types";

/** The router adapters of `team` from the catalog, fetched again whenever `refresh` changes
 *  (e.g. to the id of an adapter a training just registered). */
export function useRouterAdapters(team: number, refresh: unknown): RouterAdapter[] {
  const [adapters, setAdapters] = useState<RouterAdapter[]>([]);
  useEffect(() => {
    let current = true;
    void api.routerAdapters(team).then((result) => {
      if (current && result.ok) setAdapters(result.value);
    });
    return () => {
      current = false;
    };
  }, [team, refresh]);
  return adapters;
}
