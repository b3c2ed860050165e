/**
 * Formatting numbers, durations and times the same way in the CLI and the TUI.
 */

/** A statistic cell: seconds with 3 decimals, as Rally's table shows them, or `n/a`. */
export function formatStat(value: number | "n/a"): string {
  return value === "n/a" ? "n/a" : value.toFixed(3);
}

/** Seconds as `0.262 s`. */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(3)} s`;
}

/** A human duration from seconds: `850 ms`, `12.3 s`, `4m 05s`, `1h 02m`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")}m`;
}

/** A latency from seconds: `0.42 ms`, `12.3 ms`, `1.20 s`. */
export function formatLatency(seconds: number): string {
  const ms = seconds * 1000;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${seconds.toFixed(2)} s`;
}

/** Iterations per second: `12.3/s`, `1,234/s`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${Math.round(perSecond).toLocaleString("en-US")}/s`;
  return `${perSecond.toFixed(1)}/s`;
}

/** An ISO time as `2026-11-23 22:39:22` in UTC (the way Rally prints times). */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").slice(0, 19);
}

/** `completed/expected (pct%)`, or `completed` when the total is open-ended. */
export function formatCount(completed: number, expected: number | null): string {
  if (expected === null || expected === 0) return `${completed}`;
  return `${completed}/${expected} (${Math.floor((completed / expected) * 100)}%)`;
}

/** Cuts `text` to `width` characters, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return "";
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1)).trimEnd()}…`;
}

/** Word-wraps `text` into at most `maxLines` lines of `width`, the last one ending in `…` when cut. */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (candidate.length <= width) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = word.length > width ? truncate(word, width) : word;
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? "";
  kept[maxLines - 1] = last.length < width ? `${last}…` : truncate(last, width);
  return kept;
}
