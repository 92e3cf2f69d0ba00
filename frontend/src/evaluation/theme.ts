/** The studio's colours (styles.css :root) for charts, which are drawn on a canvas and cannot
 *  read CSS variables; keep the two in step. */
export const THEME = {
  text: "#1d2330",
  muted: "#667085",
  border: "#dde1e7",
  panel: "#ffffff",
  accent: "#4f46e5",
  accentSoft: "#eef0ff",
  ok: "#067647",
  done: "#12b76a",
  doneSoft: "#ecfdf3",
  danger: "#d92d20",
  dangerSoft: "#fef3f2",
  changed: "#f79009",
  other: "#98a2b3",
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
} as const;
