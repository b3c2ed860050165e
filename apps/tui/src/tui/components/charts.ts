/**
 * Terminal charts drawn with Unicode blocks: a sparkline (▁▂▃▄▅▆▇█, one cell per value) and a
 * horizontal bar with eighth-cell resolution (▏▎▍▌▋▊▉█).
 */

const SPARKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;

/** The last `width` values as a sparkline scaled from their minimum to their maximum. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(Math.max(0, values.length - Math.max(0, width)));
  if (shown.length === 0) return "";
  const low = Math.min(...shown);
  const high = Math.max(...shown);
  const span = high - low;
  return shown
    .map((value) => SPARKS[span <= 0 ? 0 : Math.min(7, Math.floor(((value - low) / span) * 8))] as string)
    .join("");
}

/** `value` of `max` as a bar at most `width` cells long; a positive value shows at least ▏. */
export function blockBar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0 || width <= 0) return "";
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/**
 * `values` as vertical columns `height` rows tall (top row first), one column per value, scaled
 * from 0 to `max` (default: the largest value); a column's top cell has eighth-row resolution.
 */
export function columnChart(
  values: readonly number[],
  height: number,
  max = Math.max(0, ...values),
): string[] {
  const rows: string[] = [];
  const eighths = values.map((value) => (max <= 0 ? 0 : Math.round((Math.max(0, value) / max) * height * 8)));
  for (let row = height - 1; row >= 0; row -= 1) {
    rows.push(
      eighths
        .map((filled) => {
          const inRow = filled - row * 8;
          if (inRow >= 8) return "█";
          if (inRow <= 0) return " ";
          return SPARKS[inRow - 1] as string;
        })
        .join(""),
    );
  }
  return rows;
}

/** Spreads `count` items over `width` buckets: the bucket of item `index` (0-based). */
export function bucketOf(index: number, count: number, width: number): number {
  return Math.min(width - 1, Math.floor((index * width) / Math.max(1, count)));
}
