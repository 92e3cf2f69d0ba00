import { useEffect, useState } from "react";

import { api } from "../api/endpoints";
import type { AdapterChoice } from "../api/types";

/** The router adapters `team` may use, from the catalog (built-in, then trained), fetched again
 *  whenever `refresh` changes (e.g. to the id of an adapter a training just registered). */
export function useRouterAdapters(team: number, refresh: unknown): AdapterChoice[] {
  const [adapters, setAdapters] = useState<AdapterChoice[]>([]);
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
