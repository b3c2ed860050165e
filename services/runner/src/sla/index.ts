/**
 * Every SLA criterion by name, and the per-workload monitor that feeds them iterations and adds
 * Rally's pseudo-criteria (`aborted_manually`, `something_went_wrong`).
 */
import type { IterationRecord, SlaResult } from "@paddock/shared/events";
import { failureRate } from "./failure-rate.js";
import { maxAvgDuration } from "./max-avg-duration.js";
import { maxAvgDurationPerAtomic } from "./max-avg-duration-per-atomic.js";
import { maxSecondsPerIteration } from "./max-seconds-per-iteration.js";
import { outliers } from "./outliers.js";
import { performanceDegradation } from "./performance-degradation.js";
import type { SlaCheck, SlaCriterion, SlaName } from "./sla.js";

export type { SlaCheck, SlaCriterion, SlaName } from "./sla.js";

export const slaCriteria = {
  failure_rate: failureRate,
  max_seconds_per_iteration: maxSecondsPerIteration,
  max_avg_duration: maxAvgDuration,
  max_avg_duration_per_atomic: maxAvgDurationPerAtomic,
  outliers,
  performance_degradation: performanceDegradation,
} satisfies Record<SlaName, SlaCriterion>;

export function isSlaName(name: string): name is SlaName {
  return Object.hasOwn(slaCriteria, name);
}

/** The SLA of one workload: its criteria in the order the task lists them. */
export class SlaMonitor {
  private readonly checks: SlaCheck[];
  private abortedManually = false;
  private abortedOnSla = false;
  private unexpected: string | undefined;

  /** `sla` must have been validated (names known, configs valid). */
  constructor(sla: Readonly<Record<string, unknown>>) {
    this.checks = Object.entries(sla).flatMap(([name, config]) =>
      isSlaName(name) ? [slaCriteria[name].create(config)] : [],
    );
  }

  add(iteration: IterationRecord): void {
    for (const check of this.checks) check.add(iteration);
  }

  /** Each configured criterion's verdict so far (no pseudo-criteria): what progress reports show. */
  verdicts(): SlaResult[] {
    return this.checks.map((check) => check.result());
  }

  /** Whether every criterion holds so far (what `abort_on_sla_failure` watches). */
  passing(): boolean {
    return this.checks.every((check) => check.result().success);
  }

  /** The workload was stopped because a criterion failed (`abort_on_sla_failure`). */
  setAbortedOnSla(): void {
    this.abortedOnSla = true;
  }

  /** The workload was aborted by a person (soft or hard). */
  setAbortedManually(): void {
    this.abortedManually = true;
  }

  /** Something outside the iterations failed (a context's set-up, the runner, a lost share); messages add up. */
  setUnexpectedFailure(message: string): void {
    this.unexpected = this.unexpected === undefined ? message : `${this.unexpected}; ${message}`;
  }

  results(): SlaResult[] {
    const results = this.checks.map((check) => check.result());
    if (this.abortedOnSla) {
      results.push({
        criterion: "aborted_on_sla",
        success: false,
        detail: "Task was aborted due to SLA failure(s).",
      });
    }
    if (this.abortedManually) {
      results.push({
        criterion: "aborted_manually",
        success: false,
        detail: "Task was aborted due to abort signal.",
      });
    }
    if (this.unexpected !== undefined) {
      results.push({
        criterion: "something_went_wrong",
        success: false,
        detail: `Unexpected error: ${this.unexpected}`,
      });
    }
    return results;
  }

  passed(): boolean {
    return this.results().every((result) => result.success);
  }
}
