/**
 * Rally's `statistics.durations` (its `MainStatsTable`), computed exactly as Rally 3.x does:
 * one row per merged atomic action (repeats within an iteration summed and shown as
 * `name (xN)`, children nested), a `<no-name-action>` row when an iteration failed outside any
 * atomic action, and a `total` row (duration + idle) with `duration` and `idle_duration` children.
 * Every iteration counts in min/median/percentiles/max/avg, failed ones included; `success` is the
 * share of iterations that did not fail. Values are seconds rounded like Python's `round(x, 3)`,
 * or "n/a" for a row without values. Rally processes iterations sorted by timestamp, which decides
 * the order of the rows and the summation order of the averages; the builder takes iterations in
 * any order with their keys and reproduces both.
 */
import type { StatsNode, StatsRow, WorkloadStatistics } from "@paddock/shared/api";
import type { AtomicAction } from "@paddock/shared/task-model";
import { type MergedAtomic, mergeAtomicActions } from "./merge-atomic-actions.js";
import { percentile } from "./percentile.js";
import { formatFixed, roundPython } from "./python-number.js";

/** What the statistics need of one iteration (a stored iteration record has all of it). */
export interface StatisticsInput {
  /** Seconds spent working. */
  readonly duration: number;
  /** Seconds spent idle. */
  readonly idle_duration: number;
  /** Rally's error: empty when the iteration succeeded. */
  readonly error: readonly unknown[];
  readonly atomic_actions: readonly AtomicAction[];
}

/** One iteration reduced to what the table needs, so large workloads need little memory. */
export interface IterationSummary {
  readonly duration: number;
  readonly idleDuration: number;
  readonly failed: boolean;
  readonly atomics: Map<string, MergedAtomic>;
}

export const NO_NAME_ACTION = "<no-name-action>";

export function summarizeIteration(iteration: StatisticsInput): IterationSummary {
  return {
    duration: iteration.duration,
    idleDuration: iteration.idle_duration,
    failed: iteration.error.length > 0,
    atomics: mergeAtomicActions(iteration.atomic_actions),
  };
}

/**
 * Where an iteration stands in Rally's processing order: by `primary` (the start timestamp), then
 * `secondary` (the seq). Rally feeds iterations sorted this way; the builder accepts them in any
 * order and reproduces that order where it matters.
 */
export interface OrderKey {
  readonly primary: number;
  readonly secondary: number;
}

/** The earliest place a row appeared: the iteration's key and the row's position in that iteration. */
interface FirstSeen extends OrderKey {
  readonly position: number;
}

interface Row {
  readonly realName: string;
  readonly countPerIteration: number;
  /** One duration per iteration the row appears in, in arrival order. */
  readonly points: number[];
  /**
   * For each point, the arrival index of its iteration (ascending); null while the row has a point
   * for every iteration so far (point i is arrival i), which saves memory for the common rows.
   */
  arrivals: number[] | null;
  first: FirstSeen;
  min: number | null;
  max: number | null;
  successes: number;
  count: number;
  readonly children: Map<string, Row>;
}

function compareKeys(a: OrderKey, b: OrderKey): number {
  return a.primary - b.primary || a.secondary - b.secondary;
}

function compareFirst(a: FirstSeen, b: FirstSeen): number {
  return compareKeys(a, b) || a.position - b.position;
}

function newRow(realName: string, countPerIteration: number, first: FirstSeen): Row {
  return {
    realName,
    countPerIteration,
    points: [],
    arrivals: null,
    first,
    min: null,
    max: null,
    successes: 0,
    count: 0,
    children: new Map(),
  };
}

/** Adds one value to the row named `displayName` (created when missing). */
function addPoint(
  rows: Map<string, Row>,
  displayName: string,
  realName: string,
  countPerIteration: number,
  duration: number,
  failed: boolean,
  arrival: number,
  primary: number,
  secondary: number,
  position: number,
): Row {
  let row = rows.get(displayName);
  if (row === undefined) {
    row = newRow(realName, countPerIteration, { primary, secondary, position });
    rows.set(displayName, row);
  } else {
    const first = row.first;
    if (
      primary < first.primary ||
      (primary === first.primary &&
        (secondary < first.secondary || (secondary === first.secondary && position < first.position)))
    ) {
      row.first = { primary, secondary, position };
    }
  }
  row.count += 1;
  if (!failed) row.successes += 1;
  if (row.arrivals === null && arrival !== row.points.length) {
    row.arrivals = Array.from(row.points.keys());
  }
  row.points.push(duration);
  row.arrivals?.push(arrival);
  if (row.min === null || duration < row.min) row.min = duration;
  if (row.max === null || duration > row.max) row.max = duration;
  return row;
}

function addData(
  rows: Map<string, Row>,
  data: Map<string, MergedAtomic>,
  arrival: number,
  primary: number,
  secondary: number,
): number {
  let position = 0;
  for (const [name, merged] of data) {
    const displayName = merged.count > 1 ? `${name} (x${merged.count})` : name;
    const row = addPoint(
      rows,
      displayName,
      name,
      merged.count,
      merged.duration,
      merged.failed,
      arrival,
      primary,
      secondary,
      position,
    );
    position += 1;
    if (merged.children.size > 0) addData(row.children, merged.children, arrival, primary, secondary);
  }
  return position;
}

/** Whether the last top-level action of the iteration failed (false when there is none). */
function lastFailed(atomics: Map<string, MergedAtomic>): boolean {
  let failed = false;
  for (const merged of atomics.values()) failed = merged.failed;
  return failed;
}

/**
 * Accumulates iterations one at a time, in any order; `result()` gives Rally's
 * `statistics.durations` as Rally computes it over the iterations sorted by their keys. Only
 * numbers are kept per iteration (a few per row), so large workloads fit in memory; the result
 * needs one sort of the keys and one numeric sort per row.
 */
export class DurationStatisticsBuilder {
  readonly #rows = new Map<string, Row>();
  readonly #primary: number[] = [];
  readonly #secondary: number[] = [];

  /** Adds one iteration; without `key`, iterations count in the order they are added. */
  add(iteration: IterationSummary, key?: OrderKey): void {
    const arrival = this.#primary.length;
    const primary = key === undefined ? arrival : key.primary;
    const secondary = key === undefined ? 0 : key.secondary;
    this.#primary.push(primary);
    this.#secondary.push(secondary);
    const rows = this.#rows;
    const failed = iteration.failed;
    let position = addData(rows, iteration.atomics, arrival, primary, secondary);
    if (position > 0 && failed && !lastFailed(iteration.atomics)) {
      addPoint(rows, NO_NAME_ACTION, NO_NAME_ACTION, 1, 0, true, arrival, primary, secondary, position);
      position += 1;
    }
    const total = addPoint(
      rows,
      "total",
      "total",
      1,
      iteration.duration + iteration.idleDuration,
      failed,
      arrival,
      primary,
      secondary,
      position,
    );
    addPoint(
      total.children,
      "duration",
      "duration",
      1,
      iteration.duration,
      failed,
      arrival,
      primary,
      secondary,
      0,
    );
    addPoint(
      total.children,
      "idle_duration",
      "idle_duration",
      1,
      iteration.idleDuration,
      failed,
      arrival,
      primary,
      secondary,
      1,
    );
  }

  result(): WorkloadStatistics {
    const primary = Float64Array.from(this.#primary);
    const secondary = Float64Array.from(this.#secondary);
    const n = primary.length;
    const byKey = new Uint32Array(n);
    let sorted = true;
    for (let i = 0; i < n; i += 1) {
      byKey[i] = i;
      if (
        i > 0 &&
        ((primary[i] as number) < (primary[i - 1] as number) ||
          (primary[i] === primary[i - 1] && (secondary[i] as number) < (secondary[i - 1] as number)))
      ) {
        sorted = false;
      }
    }
    if (!sorted) {
      byKey.sort(
        (a, b) =>
          (primary[a] as number) - (primary[b] as number) ||
          (secondary[a] as number) - (secondary[b] as number),
      );
    }
    const rank = new Uint32Array(n);
    for (let position = 0; position < n; position += 1) rank[byKey[position] as number] = position;
    const scratch = { values: new Float64Array(n), present: new Uint8Array(n) };
    const total = this.#rows.get("total") ?? newRow("total", 1, { primary: 0, secondary: 0, position: 0 });
    const atomics = ordered(this.#rows).filter(([name]) => name !== "total");
    const context = { rank, scratch };
    return {
      durations: {
        total: renderRow("total", total, context),
        atomics: atomics.map(([name, row]) => renderRow(name, row, context)),
      },
    };
  }
}

/** Rows in the order Rally would have created them. */
function ordered(rows: Map<string, Row>): [string, Row][] {
  return [...rows].sort(([, a], [, b]) => compareFirst(a.first, b.first));
}

interface RenderContext {
  /** Position of each arrival in Rally's order. */
  readonly rank: Uint32Array;
  /** Reused per row: each point placed at its iteration's rank. */
  readonly scratch: { readonly values: Float64Array; readonly present: Uint8Array };
}

/** Sum of the row's points in Rally's order (float addition is not associative). */
function sumInOrder(row: Row, { rank, scratch }: RenderContext): number {
  const { values, present } = scratch;
  const { points, arrivals } = row;
  let low = rank.length;
  let high = 0;
  for (let i = 0; i < points.length; i += 1) {
    const at = rank[arrivals === null ? i : (arrivals[i] as number)] as number;
    values[at] = points[i] as number;
    present[at] = 1;
    if (at < low) low = at;
    if (at > high) high = at;
  }
  let sum = 0;
  for (let at = low; at <= high; at += 1) {
    if (present[at] === 1) {
      sum += values[at] as number;
      present[at] = 0;
    }
  }
  return sum;
}

/** Rally's statistics of iterations given in timestamp order. */
export function computeDurationStatistics(iterations: Iterable<StatisticsInput>): WorkloadStatistics {
  const builder = new DurationStatisticsBuilder();
  for (const iteration of iterations) builder.add(summarizeIteration(iteration));
  return builder.result();
}

function rounded(value: number | null | undefined, hasResult: boolean): number | "n/a" {
  return hasResult && value !== null && value !== undefined ? roundPython(value, 3) : "n/a";
}

function renderRow(displayName: string, row: Row, context: RenderContext): StatsNode {
  const points = Float64Array.from(row.points).sort();
  const hasResult = row.count > 0;
  const data: StatsRow = {
    iteration_count: row.count,
    min: rounded(row.min, hasResult),
    median: rounded(percentile(points, 0.5), hasResult),
    "90%ile": rounded(percentile(points, 0.9), hasResult),
    "95%ile": rounded(percentile(points, 0.95), hasResult),
    max: rounded(row.max, hasResult),
    avg: rounded(hasResult ? sumInOrder(row, context) / row.count : null, hasResult),
    success: hasResult ? `${formatFixed((row.successes / row.count) * 100, 1)}%` : "n/a",
  };
  return {
    data,
    count_per_iteration: row.countPerIteration,
    name: row.realName,
    display_name: displayName,
    children: ordered(row.children).map(([name, child]) => renderRow(name, child, context)),
  };
}
