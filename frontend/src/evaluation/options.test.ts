import { describe, expect, it } from "vitest";

import { PARETO, ROUTER } from "./fixtures";
import {
  cellFromClick,
  confusionGrid,
  confusionOption,
  escapeHtml,
  experimentFromClick,
  frontierData,
  nodeLatencyOption,
  paretoData,
  paretoOption,
  paretoTooltip,
  reliabilityOption,
  reliabilityTitle,
  SELECTED_CELL_STYLE,
} from "./options";

type Series = { type?: string; name?: string; data?: unknown[]; z?: number; step?: string; symbol?: string; showSymbol?: boolean };
const series = (option: { series?: unknown }) => option.series as Series[];
const tooltip = (option: { tooltip?: unknown }, params: unknown) =>
  (option.tooltip as { formatter: (p: unknown) => string }).formatter(params);

describe("the confusion heat map", () => {
  const grid = confusionGrid(ROUTER);

  it("puts the router's targets first, then other names met, and keeps non-zero cells", () => {
    expect(grid.labels).toEqual(["math", "code", "chat"]);
    expect(grid.cells).toEqual([
      { expected: "math", chosen: "math", count: 3 },
      { expected: "math", chosen: "code", count: 1 },
      { expected: "code", chosen: "code", count: 3 },
      { expected: "code", chosen: "chat", count: 1 },
    ]);
    expect(grid.max).toBe(3);
  });

  it("draws expected on y and chosen on x, right and wrong cells on their own colour scales", () => {
    const option = confusionOption(grid);
    const [correct, wrong] = series(option);
    // [chosen index, expected index, count]
    expect(correct?.data).toEqual([
      [0, 0, 3],
      [1, 1, 3],
    ]);
    expect(wrong?.data).toEqual([
      [1, 0, 1],
      [2, 1, 1],
    ]);
    expect((option.xAxis as { data: string[]; name: string }).name).toBe("chosen");
    expect((option.yAxis as { data: string[]; name: string }).data).toEqual(["math", "code", "chat"]);
    const scales = option.visualMap as { seriesIndex: number; max: number }[];
    expect(scales.map((s) => [s.seriesIndex, s.max])).toEqual([
      [0, 3],
      [1, 1],
    ]);
    expect(tooltip(option, { data: [1, 0, 1] })).toBe("expected <b>math</b>, chose <b>code</b>: 1 rows");
  });

  it("turns a click on a cell into its expected and chosen targets", () => {
    expect(cellFromClick(grid, { data: [2, 1, 1] })).toEqual({ expected: "code", chosen: "chat" });
    expect(cellFromClick(grid, { data: [9, 0, 1] })).toBeNull();
    expect(cellFromClick(grid, { data: { value: 1 } })).toBeNull();
    // The selected cell comes back as a data item.
    expect(cellFromClick(grid, { data: { value: [1, 0, 1], itemStyle: SELECTED_CELL_STYLE } })).toEqual({ expected: "math", chosen: "code" });
  });

  it("orders the axes as the graph orders the router's targets, other names after", () => {
    const ordered = confusionGrid(ROUTER, ["code", "math"]);
    expect(ordered.labels).toEqual(["code", "math", "chat"]);
    expect(ordered.cells[0]).toEqual({ expected: "code", chosen: "code", count: 3 });
    // Without an order, alphabetically.
    expect(confusionGrid(ROUTER, []).labels).toEqual(["chat", "code", "math"]);
    expect((confusionOption(ordered).xAxis as { data: string[] }).data).toEqual(["code", "math", "chat"]);
  });

  it("frames the selected cell, and only it", () => {
    const option = confusionOption(grid, { expected: "math", chosen: "code" });
    const [correct, wrong] = series(option);
    expect(correct?.data).toEqual([
      [0, 0, 3],
      [1, 1, 3],
    ]);
    // Drawn last, above its neighbours, so they cannot cover its frame.
    expect(wrong?.data).toEqual([
      [2, 1, 1],
      { value: [1, 0, 1], itemStyle: SELECTED_CELL_STYLE, label: { fontWeight: "bold" } },
    ]);
    expect([correct?.z, wrong?.z]).toEqual([2, 3]);
    expect(SELECTED_CELL_STYLE.borderWidth).toBeGreaterThan(1);
    expect(tooltip(option, { data: { value: [1, 0, 1] } })).toBe("expected <b>math</b>, chose <b>code</b>: 1 rows");
    // A selection the matrix does not have frames nothing.
    expect(series(confusionOption(grid, { expected: "math", chosen: "chat" }))[1]?.data).toEqual([
      [1, 0, 1],
      [2, 1, 1],
    ]);
  });
});

describe("the reliability diagram", () => {
  it("bars accuracy per bin next to the diagonal and the mean confidence, ECE in the title", () => {
    const option = reliabilityOption(ROUTER.calibration);
    const [bars, diagonal, confidence] = series(option);
    expect(bars?.data).toEqual(["-", 0.75]);
    expect(diagonal?.data).toEqual([0.25, 0.75]);
    expect(confidence?.data).toEqual(["-", 0.9]);
    expect((option.title as { text: string }).text).toBe("Reliability · ECE 0.150");
    expect(reliabilityTitle({ bins: [], ece: null })).toBe("Reliability");
    // Every bin keeps its label (ECharts would hide every other one of ten).
    expect((option.xAxis as { axisLabel: { interval: number } }).axisLabel.interval).toBe(0);
    expect(tooltip(option, [{ dataIndex: 1 }])).toBe(
      "probability 0.5–1.0<br/>rows: 8<br/>accuracy: 75.0%<br/>mean confidence: 90.0%",
    );
  });
});

describe("per-node latency", () => {
  it("lists nodes slowest on top with p50 and p90 bars", () => {
    const option = nodeLatencyOption({ fast: { p50: 10, p90: 20, count: 5 }, slow: { p50: 900, p90: 1500, count: 5 } });
    expect((option.yAxis as { data: string[] }).data).toEqual(["fast", "slow"]);
    expect(series(option).map((s) => s.data)).toEqual([
      [10, 900],
      [20, 1500],
    ]);
  });
});

describe("the Pareto plot", () => {
  it("plots every experiment with a quality and a cost, labelled graph vN", () => {
    expect(paretoData(PARETO.points, "latency").map((d) => [d.name, d.value])).toEqual([
      ["moa v1", [3000, 0.7]],
      ["moa v2", [800, 0.6]],
      ["single v1", [1000, 0.5]],
    ]);
  });

  it("draws the frontier cheapest first as a step line, per cost axis", () => {
    expect(frontierData(PARETO, "latency")).toEqual([
      [800, 0.6],
      [3000, 0.7],
    ]);
    expect(frontierData(PARETO, "tokens")).toEqual([
      [200, 0.5],
      [300, 0.6],
      [900, 0.7],
    ]);
    const option = paretoOption(PARETO, "tokens", 3);
    const [frontier, mine, others] = series(option);
    expect(frontier?.step).toBe("end");
    expect(mine?.data?.length).toBe(2);
    expect(others?.data?.length).toBe(1);
    expect((option.xAxis as { name: string }).name).toBe("tokens");
  });

  it("rings each frontier point, so that a frontier of one point shows", () => {
    const option = paretoOption({ ...PARETO, frontier: { latency: [2], tokens: [2] } }, "latency", 3);
    const [frontier] = series(option);
    expect(frontier?.data).toEqual([[800, 0.6]]);
    expect(frontier?.symbol).toBe("emptyCircle");
    expect(frontier?.showSymbol).toBe(true);
    // The metric's name sits beside the axis, clear of the labels of the points at the top.
    expect((option.yAxis as { nameLocation: string }).nameLocation).toBe("middle");
  });

  it("says the values in the tooltip, escaping names", () => {
    const point = PARETO.points[2];
    if (point === undefined) throw new Error("fixture");
    expect(paretoTooltip({ ...point, label: "" }, "choice")).toBe(
      "<b>single &#60;b&#62; v1</b> · experiment 3<br/>choice: 50.0%<br/>median latency: 1.00 s<br/>tokens: 200",
    );
    expect(escapeHtml(`<a href="x">'&`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;");
  });

  it("finds the experiment a click hit", () => {
    expect(experimentFromClick({ data: { value: [1, 2], experiment: 4, graph: 9 } })).toEqual({ experiment: 4, graph: 9 });
    expect(experimentFromClick({ data: [800, 0.6] })).toBeNull();
  });
});
