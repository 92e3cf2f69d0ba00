/** Validation problems from the API (graphs/problems.py), grouped by the element they name. */

export interface Problem {
  code: string;
  message: string;
  node?: string;
  edge?: string;
  field?: string;
}

export interface ProblemIndex {
  nodes: Map<string, Problem[]>;
  edges: Map<string, Problem[]>;
  /** Problems naming no element ("the graph needs an output node"). */
  graph: Problem[];
}

export function indexProblems(problems: readonly Problem[]): ProblemIndex {
  const index: ProblemIndex = { nodes: new Map(), edges: new Map(), graph: [] };
  for (const problem of problems) {
    if (problem.node !== undefined) push(index.nodes, problem.node, problem);
    if (problem.edge !== undefined) push(index.edges, problem.edge, problem);
    if (problem.node === undefined && problem.edge === undefined) index.graph.push(problem);
  }
  return index;
}

function push(map: Map<string, Problem[]>, key: string, problem: Problem): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [problem]);
  else list.push(problem);
}

/** "config.temperature: must be between 0 and 2", or the message alone. */
export function problemText(problem: Problem): string {
  return problem.field === undefined ? problem.message : `${problem.field}: ${problem.message}`;
}

/** The element a problem names, to select it; `null` for problems about the whole graph. */
export function problemTarget(problem: Problem): { id: string; what: "node" | "edge" } | null {
  if (problem.node !== undefined) return { id: problem.node, what: "node" };
  if (problem.edge !== undefined) return { id: problem.edge, what: "edge" };
  return null;
}

/** Where a problem applies, in words: "node 'm'", "edge 'a->b'", or "graph". */
export function problemWhere(problem: Problem): string {
  const target = problemTarget(problem);
  return target === null ? "graph" : `${target.what} '${target.id}'`;
}

/** The whole reason, as `Problem.__str__` in graphs/problems.py writes it:
 * "node 'm': config.temperature: must be between 0 and 2". Never shortened. */
export function problemFullText(problem: Problem): string {
  const where: string[] = [];
  if (problem.node !== undefined) where.push(`node '${problem.node}'`);
  if (problem.edge !== undefined) where.push(`edge '${problem.edge}'`);
  if (problem.field !== undefined) where.push(problem.field);
  return where.length > 0 ? `${where.join(": ")}: ${problem.message}` : problem.message;
}

/** One line per problem, for a title attribute that shows every reason in full. */
export function problemsTooltip(problems: readonly Problem[]): string {
  return problems.map(problemFullText).join("\n");
}

/** Node kinds a graph holds at most one of (graphs/validation.py `multiple_inputs`), with the
 * reason the palette shows when one is already on the canvas. Outputs may repeat. */
const SINGLETON_KINDS: Partial<Record<string, string>> = { input: "a graph has one input" };

/** Why a node of `kind` cannot be added to a graph holding nodes of `presentKinds`, or `null`. */
export function addNodeRefusal(kind: string, presentKinds: Iterable<string>): string | null {
  const reason = SINGLETON_KINDS[kind];
  if (reason === undefined) return null;
  for (const present of presentKinds) if (present === kind) return reason;
  return null;
}
