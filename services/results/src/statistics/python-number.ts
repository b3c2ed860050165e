/**
 * Number formatting exactly as Python does it, because Rally's statistics are Python's
 * `round(x, 3)` and `"%.1f%%" % x`: the decimal nearest to the float's exact binary value, an exact
 * tie going to the even digit. JavaScript's `toFixed` breaks exact ties upwards instead
 * (`(0.0625).toFixed(3)` is "0.063" where Python says 0.062), so ties are detected and fixed here.
 */

/** Python's `"%.{digits}f" % value`. */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return String(value);
  // 100 fractional digits hold the exact binary value of any double whose exponent is >= -100,
  // i.e. every value whose rounding can be an exact tie at `digits` <= 20.
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf(".");
  const rest = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(rest)) return value.toFixed(digits);
  const kept = exact.slice(0, point) + exact.slice(point + 1, point + 1 + digits);
  let scaled = BigInt(kept);
  if (scaled % 2n === 1n) scaled += 1n;
  const text = scaled.toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${value < 0 ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}`;
}

/** Python's `round(value, digits)` for a float. */
export function roundPython(value: number, digits: number): number {
  return Number(formatFixed(value, digits));
}
