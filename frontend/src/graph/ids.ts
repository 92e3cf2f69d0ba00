import type { NodeKind } from "./spec";

/** `router-1`, `router-2`, ...: the first that is not taken, so ids stay short and readable. */
export function freshNodeId(kind: NodeKind, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const id = `${kind}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** `source->target` as the Python templates name edges; suffixed if a stale id holds it. */
export function freshEdgeId(source: string, target: string, taken: ReadonlySet<string>): string {
  const base = `${source}->${target}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const id = `${base}#${n}`;
    if (!taken.has(id)) return id;
  }
}
