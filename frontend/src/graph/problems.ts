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
