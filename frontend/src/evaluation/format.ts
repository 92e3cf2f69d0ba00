/** How the Evaluate page writes numbers: metrics as percentages, intervals, latencies, p-values. */
import { formatDuration } from "../training/training";

export { formatDuration };

const DASH = "–";

/** Scores are means in [0, 1]: "71.2%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return DASH;
  return `${(value * 100).toFixed(digits)}%`;
}

/** A 95% interval: "[68.9%, 73.4%]". */
export function formatInterval(interval: { low: number | null; high: number | null } | null | undefined): string {
  if (interval === null || interval === undefined || interval.low === null || interval.high === null) return "";
  return `[${formatPercent(interval.low)}, ${formatPercent(interval.high)}]`;
}

/** "812 ms", "1.42 s", "2 min 5 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return formatDuration(ms / 1000);
}

/** "12,345"; fractional means keep one decimal. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return DASH;
  const rounded = Number.isInteger(value) ? value : Math.round(value * 10) / 10;
  return rounded.toLocaleString("en-US");
}

/** A cost in the catalog's currency units: "$0.0123"; null when no price is set. */
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined) return "no price set";
  if (cost === 0) return "$0";
  return cost < 0.01 ? `$${cost.toPrecision(3)}` : `$${cost.toFixed(2)}`;
}

/** "p < 0.001", "p = 0.034", "p = 1". */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return DASH;
  if (p < 0.001) return "p < 0.001";
  if (p >= 0.995) return "p = 1";
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** A difference of two scores in percentage points: "+3.2 pp", "−1.0 pp", "±0 pp". */
export function formatDelta(delta: number | null | undefined): string {
  if (delta === null || delta === undefined || Number.isNaN(delta)) return DASH;
  const points = delta * 100;
  if (Math.abs(points) < 0.05) return "±0 pp";
  return `${points > 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pp`;
}

/** One row's score: ✓ for 1, ✗ for 0, two decimals otherwise, – when it does not apply. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  if (value === 1) return "✓";
  if (value === 0) return "✗";
  return value.toFixed(2);
}

export function truncate(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
}

/** The sample size's caption: "100 of 1,700 rows", "all 1,700 rows". */
export function sampleCaption(sample: number | undefined, rows: number): string {
  const total = formatCount(rows);
  if (sample === undefined || sample >= rows) return `all ${total} rows`;
  return `${formatCount(Math.max(0, sample))} of ${total} rows`;
}
