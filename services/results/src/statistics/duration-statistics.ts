/**
 * Rally's `statistics.durations` (its `MainStatsTable`), computed exactly as Rally 3.x does:
 * one row per merged atomic action (repeats within an iteration summed and shown as
 * `name (xN)`, children nested), a `<no-name-action>` row when an iteration failed outside any
 * atomic action, and a `total` row (duration + idle) with `duration` and `idle_duration` children.
 * Every iteration counts in min/median/percentiles/max/avg, failed ones included; `success` is the
 * share of iterations that did not fail. Values are seconds rounded like Python's `round(x, 3)`,
 * or "n/a" for a row without values. Feed iterations sorted by timestamp, as Rally does: the order
 * decides the order of the rows and the summation order of the averages.
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

interface Row {
  readonly realName: string;
  readonly countPerIteration: number;
  readonly points: number[];
  min: number | null;
  max: number | null;
  sum: number;
  successes: number;
  count: number;
  readonly children: Map<string, Row>;
}

function newRow(realName: string, countPerIteration: number): Row {
  return {
    realName,
    countPerIteration,
    points: [],
    min: null,
    max: null,
    sum: 0,
    successes: 0,
    count: 0,
    children: new Map(),
  };
}

function addData(rows: Map<string, Row>, data: Map<string, MergedAtomic>): void {
  for (const [name, merged] of data) {
    const displayName = merged.count > 1 ? `${name} (x${merged.count})` : name;
    let row = rows.get(displayName);
    if (row === undefined) {
      row = newRow(name, merged.count);
      rows.set(displayName, row);
    }
    row.count += 1;
    if (!merged.failed) row.successes += 1;
    row.points.push(merged.duration);
    if (row.min === null || merged.duration < row.min) row.min = merged.duration;
    if (row.max === null || merged.duration > row.max) row.max = merged.duration;
    row.sum += merged.duration;
    if (merged.children.size > 0) addData(row.children, merged.children);
  }
}

function leaf(duration: number, failed: boolean): MergedAtomic {
  return { duration, count: 1, failed, children: new Map() };
}

/** Accumulates iterations one at a time; `result()` gives Rally's `statistics.durations`. */
export class DurationStatisticsBuilder {
  readonly #rows = new Map<string, Row>();

  add(iteration: IterationSummary): void {
    const data = new Map(iteration.atomics);
    if (data.size > 0) {
      const last = [...data.values()].at(-1);
      if (iteration.failed && !last?.failed) data.set(NO_NAME_ACTION, leaf(0, true));
    }
    const total = leaf(iteration.duration + iteration.idleDuration, iteration.failed);
    total.children.set("duration", leaf(iteration.duration, iteration.failed));
    total.children.set("idle_duration", leaf(iteration.idleDuration, iteration.failed));
    data.set("total", total);
    addData(this.#rows, data);
  }

  result(): WorkloadStatistics {
    const total = this.#rows.get("total") ?? newRow("total", 1);
    const atomics = [...this.#rows].filter(([name]) => name !== "total");
    return {
      durations: {
        total: renderRow("total", total),
        atomics: atomics.map(([name, row]) => renderRow(name, row)),
      },
    };
  }
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

function renderRow(displayName: string, row: Row): StatsNode {
  const points = [...row.points].sort((a, b) => a - b);
  const hasResult = row.count > 0;
  const data: StatsRow = {
    iteration_count: row.count,
    min: rounded(row.min, hasResult),
    median: rounded(percentile(points, 0.5), hasResult),
    "90%ile": rounded(percentile(points, 0.9), hasResult),
    "95%ile": rounded(percentile(points, 0.95), hasResult),
    max: rounded(row.max, hasResult),
    avg: rounded(hasResult ? row.sum / row.count : null, hasResult),
    success: hasResult ? `${formatFixed((row.successes / row.count) * 100, 1)}%` : "n/a",
  };
  return {
    data,
    count_per_iteration: row.countPerIteration,
    name: row.realName,
    display_name: displayName,
    children: [...row.children].map(([name, child]) => renderRow(name, child)),
  };
}
