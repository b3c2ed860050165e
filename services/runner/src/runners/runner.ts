/**
 * The runner strategy: how a workload's iterations are started (how many, how many at once, at
 * what rate). A runner only decides *when* to start an iteration; the executor's `LoadDriver`
 * runs it, numbers it, times it out, records it and publishes it.
 */
import type { Static, TSchema } from "typebox";

/** Rally's runner types. */
export type RunnerType = "constant" | "constant_for_duration" | "rps" | "serial";

/** The executor's side of one workload's load, as a runner sees it. */
export interface LoadDriver {
  /** True once no new iteration may start (the task is being aborted). */
  readonly stopped: boolean;
  /** Iterations started so far in this workload. */
  readonly started: number;
  /**
   * Starts the next iteration now and resolves when it has ended (it never rejects).
   * `intendedStart` (monotonic milliseconds) is given by rate-driven runners; the record then
   * carries `intended_start` and `schedule_lag`.
   */
  iterate(intendedStart?: number): Promise<void>;
  /** Resolves at monotonic time `at` (milliseconds), or as soon as the load is stopped. */
  until(at: number): Promise<void>;
  /** Resolves after pending I/O had a chance to run (used by loops that never wait otherwise). */
  yield(): Promise<void>;
  /** The monotonic clock, milliseconds. */
  monotonic(): number;
}

export interface RunnerPlan {
  /** Iterations the runner will start, or null when bounded by time. */
  readonly expectedIterations: number | null;
  /** Seconds after which an iteration is interrupted; 0 means never. */
  readonly timeout: number;
}

/** A runner's configuration as written in the task (`runner: {type: config}`). */
export type RunnerConfig = Readonly<Record<string, unknown>>;

export interface Runner {
  readonly type: RunnerType;
  readonly description: string;
  /** Rally's option schema. */
  readonly schema: TSchema;
  /** Checks across options the schema cannot express; one message per problem. */
  check(config: RunnerConfig): string[];
  plan(config: RunnerConfig): RunnerPlan;
  /** Starts the iterations; resolves when every started iteration has ended. */
  run(config: RunnerConfig, driver: LoadDriver): Promise<void>;
}

export interface RunnerDefinition<S extends TSchema> {
  readonly type: RunnerType;
  readonly description: string;
  readonly schema: S;
  check?(config: Static<S>): string[];
  plan(config: Static<S>): RunnerPlan;
  run(config: Static<S>, driver: LoadDriver): Promise<void>;
}

/** Types a runner's methods by its schema; the executor only calls them with validated configs. */
export function defineRunner<S extends TSchema>(definition: RunnerDefinition<S>): Runner {
  return {
    type: definition.type,
    description: definition.description,
    schema: definition.schema,
    check: (config) => definition.check?.(config as Static<S>) ?? [],
    plan: (config) => definition.plan(config as Static<S>),
    run: (config, driver) => definition.run(config as Static<S>, driver),
  };
}
