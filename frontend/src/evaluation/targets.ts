/** The order in which a router's targets are shown (confusion matrix, per-target table): the
 *  graph's, i.e. the router's outgoing edges by functional token, as the router itself ranks them
 *  (graphs/nodes/router.py `candidates`). The server's report sorts labels alphabetically. */
import type { GraphSpec } from "../graph/spec";

/** The targets of `router`'s outgoing edges, by functional token; edges without a token after
 *  them, in spec order. Empty without a spec or a router node of that id. */
export function routerTargets(spec: GraphSpec | null | undefined, router: string): string[] {
  if (spec === null || spec === undefined) return [];
  if (!spec.nodes.some((node) => node.id === router && node.kind === "router")) return [];
  const edges = spec.edges
    .map((edge, position) => ({ edge, position, token: typeof edge.data?.token === "number" ? edge.data.token : null }))
    .filter(({ edge }) => edge.source === router)
    .sort((a, b) => {
      if ((a.token === null) !== (b.token === null)) return a.token === null ? 1 : -1;
      return (a.token ?? 0) - (b.token ?? 0) || a.position - b.position;
    });
  return [...new Set(edges.map(({ edge }) => edge.target))];
}

/** `labels` with those in `first` leading, in its order; the rest after them, alphabetically. */
export function orderLabels(labels: Iterable<string>, first: readonly string[]): string[] {
  const all = new Set(labels);
  const leading = [...new Set(first)].filter((label) => all.has(label));
  const placed = new Set(leading);
  return [...leading, ...[...all].filter((label) => !placed.has(label)).sort()];
}

/** `labels` in graph order: `router`'s targets by functional token, then any other label (the
 *  report's "(none)", a target the graph no longer has) alphabetically. */
export function orderTargets(labels: Iterable<string>, spec: GraphSpec | null | undefined, router: string): string[] {
  return orderLabels(labels, routerTargets(spec, router));
}
