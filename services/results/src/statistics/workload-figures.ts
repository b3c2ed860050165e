/**
 * Everything the results service derives from a finished workload's iterations: Rally's duration
 * statistics and the shortest/longest successful iteration. Iterations may be given in any order
 * (chunk by chunk); they are summarized as they come and sorted by start time at the end, with
 * `seq` breaking ties, which is the order Rally feeds its statistics in.
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

interface Entry {
  readonly timestamp: number;
  readonly seq: number;
  readonly summary: IterationSummary;
}

export class WorkloadFiguresCollector {
  readonly #entries: Entry[] = [];
  #min: number | null = null;
  #max: number | null = null;
  #failed = 0;

  add(iteration: TimedIteration): void {
    const summary = summarizeIteration(iteration);
    this.#entries.push({ timestamp: iteration.timestamp, seq: iteration.seq, summary });
    if (summary.failed) {
      this.#failed += 1;
      return;
    }
    if (this.#min === null || iteration.duration < this.#min) this.#min = iteration.duration;
    if (this.#max === null || iteration.duration > this.#max) this.#max = iteration.duration;
  }

  finish(): WorkloadFigures {
    this.#entries.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    const builder = new DurationStatisticsBuilder();
    for (const entry of this.#entries) builder.add(entry.summary);
    return {
      statistics: builder.result(),
      minDuration: this.#min,
      maxDuration: this.#max,
      iterationCount: this.#entries.length,
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
