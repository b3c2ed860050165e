/**
 * The globals Rally adds to every task template (`min`, `max`, `round`, `ceil`) plus Jinja2's
 * `range`, bounded so a template cannot ask for an absurd amount of work.
 */

/** Largest list `range()` builds. */
export const MAX_RANGE_ITEMS = 100_000;

/** Runtime values reach functions as their raw JS value; lists arrive as lists of wrappers. */
function numbers(name: string, args: unknown[]): number[] {
  const flat =
    args.length === 1 && Array.isArray(args[0])
      ? (args[0] as unknown[]).map((item) =>
          typeof item === "object" && item !== null && "value" in item
            ? (item as { value: unknown }).value
            : item,
        )
      : args;
  if (flat.length === 0) throw new Error(`${name}() expects at least one number`);
  return flat.map((value) => {
    if (typeof value !== "number") throw new Error(`${name}() expects numbers, got ${JSON.stringify(value)}`);
    return value;
  });
}

function number(name: string, value: unknown): number {
  if (typeof value !== "number") throw new Error(`${name}() expects a number, got ${JSON.stringify(value)}`);
  return value;
}

/** Python 3's `round()`: halves go to the even neighbour (`round(2.5) == 2`). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function range(...args: unknown[]): number[] {
  const [a, b, c] = args.map((value) => {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw new Error(`range() expects integers, got ${JSON.stringify(value)}`);
    }
    return value;
  });
  if (a === undefined) throw new Error("range() expects 1 to 3 integers");
  const [start, stop, step] = b === undefined ? [0, a, 1] : [a, b, c ?? 1];
  if (step === 0) throw new Error("range() step must not be zero");
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_RANGE_ITEMS) throw new Error(`range() of ${count} items is more than ${MAX_RANGE_ITEMS}`);
  return Array.from({ length: count }, (_, index) => start + index * step);
}

/** Functions every task template can call. `round` and `ceil` return integers, as in Rally. */
export const TEMPLATE_FUNCTIONS = {
  min: (...args: unknown[]) => Math.min(...numbers("min", args)),
  max: (...args: unknown[]) => Math.max(...numbers("max", args)),
  round: (value: unknown) => roundHalfEven(number("round", value)),
  ceil: (value: unknown) => Math.ceil(number("ceil", value)),
  range,
} satisfies Record<string, (...args: never[]) => unknown>;
