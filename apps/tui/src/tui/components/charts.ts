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
