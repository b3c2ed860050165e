/**
 * Inline SVG charts for the HTML report, drawn on the server so the file needs no script or font
 * to show them. Sizes are SVG user units; every label passes through `escapeHtml`.
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A number with at most 4 significant digits, for coordinates and labels. */
function short(value: number): string {
  if (!Number.isFinite(value)) return "0";
  return Number(value.toPrecision(4)).toString();
}

export interface ChartSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly (number | null)[];
  /** Fill the area under the line. */
  readonly area?: boolean;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
}

const WIDTH = 760;
const HEIGHT = 260;
const PAD = { left: 56, right: 16, top: 28, bottom: 40 } as const;
/** Series colours, in order. */
export const PALETTE = [
  "#2563eb",
  "#dc2626",
  "#16a34a",
  "#d97706",
  "#7c3aed",
  "#0891b2",
  "#db2777",
  "#65a30d",
  "#475569",
  "#ea580c",
  "#4f46e5",
  "#0d9488",
] as const;

function colour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? "#2563eb";
}

/** About `count` round tick values covering [low, high]. */
function ticks(low: number, high: number, count = 5): number[] {
  const range = high - low || 1;
  const raw = range / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const out: number[] = [];
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) out.push(value);
  return out;
}

function frame(
  options: ChartOptions,
  xRange: [number, number],
  yRange: [number, number],
  body: string,
  legend: string,
) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const xs = (value: number) => PAD.left + ((value - xRange[0]) / (xRange[1] - xRange[0] || 1)) * plotW;
  const ys = (value: number) =>
    PAD.top + plotH - ((value - yRange[0]) / (yRange[1] - yRange[0] || 1)) * plotH;
  const grid = ticks(yRange[0], yRange[1])
    .map(
      (tick) =>
        `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${short(ys(tick))}" y2="${short(ys(tick))}"/>` +
        `<text class="tick" x="${PAD.left - 6}" y="${short(ys(tick) + 4)}" text-anchor="end">${short(tick)}</text>`,
    )
    .join("");
  const xTicks = ticks(xRange[0], xRange[1], 8)
    .map(
      (tick) =>
        `<text class="tick" x="${short(xs(tick))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${short(tick)}</text>`,
    )
    .join("");
  return (
    `<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(options.title)}">` +
    `<title>${escapeHtml(options.title)}</title>` +
    `<text class="chart-title" x="${PAD.left}" y="18">${escapeHtml(options.title)}</text>` +
    grid +
    xTicks +
    `<line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}"/>` +
    `<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>` +
    `<text class="axis-label" x="${PAD.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>` +
    `<text class="axis-label" transform="translate(14 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text>` +
    body +
    `</svg>${legend}</figure>`
  );
}

function legendOf(names: readonly string[]): string {
  if (names.length < 2) return "";
  return `<figcaption class="legend">${names
    .map(
      (name, index) =>
        `<button type="button" class="series-toggle" data-series="${index}"><i style="background:${colour(index)}"></i>${escapeHtml(name)}</button>`,
    )
    .join("")}</figcaption>`;
}

/** Lines (or filled areas) over a shared numeric x axis; gaps where y is null. */
export function lineChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const allX = series.flatMap((s) => s.x);
  const allY = series.flatMap((s) => s.y.filter((v): v is number => v !== null));
  if (allX.length === 0 || allY.length === 0) {
    return `<p class="empty">${escapeHtml(options.title)}: no data.</p>`;
  }
  const xRange: [number, number] = [Math.min(...allX), Math.max(...allX)];
  const yRange: [number, number] = [0, Math.max(...allY) * 1.05 || 1];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const xs = (value: number) => PAD.left + ((value - xRange[0]) / (xRange[1] - xRange[0] || 1)) * plotW;
  const ys = (value: number) =>
    PAD.top + plotH - ((value - yRange[0]) / (yRange[1] - yRange[0] || 1)) * plotH;
  const body = series
    .map((s, index) => {
      const runs: string[][] = [[]];
      s.x.forEach((x, i) => {
        const y = s.y[i];
        if (y === null || y === undefined) {
          runs.push([]);
          return;
        }
        runs[runs.length - 1]?.push(`${short(xs(x))},${short(ys(y))}`);
      });
      const paths = runs
        .filter((run) => run.length > 0)
        .map((run) => {
          const line = `M${run.join("L")}`;
          if (!s.area) return `<path class="line" d="${line}" stroke="${colour(index)}"/>`;
          const firstX = run[0]?.split(",")[0];
          const lastX = run[run.length - 1]?.split(",")[0];
          const base = short(PAD.top + plotH);
          return `<path class="area" d="${line}L${lastX},${base}L${firstX},${base}Z" fill="${colour(index)}"/><path class="line" d="${line}" stroke="${colour(index)}"/>`;
        })
        .join("");
      return `<g class="series" data-series="${index}"><title>${escapeHtml(s.name)}</title>${paths}</g>`;
    })
    .join("");
  return frame(options, xRange, yRange, body, legendOf(series.map((s) => s.name)));
}

/** Vertical bars: `counts[i]` iterations between `from + i·width` and `from + (i+1)·width`. */
export function histogramChart(
  histogram: { readonly from: number; readonly width: number; readonly counts: readonly number[] },
  options: ChartOptions,
): string {
  const { from, width, counts } = histogram;
  const xRange: [number, number] = [from, from + width * counts.length];
  const yRange: [number, number] = [0, Math.max(1, ...counts) * 1.05];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = plotW / counts.length;
  const body = counts
    .map((count, index) => {
      const h = (count / yRange[1]) * plotH;
      const low = from + index * width;
      return (
        `<rect class="bar" x="${short(PAD.left + index * barW + 0.5)}" y="${short(PAD.top + plotH - h)}" width="${short(Math.max(0.5, barW - 1))}" height="${short(h)}">` +
        `<title>${short(low)}–${short(low + width)} s: ${count}</title></rect>`
      );
    })
    .join("");
  return frame(options, xRange, yRange, `<g class="series" data-series="0">${body}</g>`, "");
}
