import { useEffect, useState } from "react";

import { errorText } from "../api/client";
import { evaluationApi } from "./api";
import type { ExperimentRow, RowFilter } from "../api/types";
import { followLink } from "../router";
import { formatCount, formatMs, formatScore, truncate } from "./format";
import { decisionText, describeFilter, outputCell, referenceParts, ROWS_PAGE, traceHref, withFilter } from "./rows";
import { DataTable } from "../ui/DataTable";

interface Props {
  experiment: number;
  graph: number;
  scorers: readonly string[];
  /** The runs stopped once the routers decided: no row has an output. */
  routingOnly: boolean;
  filter: RowFilter;
  onFilter: (filter: RowFilter) => void;
  /** Changes when the rows may have changed (the experiment moved on). */
  version: string;
}

const STATUSES: readonly NonNullable<RowFilter["status"]>[] = ["pending", "running", "judging", "scored", "failed"];

/** The experiment's rows, a page at a time: input, reference, decisions, output, every score,
 *  latency and a link replaying the row's run on the canvas. */
export function ExperimentRows({ experiment, graph, scorers, routingOnly, filter, onFilter, version }: Props) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ count: number; rows: ExperimentRow[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const filterKey = JSON.stringify(filter);
  // A new filter starts again at the first page.
  const [shownFilter, setShownFilter] = useState(filterKey);
  if (shownFilter !== filterKey) {
    setShownFilter(filterKey);
    setOffset(0);
  }

  useEffect(() => {
    let current = true;
    void evaluationApi.experimentRows(experiment, JSON.parse(filterKey) as RowFilter, offset, ROWS_PAGE).then((result) => {
      if (!current) return;
      if (result.ok) {
        setPage(result.value);
        setError(null);
      } else setError(errorText(result.error));
    });
    return () => {
      current = false;
    };
  }, [experiment, filterKey, offset, version]);

  const set = (patch: Partial<RowFilter>) => {
    onFilter(withFilter(filter, patch));
  };
  const described = describeFilter(filter);
  const count = page?.count ?? 0;
  return (
    <section className="eval-rows" aria-label="Experiment rows" id="experiment-rows">
      <div className="eval-head">
        <h3>Rows</h3>
        <label className="small">
          Scorer{" "}
          <select aria-label="Filter by scorer" value={filter.scorer ?? ""} onChange={(e) => set({ scorer: e.target.value === "" ? undefined : e.target.value })}>
            <option value="">any</option>
            {scorers.map((name) => (
              <option key={name} value={name}>{name}</option>
            ))}
          </select>
        </label>
        <select
          aria-label="Filter by score"
          value={filter.value === undefined ? "" : String(filter.value)}
          disabled={filter.scorer === undefined}
          onChange={(e) => set({ value: e.target.value === "" ? undefined : Number(e.target.value) })}
        >
          <option value="">any score</option>
          <option value="1">✓ right</option>
          <option value="0">✗ wrong</option>
        </select>
        <label className="small">
          Status{" "}
          <select aria-label="Filter by status" value={filter.status ?? ""} onChange={(e) => set({ status: e.target.value === "" ? undefined : (e.target.value as NonNullable<RowFilter["status"]>) })}>
            <option value="">any</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>{status}</option>
            ))}
          </select>
        </label>
        {described !== "" && (
          <span className="eval-filter small" data-testid="rows-filter">
            {described} <button className="link" onClick={() => onFilter({})}>clear</button>
          </span>
        )}
        <span className="spacer" />
        <Pager offset={offset} count={count} onOffset={setOffset} />
      </div>
      {error !== null && <p className="error small" role="alert">{error}</p>}
      <div className="eval-scroll">
        <DataTable
          className="eval-table eval-rows-table"
          data-testid="experiment-rows"
          columns={["#", "input", "expected / answer / route", "chosen", "output", ...scorers, "latency", { ariaLabel: "Trace" }]}
        >
          {page?.rows.map((row) => (
            <tr key={row.index} data-row-index={row.index}>
              <td>{row.index}</td>
              <td title={row.input}>{truncate(row.input, 120)}</td>
              <td title={referenceParts(row).join("\n")}>{truncate(referenceParts(row).join(" · "), 80)}</td>
              <td>{decisionText(row.decisions)}</td>
              <OutputCell row={row} routingOnly={routingOnly} />
              {scorers.map((name) => {
                const score = row.scores[name];
                const value = score?.value;
                return (
                  <td key={name} className={value === 1 ? "ok" : value === 0 ? "error" : undefined} title={score?.detail === undefined ? undefined : JSON.stringify(score.detail)}>
                    {formatScore(value)}
                  </td>
                );
              })}
              <td className="nowrap" title={tokensTitle(row)}>{formatMs(row.latency_ms)}</td>
              <td className="nowrap">
                {row.run !== null && (
                  <a
                    href={traceHref(graph, row.run, { experiment, row: row.index })}
                    onClick={followLink}
                    title={`Replay run ${row.run} on the canvas`}
                  >
                    Open trace
                  </a>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
      {page !== null && page.rows.length === 0 && <p className="muted small">No rows{described === "" ? " yet" : " match"}.</p>}
      {page !== null && <p className="muted small">{formatCount(count)} rows</p>}
    </section>
  );
}

/** The run's answer, or why it failed; the row's status while it has no outcome; that a
 *  routing-only run has no answer. */
function OutputCell({ row, routingOnly }: { row: ExperimentRow; routingOnly: boolean }) {
  const { text, tone } = outputCell(row, routingOnly);
  return (
    <td title={text} className={tone ?? undefined} data-testid="row-output">
      {truncate(text, 120)}
    </td>
  );
}

function tokensTitle(row: ExperimentRow): string | undefined {
  if (row.tokens_in === undefined || row.tokens_in === null) return undefined;
  return `${row.tokens_in} tokens in, ${row.tokens_out ?? 0} out`;
}

function Pager({ offset, count, onOffset }: { offset: number; count: number; onOffset: (offset: number) => void }) {
  if (count <= ROWS_PAGE) return null;
  const last = Math.floor((count - 1) / ROWS_PAGE) * ROWS_PAGE;
  return (
    <span className="eval-pager small">
      <button onClick={() => onOffset(0)} disabled={offset === 0} aria-label="First page">«</button>
      <button onClick={() => onOffset(Math.max(0, offset - ROWS_PAGE))} disabled={offset === 0}>Previous</button>
      <span>
        {formatCount(offset + 1)}–{formatCount(Math.min(count, offset + ROWS_PAGE))} of {formatCount(count)}
      </span>
      <button onClick={() => onOffset(offset + ROWS_PAGE)} disabled={offset >= last}>Next</button>
      <button onClick={() => onOffset(last)} disabled={offset >= last} aria-label="Last page">»</button>
    </span>
  );
}
