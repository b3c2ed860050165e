/**
 * An SLA criterion: a streaming check fed every iteration as it ends (so it can be judged live
 * and `abort_on_sla_failure` can act), with Rally's config schema and Rally's detail text.
 */
import type { IterationRecord, SlaResult } from "@paddock/shared/events";
import type { Static, TSchema } from "typebox";

export type SlaName =
  | "failure_rate"
  | "max_seconds_per_iteration"
  | "max_avg_duration"
  | "max_avg_duration_per_atomic"
  | "outliers"
  | "performance_degradation";

/** One criterion's running state for one workload. */
export interface SlaCheck {
  add(iteration: IterationRecord): void;
  /** The verdict so far, `{criterion, success, detail}` as Rally reports it. */
  result(): SlaResult;
}

export interface SlaCriterion {
  readonly name: SlaName;
  readonly description: string;
  readonly schema: TSchema;
  create(config: unknown): SlaCheck;
}

export interface SlaDefinition<S extends TSchema> {
  readonly name: SlaName;
  readonly description: string;
  readonly schema: S;
  create(config: Static<S>): SlaCheck;
}

export function defineSla<S extends TSchema>(definition: SlaDefinition<S>): SlaCriterion {
  return {
    name: definition.name,
    description: definition.description,
    schema: definition.schema,
    create: (config) => definition.create(config as Static<S>),
  };
}

/** Rally's `status()`. */
export function status(success: boolean): "Passed" | "Failed" {
  return success ? "Passed" : "Failed";
}

/** Python's `"%.2f" % value`. */
export function fixed2(value: number): string {
  return value.toFixed(2);
}
