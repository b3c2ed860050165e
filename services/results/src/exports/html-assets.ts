/**
 * The HTML report's inline stylesheet and script. Both are constants (no user data ever goes into
 * them) and use only system fonts, so the file works offline and from `file://`.
 */

export const REPORT_STYLE = `
:root { color-scheme: light; --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --ok: #15803d; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f8fafc; }
header.top { background: #0f172a; color: #f8fafc; padding: 14px 24px; }
header.top h1 { margin: 0; font-size: 20px; }
header.top p { margin: 2px 0 0; color: #cbd5e1; font-size: 12px; }
nav.tasks { padding: 8px 24px; background: #e2e8f0; font-size: 13px; }
nav.tasks a { margin-right: 14px; color: #1e3a8a; }
main { padding: 16px 24px 48px; max-width: 1200px; }
section.task { margin-bottom: 32px; }
section.workload { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
h2 { font-size: 18px; margin: 8px 0; }
h3 { font-size: 16px; margin: 4px 0 8px; }
h4 { font-size: 14px; margin: 16px 0 6px; color: #334155; }
table { border-collapse: collapse; margin: 4px 0 8px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 4px 0 12px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.pass { color: var(--ok); font-weight: 600; }
.fail { color: var(--bad); font-weight: 600; }
.tag { display: inline-block; background: #e0e7ff; color: #3730a3; border-radius: 3px; padding: 0 6px; margin-right: 4px; font-size: 12px; }
pre { background: #f1f5f9; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 420px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; }
details { margin: 6px 0; }
summary { cursor: pointer; color: #1e3a8a; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px; }
figure.chart { margin: 0; }
figure.chart svg { width: 100%; height: auto; background: #fff; }
svg .grid { stroke: #eef2f7; }
svg .axis { stroke: #94a3b8; }
svg .tick, svg .axis-label { font-size: 11px; fill: var(--muted); }
svg .chart-title { font-size: 13px; font-weight: 600; fill: var(--fg); }
svg .line { fill: none; stroke-width: 1.5; }
svg .area { opacity: 0.18; stroke: none; }
svg .bar { fill: #2563eb; }
svg .series.hidden { display: none; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 12px; }
.legend button { border: 0; background: none; padding: 0; cursor: pointer; font: inherit; color: inherit; }
.legend button.off { opacity: 0.4; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.note { color: var(--muted); font-size: 12px; }
.empty { color: var(--muted); font-style: italic; }
`;

/** Clicking a legend entry hides or shows its series. */
export const REPORT_SCRIPT = `
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button.series-toggle");
  if (!button) return;
  var figure = button.closest("figure");
  var index = button.getAttribute("data-series");
  button.classList.toggle("off");
  figure.querySelectorAll('g.series[data-series="' + index + '"]').forEach(function (g) {
    g.classList.toggle("hidden");
  });
});
`;
