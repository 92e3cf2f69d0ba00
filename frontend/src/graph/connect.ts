/**
 * Connection rules checked while the user drags an edge, from the ports and facts the server
 * serves for each kind (./nodeKinds.ts), so that wiring the server would refuse is refused on the
 * canvas, with the reason shown.
 */
import type { GraphEdge, GraphNode } from "./flow";
import { kindPorts, numberFact } from "./nodeKinds";
import type { EdgeData, RouterMode } from "./spec";

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

export interface ConnectionGraph {
  nodes: readonly (GraphNode & { routerMode?: RouterMode })[];
  edges: readonly GraphEdge[];
}

export function checkConnection(
  graph: ConnectionGraph,
  source: string,
  target: string,
): ConnectionCheck {
  const from = graph.nodes.find((node) => node.id === source);
  const to = graph.nodes.find((node) => node.id === target);
  if (from === undefined || to === undefined) return refuse("one end of the edge is missing");
  if (source === target) return refuse("a node cannot connect to itself");
  const fromPorts = kindPorts(from.type);
  const toPorts = kindPorts(to.type);
  if (!fromPorts.givesOutput) return refuse(`an ${from.type} node has no outgoing edges`);
  if (!toPorts.takesInput) return refuse(`an ${to.type} node takes no incoming edges`);
  if (graph.edges.some((edge) => edge.source === source && edge.target === target)) {
    return refuse("these nodes are already connected");
  }
  const maxInputs = toPorts.maxInputs;
  if (maxInputs !== undefined && graph.edges.filter((edge) => edge.target === target).length >= maxInputs) {
    return refuse(`a ${to.type} node takes at most ${maxInputs} incoming edge${maxInputs === 1 ? "" : "s"}`);
  }
  const back = pathBetween(graph.edges, target, source);
  if (back !== null) return refuse(`this edge would close a cycle: ${[source, ...back].join(" → ")}`);
  const maxCandidates = numberFact("router", "max_in_context_candidates");
  if (from.type === "router" && (from.routerMode ?? "in-context") === "in-context" && maxCandidates !== undefined) {
    const candidates = graph.edges.filter((edge) => edge.source === source).length;
    if (candidates >= maxCandidates) {
      return refuse(`in-context routing chooses among at most ${maxCandidates} edges`);
    }
  }
  return { ok: true };
}

function refuse(reason: string): ConnectionCheck {
  return { ok: false, reason };
}

/** Node ids of a path `from` → ... → `to` along edges, or null when there is none. */
export function pathBetween(edges: readonly GraphEdge[], from: string, to: string): string[] | null {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const list = next.get(edge.source);
    if (list === undefined) next.set(edge.source, [edge.target]);
    else list.push(edge.target);
  }
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head += 1) {
    const current = queue[head] as string;
    if (current === to) {
      const path: string[] = [];
      for (let at: string | null = to; at !== null; at = cameFrom.get(at) ?? null) path.push(at);
      return path.reverse();
    }
    for (const succ of next.get(current) ?? []) {
      if (!cameFrom.has(succ)) {
        cameFrom.set(succ, current);
        queue.push(succ);
      }
    }
  }
  return null;
}

/** The smallest functional-token index not yet used by the router's outgoing edges. */
export function nextFreeToken(edges: readonly GraphEdge[], router: string): number {
  const used = new Set(
    edges.filter((edge) => edge.source === router).map((edge) => edge.data?.token),
  );
  let token = 0;
  while (used.has(token)) token += 1;
  return token;
}

/** The data a new edge starts with: router edges get a free token and await a description. */
export function newEdgeData(
  graph: ConnectionGraph,
  source: string,
): EdgeData | undefined {
  const from = graph.nodes.find((node) => node.id === source);
  if (from?.type !== "router") return undefined;
  return { token: nextFreeToken(graph.edges, source), description: "" };
}

/** The other edge of the same router using this edge's token, if any (validation refuses
 *  duplicate tokens: `router_token_duplicate`). */
export function tokenClash(edges: readonly GraphEdge[], edgeId: string): GraphEdge | undefined {
  const edge = edges.find((e) => e.id === edgeId);
  const token = edge?.data?.token;
  if (edge === undefined || token === undefined) return undefined;
  return edges.find((e) => e.id !== edgeId && e.source === edge.source && e.data?.token === token);
}
