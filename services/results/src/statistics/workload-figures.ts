/**
 * Everything the results service derives from a finished workload's iterations: Rally's duration
 * statistics and the shortest/longest successful iteration. Iterations may be given in any order
 * (chunk by chunk); the statistics come out as Rally computes them over the iterations sorted by
 * start time, `seq` breaking ties.
 */
import type { WorkloadStatistics } from "@paddock/shared/api";
import {
  DurationStatisticsBuilder,
  type IterationSummary,
  type StatisticsInput,
  summarizeIteration,
} from "./duration-statistics.js";

/** An iteration as stored: the statistics input plus its start time and sequence number. */
export interface TimedIteration extends StatisticsInput {
  /** Start, epoch seconds. */
  readonly timestamp: number;
  /** Order in which the workload's iterations started, from 0. */
  readonly seq: number;
}

export interface WorkloadFigures {
  readonly statistics: WorkloadStatistics;
  /** Shortest `duration` of a successful iteration, seconds; null when none succeeded. */
  readonly minDuration: number | null;
  /** Longest `duration` of a successful iteration, seconds; null when none succeeded. */
  readonly maxDuration: number | null;
  readonly iterationCount: number;
  readonly failedIterationCount: number;
}

export class WorkloadFiguresCollector {
  readonly #builder = new DurationStatisticsBuilder();
  #count = 0;
  #failed = 0;
  #min: number | null = null;
  #max: number | null = null;

  add(iteration: TimedIteration): void {
    this.addSummary(summarizeIteration(iteration), iteration.timestamp, iteration.seq);
  }

  /** Adds an iteration already summarised; `timestamp` is its start (epoch seconds). */
  addSummary(summary: IterationSummary, timestamp: number, seq: number): void {
    this.#builder.add(summary, { primary: timestamp, secondary: seq });
    this.#count += 1;
    if (summary.failed) {
      this.#failed += 1;
      return;
    }
    if (this.#min === null || summary.duration < this.#min) this.#min = summary.duration;
    if (this.#max === null || summary.duration > this.#max) this.#max = summary.duration;
  }

  finish(): WorkloadFigures {
    return {
      statistics: this.#builder.result(),
      minDuration: this.#min,
      maxDuration: this.#max,
      iterationCount: this.#count,
      failedIterationCount: this.#failed,
    };
  }
}

/** The figures of a complete set of iterations. */
export function computeWorkloadFigures(iterations: Iterable<TimedIteration>): WorkloadFigures {
  const collector = new WorkloadFiguresCollector();
  for (const iteration of iterations) collector.add(iteration);
  return collector.finish();
}
