import { useCallback, useMemo } from "react";

import type { RouterReport, RowFilter } from "../api/types";
import type { GraphSpec } from "../graph/spec";
import { ConfusionTable } from "./ConfusionTable";
import { EChart } from "./EChart";
import { formatCount, formatInterval, formatPercent } from "./format";
import type { ChartClick, SelectedCell } from "./options";
import { cellFromClick, confusionGrid, confusionHeight, confusionOption, reliabilityOption, reliabilityTitle } from "./options";
import { routerTargets } from "./targets";
import { DataTable } from "../ui/DataTable";

interface Props {
  router: string;
  report: RouterReport;
  /** The spec of the version the experiment ran (null while it loads): the targets' order. */
  spec: GraphSpec | null;
  /** The rows filter when it is this router's: its cell (expected x chosen) is marked. */
  selected: Pick<RowFilter, "expected" | "chosen"> | null;
  /** Show the rows of one cell (expected x chosen) of this router. */
  onCell: (expected: string, chosen: string) => void;
}

/** One router's results: the confusion heat map (click a cell for its rows), precision and
 *  recall per target, the top confusions and the reliability diagram. */
export function RouterSection({ router, report, spec, selected, onCell }: Props) {
  // The targets as the graph orders them (by functional token), not the report's alphabet.
  const order = useMemo(() => routerTargets(spec, router), [spec, router]);
  const grid = useMemo(() => confusionGrid(report, order), [report, order]);
  const expected = selected?.expected;
  const chosen = selected?.chosen;
  const cell = useMemo<SelectedCell | null>(
    () => (expected === undefined || chosen === undefined ? null : { expected, chosen }),
    [expected, chosen],
  );
  const heatmap = useMemo(() => confusionOption(grid, cell), [grid, cell]);
  const reliability = useMemo(() => reliabilityOption(report.calibration), [report.calibration]);
  const click = useCallback(
    (event: ChartClick) => {
      const hit = cellFromClick(grid, event);
      if (hit !== null) onCell(hit.expected, hit.chosen);
    },
    [grid, onCell],
  );
  const targets = Object.entries(report.per_target).sort(([a], [b]) => grid.labels.indexOf(a) - grid.labels.indexOf(b));
  return (
    <section className="eval-router" aria-label={`Router ${router}`}>
      <h3 className="eval-router-title">
        Router {router}: accuracy <strong>{formatPercent(report.accuracy)}</strong>{" "}
        <span className="muted">{formatInterval(report)}</span> <span className="muted small">n = {formatCount(report.n)}</span>
      </h3>
      <div className="eval-router-grid">
        <div className="eval-confusion" data-testid={`confusion-${router}`}>
          <EChart
            option={heatmap}
            height={confusionHeight(grid.labels.length)}
            label={`Confusion matrix of router ${router}: expected target by row, chosen target by column`}
            onClick={click}
          />
          <ConfusionTable router={router} grid={grid} selected={cell} onCell={onCell} />
        </div>
        <div className="eval-router-side">
          <EChart option={reliability} height={240} label={`${reliabilityTitle(report.calibration)} of router ${router}`} testId={`reliability-${router}`} />
          <h4>Per target</h4>
          <DataTable className="eval-table" columns={["target", "precision", "recall", "support"]}>
            {targets.map(([target, stats]) => (
              <tr key={target}>
                <td>{target}</td>
                <td>{formatPercent(stats.precision)}</td>
                <td>{formatPercent(stats.recall)}</td>
                <td>{formatCount(stats.support)}</td>
              </tr>
            ))}
          </DataTable>
          <h4>Top confusions</h4>
          {report.top_confusions.length === 0 ? (
            <p className="muted small">None: every decision matched.</p>
          ) : (
            <ol className="eval-confusions">
              {report.top_confusions.map((c) => (
                <li key={`${c.expected}-${c.chosen}`}>
                  <button className="link" onClick={() => onCell(c.expected, c.chosen)}>
                    {c.expected} → {c.chosen}
                  </button>{" "}
                  <span className="muted small">{formatCount(c.count)} {c.count === 1 ? "row" : "rows"}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </section>
  );
}
