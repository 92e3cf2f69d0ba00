/** Fetching the node kinds into ./nodeKinds.ts once per page load. */
import { api } from "../api/endpoints";
import type { ApiError } from "../api/client";
import { setNodeKinds, useNodeKinds } from "./nodeKinds";

let pending: Promise<ApiError | null> | null = null;

/** Resolves to null once the kinds are in the store (at once when they already are), or to the
 *  error that kept them out; a failed fetch is tried again on the next call. */
export function loadNodeKinds(): Promise<ApiError | null> {
  if (useNodeKinds.getState().kinds.length > 0) return Promise.resolve(null);
  pending ??= api.nodeKinds().then((result) => {
    pending = null;
    if (!result.ok) return result.error;
    setNodeKinds(result.value);
    return null;
  });
  return pending;
}
