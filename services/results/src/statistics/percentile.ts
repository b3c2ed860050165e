/**
 * Rally's percentile: linear interpolation between the two nearest sorted values, at rank
 * k = (n − 1)·p. Same float operations in the same order as Rally, so results match bit for bit.
 */

/** The `p` percentile (0..1) of values already sorted ascending; null when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const k = (sorted.length - 1) * p;
  const f = Math.floor(k);
  const c = Math.ceil(k);
  if (f === c) return sorted[k] as number;
  const d0 = (sorted[f] as number) * (c - k);
  const d1 = (sorted[c] as number) * (k - f);
  return d0 + d1;
}
