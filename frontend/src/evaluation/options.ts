/**
 * ECharts options built from the API's answers, apart from the chart component so they can be
 * tested: the confusion heat map (expected on y, chosen on x), the reliability diagram, per-node
 * latency bars and the Pareto scatter with its frontier. Only types come from echarts here.
 */
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption, ScatterSeriesOption } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from "echarts/components";
import type { ComposeOption } from "echarts/core";

import type { Calibration, ExperimentSummary, ParetoPoint, ParetoResult, RouterReport } from "../api/types";
import { formatCount, formatMs, formatPercent } from "./format";
import { orderLabels } from "./targets";
import { THEME } from "./theme";

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | HeatmapSeriesOption
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** What the chart component hands a click handler (a subset of ECharts' event params). */
export interface ChartClick {
  seriesIndex?: number;
  seriesId?: string;
  dataIndex?: number;
  data?: unknown;
}

/** Chart tooltips are HTML: names typed by users (graph names, node ids) are escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const BASE = {
  textStyle: { fontFamily: THEME.font, color: THEME.text },
  animationDuration: 300,
} as const;

/** A grid with these margins (px) that its axis labels stay inside. */
function chartGrid(margins: { left: number; right: number; top: number; bottom: number }) {
  return { ...margins, outerBoundsMode: "same", outerBoundsContain: "all" } as const;
}

const LEGEND_TOP_RIGHT = { top: 0, right: 0, textStyle: { color: THEME.muted, fontSize: 11 } };

const percentAxisLabel = { formatter: (value: number) => `${Math.round(value * 100)}%`, color: THEME.muted };

/* ---- Confusion matrix ---- */

export interface ConfusionCell {
  expected: string;
  chosen: string;
  count: number;
}

export interface ConfusionGrid {
  /** Axis labels: the router's targets (in `order`), then any other name met in the matrix,
   *  alphabetically. */
  labels: string[];
  /** Every non-zero cell, row by row. */
  cells: ConfusionCell[];
  max: number;
}

/** The matrix's labels and non-zero cells; `order` (the router's targets in graph order, see
 *  targets.ts) leads, the report's own labels (sorted) otherwise. */
export function confusionGrid(report: Pick<RouterReport, "labels" | "confusion">, order: readonly string[] = report.labels): ConfusionGrid {
  const seen = new Set(report.labels);
  for (const [expected, row] of Object.entries(report.confusion)) {
    seen.add(expected);
    for (const chosen of Object.keys(row)) seen.add(chosen);
  }
  const labels = orderLabels(seen, order);
  const cells: ConfusionCell[] = [];
  for (const expected of labels) {
    const row = report.confusion[expected] ?? {};
    for (const chosen of labels) {
      const count = row[chosen] ?? 0;
      if (count > 0) cells.push({ expected, chosen, count });
    }
  }
  return { labels, cells, max: Math.max(1, ...cells.map((cell) => cell.count)) };
}

/** Pixels the heat map needs for `labels` targets a side. */
export function confusionHeight(labels: number): number {
  return Math.max(260, 110 + labels * 26);
}

const HEAT_CORRECT = "correct";
const HEAT_WRONG = "confused";

/** The cell whose rows are listed (expected x chosen). */
export interface SelectedCell {
  expected: string;
  chosen: string;
}

/** The selected cell's look: a dark frame inside it and a bold count. */
export const SELECTED_CELL_STYLE = { borderColor: THEME.text, borderWidth: 3 } as const;

type HeatDatum = number[] | { value: number[]; itemStyle: typeof SELECTED_CELL_STYLE; label: { fontWeight: "bold" } };

/** A heat-map point's value ([chosen index, expected index, count]), whether it came as the
 *  array itself or as a data item `{value, ...}` (the selected cell). */
function pointValue(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data as unknown[];
  if (typeof data === "object" && data !== null && Array.isArray((data as { value?: unknown }).value)) {
    return (data as { value: unknown[] }).value;
  }
  return null;
}

export function confusionOption(grid: ConfusionGrid, selected: SelectedCell | null = null): ChartOption {
  const index = new Map(grid.labels.map((label, i) => [label, i]));
  const isSelected = (cell: ConfusionCell) => selected !== null && selected.expected === cell.expected && selected.chosen === cell.chosen;
  const point = (cell: ConfusionCell): HeatDatum => {
    const value = [index.get(cell.chosen) ?? 0, index.get(cell.expected) ?? 0, cell.count];
    return isSelected(cell) ? { value, itemStyle: SELECTED_CELL_STYLE, label: { fontWeight: "bold" } } : value;
  };
  // The selected cell is drawn last (its series above the other, it last in its series), so
  // that no neighbour covers its frame.
  const lastIfSelected = (cells: ConfusionCell[]) => [...cells.filter((cell) => !isSelected(cell)), ...cells.filter(isSelected)];
  const correct = lastIfSelected(grid.cells.filter((cell) => cell.expected === cell.chosen));
  const wrong = lastIfSelected(grid.cells.filter((cell) => cell.expected !== cell.chosen));
  const maxOf = (cells: ConfusionCell[]) => Math.max(1, ...cells.map((cell) => cell.count));
  const rotate = grid.labels.length > 6 ? 40 : 0;
  const category = (name: string) => ({
    type: "category" as const,
    data: grid.labels,
    name,
    nameLocation: "middle" as const,
    splitArea: { show: true, areaStyle: { color: [THEME.panel, "#fafbfc"] } },
    axisLabel: { color: THEME.text, interval: 0 },
    axisTick: { show: false },
    axisLine: { lineStyle: { color: THEME.border } },
    nameTextStyle: { color: THEME.muted },
  });
  const heatSeries = (id: string, cells: ConfusionCell[]): HeatmapSeriesOption => ({
    type: "heatmap",
    id,
    name: id,
    data: cells.map(point),
    z: cells.some(isSelected) ? 3 : 2,
    label: { show: true, color: THEME.text, fontSize: 11 },
    itemStyle: { borderColor: THEME.panel, borderWidth: 1 },
    emphasis: { itemStyle: { borderColor: THEME.text, borderWidth: 1 } },
    cursor: "pointer",
  });
  const scale = (seriesIndex: number, max: number, colors: string[], left: string, label: string): VisualMapComponentOption => ({
    type: "continuous",
    seriesIndex,
    min: 0,
    max,
    calculable: false,
    orient: "horizontal",
    left,
    bottom: 0,
    itemWidth: 10,
    itemHeight: 90,
    text: [String(max), `${label} 0`],
    textStyle: { color: THEME.muted, fontSize: 11 },
    inRange: { color: colors },
  });
  return {
    ...BASE,
    grid: chartGrid({ left: 8, right: 16, top: 16, bottom: 40 }),
    tooltip: {
      trigger: "item",
      formatter: (params: unknown) => {
        const value = (pointValue((params as { data?: unknown }).data) ?? []) as number[];
        const chosen = grid.labels[value[0] ?? -1] ?? "";
        const expected = grid.labels[value[1] ?? -1] ?? "";
        return `expected <b>${escapeHtml(expected)}</b>, chose <b>${escapeHtml(chosen)}</b>: ${value[2] ?? 0} rows`;
      },
    },
    xAxis: { ...category("chosen"), nameGap: 28, axisLabel: { color: THEME.text, interval: 0, rotate } },
    yAxis: { ...category("expected"), nameGap: 8, nameLocation: "start", inverse: true },
    visualMap: [
      scale(0, maxOf(correct), [THEME.doneSoft, THEME.done], "20%", HEAT_CORRECT),
      scale(1, maxOf(wrong), [THEME.dangerSoft, THEME.danger], "55%", HEAT_WRONG),
    ],
    series: [heatSeries(HEAT_CORRECT, correct), heatSeries(HEAT_WRONG, wrong)],
  };
}

/** The cell a click on the heat map hit ([chosen index, expected index, count]). */
export function cellFromClick(grid: ConfusionGrid, click: ChartClick): SelectedCell | null {
  const value = pointValue(click.data);
  if (value === null) return null;
  const [x, y] = value;
  if (typeof x !== "number" || typeof y !== "number") return null;
  const chosen = grid.labels[x];
  const expected = grid.labels[y];
  return chosen === undefined || expected === undefined ? null : { expected, chosen };
}

/* ---- Reliability diagram ---- */

function binLabel(low: number, high: number): string {
  return `${low.toFixed(1)}–${high.toFixed(1)}`;
}

export function reliabilityTitle(calibration: Calibration): string {
  return calibration.ece === null ? "Reliability" : `Reliability · ECE ${calibration.ece.toFixed(3)}`;
}

/** Accuracy per bin of decision probability as bars, the diagonal (perfect calibration) and the
 *  bins' mean confidence as lines; ECE in the title. */
export function reliabilityOption(calibration: Calibration): ChartOption {
  const bins = calibration.bins;
  const labels = bins.map((bin) => binLabel(bin.low, bin.high));
  return {
    ...BASE,
    title: { text: reliabilityTitle(calibration), left: 0, textStyle: { fontSize: 13, fontWeight: 600, color: THEME.text } },
    legend: { top: 28, left: 0, itemHeight: 8, textStyle: { color: THEME.muted, fontSize: 11 } },
    grid: chartGrid({ left: 8, right: 8, top: 66, bottom: 8 }),
    tooltip: {
      trigger: "axis",
      formatter: (params: unknown) => {
        const first = Array.isArray(params) ? (params[0] as { dataIndex?: number } | undefined) : undefined;
        const bin = bins[first?.dataIndex ?? -1];
        if (bin === undefined) return "";
        return [
          `probability ${binLabel(bin.low, bin.high)}`,
          `rows: ${bin.count}`,
          `accuracy: ${formatPercent(bin.accuracy)}`,
          `mean confidence: ${formatPercent(bin.confidence)}`,
        ].join("<br/>");
      },
    },
    // Every bin labelled: with every other label hidden, a bar stood between two labels that
    // were not its own.
    xAxis: { type: "category", data: labels, name: "decision probability", nameLocation: "middle", nameGap: 26, axisLabel: { color: THEME.muted, fontSize: 9, interval: 0 } },
    yAxis: { type: "value", min: 0, max: 1, axisLabel: percentAxisLabel, splitLine: { lineStyle: { color: THEME.border } } },
    series: [
      {
        type: "bar",
        name: "accuracy",
        data: bins.map((bin) => (bin.count > 0 && bin.accuracy !== null ? bin.accuracy : "-")),
        itemStyle: { color: THEME.accent, borderRadius: [3, 3, 0, 0] },
        barCategoryGap: "8%",
      },
      {
        type: "line",
        name: "perfect calibration",
        data: bins.map((bin) => (bin.low + bin.high) / 2),
        symbol: "none",
        lineStyle: { color: THEME.muted, type: "dashed", width: 1.5 },
        itemStyle: { color: THEME.muted },
      },
      {
        type: "line",
        name: "mean confidence",
        data: bins.map((bin) => (bin.count > 0 && bin.confidence !== null ? bin.confidence : "-")),
        symbolSize: 5,
        lineStyle: { color: THEME.changed, width: 1.5 },
        itemStyle: { color: THEME.changed },
      },
    ],
  };
}

/* ---- Per-node latency ---- */

export function nodeLatencyOption(nodes: NonNullable<ExperimentSummary["nodes"]>): ChartOption {
  // Slowest at the top: a category y axis draws its first category at the bottom.
  const entries = Object.entries(nodes).sort(([, a], [, b]) => (a.p50 ?? 0) - (b.p50 ?? 0));
  const names = entries.map(([node]) => node);
  return {
    ...BASE,
    legend: LEGEND_TOP_RIGHT,
    grid: chartGrid({ left: 8, right: 24, top: 28, bottom: 8 }),
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: unknown) => {
        const first = Array.isArray(params) ? (params[0] as { dataIndex?: number } | undefined) : undefined;
        const entry = entries[first?.dataIndex ?? -1];
        if (entry === undefined) return "";
        const [node, stats] = entry;
        return `<b>${escapeHtml(node)}</b><br/>p50 ${formatMs(stats.p50)} · p90 ${formatMs(stats.p90)}<br/>${stats.count} runs`;
      },
    },
    xAxis: { type: "value", axisLabel: { formatter: (v: number) => formatMs(v), color: THEME.muted }, splitLine: { lineStyle: { color: THEME.border } } },
    yAxis: { type: "category", data: names, axisLabel: { color: THEME.text }, axisTick: { show: false } },
    series: [
      { type: "bar", name: "p50", data: entries.map(([, s]) => s.p50 ?? 0), itemStyle: { color: THEME.accent } },
      { type: "bar", name: "p90", data: entries.map(([, s]) => s.p90 ?? 0), itemStyle: { color: THEME.accentSoft, borderColor: THEME.accent, borderWidth: 1 } },
    ],
  };
}

export function nodeLatencyHeight(nodes: number): number {
  return Math.max(140, 50 + nodes * 34);
}

/* ---- Pareto ---- */

export type ParetoAxis = "latency" | "tokens";

export function pointLabel(point: ParetoPoint): string {
  return point.label !== "" ? point.label : `${point.graph_name} v${point.version}`;
}

function cost(point: ParetoPoint, axis: ParetoAxis): number | null {
  return axis === "latency" ? point.latency_p50 : point.tokens;
}

interface ParetoDatum {
  value: [number, number];
  name: string;
  experiment: number;
  graph: number;
}

/** The plottable points (a quality and a cost) as scatter data. */
export function paretoData(points: readonly ParetoPoint[], axis: ParetoAxis): ParetoDatum[] {
  const data: ParetoDatum[] = [];
  for (const point of points) {
    const x = cost(point, axis);
    if (x === null || point.quality === null) continue;
    data.push({ value: [x, point.quality], name: pointLabel(point), experiment: point.experiment, graph: point.graph });
  }
  return data;
}

/** The frontier's points, cheapest first: drawn as a step line (the best quality reachable at
 *  each cost holds until the next frontier point). */
export function frontierData(result: ParetoResult, axis: ParetoAxis): [number, number][] {
  const byId = new Map(paretoData(result.points, axis).map((datum) => [datum.experiment, datum.value]));
  const ids = axis === "latency" ? result.frontier.latency : result.frontier.tokens;
  return ids
    .map((id) => byId.get(id))
    .filter((value): value is [number, number] => value !== undefined)
    .sort((a, b) => a[0] - b[0]);
}

export function paretoTooltip(point: ParetoPoint, metric: string): string {
  return [
    `<b>${escapeHtml(pointLabel(point))}</b> · experiment ${point.experiment}${point.routing_only === true ? " · routing only" : ""}`,
    `${escapeHtml(metric)}: ${formatPercent(point.quality)}`,
    `median latency: ${formatMs(point.latency_p50)}`,
    `tokens: ${formatCount(point.tokens)}`,
  ].join("<br/>");
}

export const PARETO_THIS_GRAPH = "this graph";
export const PARETO_OTHER_GRAPHS = "other graphs";

/** Every experiment as a point (quality against median latency or tokens), this graph's
 *  highlighted, the frontier as a step line. */
export function paretoOption(result: ParetoResult, axis: ParetoAxis, graph: number): ChartOption {
  const data = paretoData(result.points, axis);
  const byExperiment = new Map(result.points.map((point) => [point.experiment, point]));
  const scatter = (name: string, color: string, items: ParetoDatum[]): ScatterSeriesOption => ({
    type: "scatter",
    name,
    data: items,
    symbolSize: 11,
    itemStyle: { color, borderColor: THEME.panel, borderWidth: 1 },
    label: { show: true, position: "top", formatter: "{b}", color: THEME.text, fontSize: 11 },
    labelLayout: { hideOverlap: true },
    cursor: "pointer",
  });
  return {
    ...BASE,
    legend: LEGEND_TOP_RIGHT,
    grid: chartGrid({ left: 8, right: 90, top: 32, bottom: 28 }),
    tooltip: {
      trigger: "item",
      formatter: (params: unknown) => {
        const datum = (params as { data?: Partial<ParetoDatum> | number[] }).data;
        if (datum === undefined || Array.isArray(datum)) return "frontier";
        const point = datum.experiment === undefined ? undefined : byExperiment.get(datum.experiment);
        return point === undefined ? "" : paretoTooltip(point, result.metric ?? "quality");
      },
    },
    xAxis: {
      type: "value",
      scale: true,
      name: axis === "latency" ? "median latency" : "tokens",
      nameLocation: "middle",
      nameGap: 26,
      nameTextStyle: { color: THEME.muted },
      axisLabel: { color: THEME.muted, formatter: (v: number) => (axis === "latency" ? formatMs(v) : formatCount(v)) },
      splitLine: { lineStyle: { color: THEME.border } },
    },
    yAxis: {
      type: "value",
      scale: true,
      name: result.metric ?? "",
      // Beside the axis, not above it, where it ran into the label of a point at the top.
      nameLocation: "middle",
      nameGap: 44,
      nameTextStyle: { color: THEME.muted },
      axisLabel: percentAxisLabel,
      splitLine: { lineStyle: { color: THEME.border } },
    },
    series: [
      {
        type: "line",
        name: "frontier",
        data: frontierData(result, axis),
        step: "end",
        // A ring around each frontier point: a frontier of one point draws no line at all.
        symbol: "emptyCircle",
        symbolSize: 19,
        showSymbol: true,
        silent: true,
        z: 1,
        lineStyle: { color: THEME.done, width: 2 },
        itemStyle: { color: THEME.done },
      },
      scatter(PARETO_THIS_GRAPH, THEME.accent, data.filter((d) => d.graph === graph)),
      scatter(PARETO_OTHER_GRAPHS, THEME.other, data.filter((d) => d.graph !== graph)),
    ],
  };
}

/** The experiment a click on a Pareto point hit. */
export function experimentFromClick(click: ChartClick): { experiment: number; graph: number } | null {
  const datum = click.data as Partial<ParetoDatum> | undefined;
  if (typeof datum !== "object" || datum === null || Array.isArray(datum)) return null;
  if (typeof datum.experiment !== "number" || typeof datum.graph !== "number") return null;
  return { experiment: datum.experiment, graph: datum.graph };
}
