/** Links between an experiment's rows and the editor's replay of their runs:
 *  `/graphs/{graph}?run={run}&experiment={experiment}&row={row}` opens the run as a replay and
 *  says which row of which experiment it came from, with a link back to the results. */

/** Where a replayed run came from: a row of an experiment. */
export interface ReplayOrigin {
  experiment: number;
  /** The row's index in the experiment (its "#"); null when the link did not say. */
  row: number | null;
}

/** `/graphs/{graph}?run={run}`, with the experiment and row it came from when given. */
export function traceHref(graph: number, run: number, origin: ReplayOrigin | null = null): string {
  const params = new URLSearchParams({ run: String(run) });
  if (origin !== null) {
    params.set("experiment", String(origin.experiment));
    if (origin.row !== null) params.set("row", String(origin.row));
  }
  return `/graphs/${graph}?${params.toString()}`;
}

function whole(text: string | null, min: number): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= min ? value : null;
}

/** The origin an editor link names (`?experiment=` and `?row=`), or null without a valid
 *  experiment. */
export function replayOrigin(query: URLSearchParams): ReplayOrigin | null {
  const experiment = whole(query.get("experiment"), 1);
  if (experiment === null) return null;
  return { experiment, row: whole(query.get("row"), 0) };
}

/** The Evaluate page with the experiment's results open. */
export function resultsHref(graph: number, experiment: number): string {
  return `/graphs/${graph}/evaluate?experiment=${experiment}`;
}

/** "Row 2 of experiment 5", or "Experiment 5" when the row is not known. */
export function originText(origin: ReplayOrigin): string {
  return origin.row === null ? `Experiment ${origin.experiment}` : `Row ${origin.row} of experiment ${origin.experiment}`;
}
