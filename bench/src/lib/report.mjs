/** Printing figures, ratios and target verdicts the same way in every benchmark. */

export function fmt(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(value)) return "n/a";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function mb(bytes) {
  return `${fmt(bytes / 1024 / 1024, 1)} MB`;
}

/** Linear-interpolation percentile (as Rally computes them) of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function heading(text) {
  console.log(`\n== ${text}`);
}

export function line(label, value) {
  console.log(`  ${label.padEnd(50)} ${value}`);
}

const verdicts = [];

/** Records and prints a target check: `ok` decides PASS/MISS. */
export function target(description, ok) {
  verdicts.push({ description, ok });
  console.log(`  target ${description.padEnd(43)} ${ok ? "PASS" : "MISS"}`);
}

export function summary() {
  if (verdicts.length === 0) return;
  heading("targets");
  for (const { description, ok } of verdicts) console.log(`  ${ok ? "PASS" : "MISS"}  ${description}`);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
