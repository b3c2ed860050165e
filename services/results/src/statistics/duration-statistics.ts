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
  /** For each point, the arrival index of its iteration. */
  readonly arrivals: number[];
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
    arrivals: [],
    first,
    min: null,
    max: null,
    successes: 0,
    count: 0,
    children: new Map(),
  };
}

function addData(
  rows: Map<string, Row>,
  data: Map<string, MergedAtomic>,
  arrival: number,
  key: OrderKey,
): void {
  let position = 0;
  for (const [name, merged] of data) {
    const displayName = merged.count > 1 ? `${name} (x${merged.count})` : name;
    const seen = { primary: key.primary, secondary: key.secondary, position };
    position += 1;
    let row = rows.get(displayName);
    if (row === undefined) {
      row = newRow(name, merged.count, seen);
      rows.set(displayName, row);
    } else if (compareFirst(seen, row.first) < 0) {
      row.first = seen;
    }
    row.count += 1;
    if (!merged.failed) row.successes += 1;
    row.points.push(merged.duration);
    row.arrivals.push(arrival);
    if (row.min === null || merged.duration < row.min) row.min = merged.duration;
    if (row.max === null || merged.duration > row.max) row.max = merged.duration;
    if (merged.children.size > 0) addData(row.children, merged.children, arrival, key);
  }
}

function leaf(duration: number, failed: boolean): MergedAtomic {
  return { duration, count: 1, failed, children: new Map() };
}

/**
 * Accumulates iterations one at a time, in any order; `result()` gives Rally's
 * `statistics.durations` as Rally computes it over the iterations sorted by their keys. Only
 * numbers are kept per iteration (a few per row), so large workloads fit in memory.
 */
export class DurationStatisticsBuilder {
  readonly #rows = new Map<string, Row>();
  readonly #primary: number[] = [];
  readonly #secondary: number[] = [];

  /** Adds one iteration; without `key`, iterations count in the order they are added. */
  add(iteration: IterationSummary, key?: OrderKey): void {
    const arrival = this.#primary.length;
    const order = key ?? { primary: arrival, secondary: 0 };
    this.#primary.push(order.primary);
    this.#secondary.push(order.secondary);
    const data = new Map(iteration.atomics);
    if (data.size > 0) {
      const last = [...data.values()].at(-1);
      if (iteration.failed && !last?.failed) data.set(NO_NAME_ACTION, leaf(0, true));
    }
    const total = leaf(iteration.duration + iteration.idleDuration, iteration.failed);
    total.children.set("duration", leaf(iteration.duration, iteration.failed));
    total.children.set("idle_duration", leaf(iteration.idleDuration, iteration.failed));
    data.set("total", total);
    addData(this.#rows, data, arrival, order);
  }

  result(): WorkloadStatistics {
    const primary = this.#primary;
    const secondary = this.#secondary;
    const byKey = Array.from(primary.keys()).sort(
      (a, b) =>
        (primary[a] as number) - (primary[b] as number) ||
        (secondary[a] as number) - (secondary[b] as number),
    );
    const rank = new Int32Array(primary.length);
    byKey.forEach((arrival, position) => {
      rank[arrival] = position;
    });
    const total = this.#rows.get("total") ?? newRow("total", 1, { primary: 0, secondary: 0, position: 0 });
    const atomics = ordered(this.#rows).filter(([name]) => name !== "total");
    return {
      durations: {
        total: renderRow("total", total, rank),
        atomics: atomics.map(([name, row]) => renderRow(name, row, rank)),
      },
    };
  }
}

/** Rows in the order Rally would have created them. */
function ordered(rows: Map<string, Row>): [string, Row][] {
  return [...rows].sort(([, a], [, b]) => compareFirst(a.first, b.first));
}

/** Sum of the row's points in Rally's order (float addition is not associative). */
function sumInOrder(row: Row, rank: Int32Array): number {
  const order = Array.from(row.points.keys()).sort(
    (a, b) => (rank[row.arrivals[a] as number] as number) - (rank[row.arrivals[b] as number] as number),
  );
  let sum = 0;
  for (const index of order) sum += row.points[index] as number;
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

function renderRow(displayName: string, row: Row, rank: Int32Array): StatsNode {
  const points = [...row.points].sort((a, b) => a - b);
  const hasResult = row.count > 0;
  const data: StatsRow = {
    iteration_count: row.count,
    min: rounded(row.min, hasResult),
    median: rounded(percentile(points, 0.5), hasResult),
    "90%ile": rounded(percentile(points, 0.9), hasResult),
    "95%ile": rounded(percentile(points, 0.95), hasResult),
    max: rounded(row.max, hasResult),
    avg: rounded(hasResult ? sumInOrder(row, rank) / row.count : null, hasResult),
    success: hasResult ? `${formatFixed((row.successes / row.count) * 100, 1)}%` : "n/a",
  };
  return {
    data,
    count_per_iteration: row.countPerIteration,
    name: row.realName,
    display_name: displayName,
    children: ordered(row.children).map(([name, child]) => renderRow(name, child, rank)),
  };
}
