/** Rows of datasets and experiments: the rows query, how a row's reference and decisions read,
 *  the problems of a refused file, and the link that replays a row's run on the canvas. */
import type { ApiError } from "../api/client";
import type { DatasetProblem, DatasetRowItem, ExperimentRow, RowFilter } from "../api/types";

export const ROWS_PAGE = 50;

/** The query string of GET /api/experiments/{id}/rows/ (unset filters left out). */
export function rowsQuery(filter: RowFilter, offset: number, limit: number): string {
  const params = new URLSearchParams();
  for (const key of ["router", "expected", "chosen", "scorer", "value", "status"] as const) {
    const value = filter[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  params.set("offset", String(offset));
  params.set("limit", String(limit));
  return params.toString();
}

/** `filter` changed by `patch`; an undefined value removes that filter (and a value filter
 *  goes with its scorer). */
export function withFilter(filter: RowFilter, patch: Partial<RowFilter>): RowFilter {
  const merged: RowFilter = { ...filter, ...patch };
  if (merged.scorer === undefined) merged.value = undefined;
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as RowFilter;
}

/** What the rows table says a filter shows: "router r: expected math, chose code". */
export function describeFilter(filter: RowFilter): string {
  const parts: string[] = [];
  if (filter.router !== undefined) parts.push(`router ${filter.router}`);
  if (filter.expected !== undefined) parts.push(`expected ${filter.expected}`);
  if (filter.chosen !== undefined) parts.push(`chose ${filter.chosen}`);
  if (filter.scorer !== undefined) {
    parts.push(filter.value === undefined ? `scored by ${filter.scorer}` : `${filter.scorer} = ${filter.value}`);
  }
  if (filter.status !== undefined) parts.push(`status ${filter.status}`);
  return parts.join(", ");
}

function routeText(route: string | Record<string, string> | null | undefined): string | null {
  if (route === null || route === undefined) return null;
  if (typeof route === "string") return route;
  return Object.entries(route)
    .map(([router, target]) => `${router}→${target}`)
    .join(", ");
}

/** What the row is scored against: "answer B", "route math", the expected text. */
export function referenceParts(row: Pick<ExperimentRow, "expected" | "answer" | "route"> | DatasetRowItem): string[] {
  const parts: string[] = [];
  const route = routeText(row.route);
  if (route !== null) parts.push(`route ${route}`);
  if (row.answer !== null && row.answer !== undefined) parts.push(`answer ${row.answer}`);
  if (row.expected !== null && row.expected !== undefined) parts.push(row.expected);
  return parts;
}

/** Each router's decision: "r→math (0.93)". */
export function decisionText(decisions: ExperimentRow["decisions"]): string {
  return Object.entries(decisions)
    .map(([router, d]) => `${Object.keys(decisions).length > 1 ? `${router}→` : ""}${d.target} (${d.probability.toFixed(2)})`)
    .join(", ");
}

/** `/graphs/{graph}?run={run}&experiment={e}&row={n}`: the editor opens that run as a replay on
 *  the canvas, with a link back to the experiment's results. */
export { traceHref } from "../runs/replayLink";

/** What a row's output cell says: the run's answer, why it failed, its status while it has no
 *  outcome, or that a routing-only run stopped before any answer. */
export function outputCell(
  row: Pick<ExperimentRow, "status" | "error" | "output" | "outcome">,
  routingOnly: boolean,
): { text: string; tone: "muted" | "error" | null } {
  const failed = row.error !== null && row.error !== undefined && row.error !== "";
  if (failed) return { text: outcomePrefix(row.outcome) + (row.error ?? ""), tone: "error" };
  if (row.status !== "scored") return { text: row.status, tone: "muted" };
  const output = row.output ?? "";
  if (output === "" && routingOnly) return { text: "— routing only", tone: "muted" };
  return { text: outcomePrefix(row.outcome) + output, tone: null };
}

function outcomePrefix(outcome: string | null | undefined): string {
  return outcome !== undefined && outcome !== null && outcome !== "" && outcome !== "completed" ? `${outcome}: ` : "";
}

function isProblem(value: unknown): value is DatasetProblem {
  if (typeof value !== "object" || value === null) return false;
  const problem = value as Record<string, unknown>;
  return typeof problem.line === "number" && typeof problem.message === "string";
}

/** "line 3, answer: must be one letter A-D"; "line 7: not a JSON object" for a whole line;
 *  a problem of the file itself (line 0) is just its message. */
export function problemText(problem: DatasetProblem): string {
  if (problem.line <= 0) return problem.field === null ? problem.message : `${problem.field}: ${problem.message}`;
  return problem.field === null || problem.field === ""
    ? `line ${problem.line}: ${problem.message}`
    : `line ${problem.line}, ${problem.field}: ${problem.message}`;
}

/** Every problem of a refused upload, one sentence each (none for any other error). */
export function datasetProblems(error: ApiError): string[] {
  const problems = error.body.problems;
  if (!Array.isArray(problems)) return [];
  return problems.map((problem: unknown) => (isProblem(problem) ? problemText(problem) : String(problem)));
}

/** The heading of a refused upload's problems: the server's message ("the file has 4 problems")
 *  as a sentence, ending with a colon when the problems are listed under it. */
export function problemsHeading(message: string, listed: number): string {
  const text = message.trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  if (listed === 0 || sentence === "") return sentence;
  return `${sentence.replace(/[.:]$/, "")}:`;
}
