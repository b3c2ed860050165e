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

/**
 * Which share of a distributed workload a load runs. Share k of n numbers its iterations
 * k, k + n, k + 2n, ... (`seq`), so the shares together number them as one runner would; a
 * rate-driven runner also takes every n-th intended start from k on, so the shares' starts
 * interleave evenly.
 */
export interface ShareSlice {
  /** 0-based; share 0 runs on the coordinating runner. */
  readonly index: number;
  /** How many shares the workload is split into (≥ 1). */
  readonly count: number;
  /**
   * Monotonic milliseconds (this process's clock) at which the shares start together; schedules
   * count from it. Undefined: from the moment the runner starts.
   */
  readonly origin?: number | undefined;
}

export interface Runner {
  readonly type: RunnerType;
  readonly description: string;
  /** Rally's option schema. */
  readonly schema: TSchema;
  /** Checks across options the schema cannot express; one message per problem. */
  check(config: RunnerConfig): string[];
  plan(config: RunnerConfig): RunnerPlan;
  /**
   * The configurations of the shares when the load is split across `replicas` runners, one per
   * share: as many as make sense (at most `replicas`; `[config]` when the runner cannot be split).
   * Together they run what `config` runs alone: the same iterations, concurrency and rate.
   */
  split(config: RunnerConfig, replicas: number): RunnerConfig[];
  /**
   * Starts the iterations; resolves when every started iteration has ended. `slice`: the share
   * this load is, when the workload is distributed (its config is then one of `split`'s).
   */
  run(config: RunnerConfig, driver: LoadDriver, slice?: ShareSlice): Promise<void>;
}

export interface RunnerDefinition<S extends TSchema> {
  readonly type: RunnerType;
  readonly description: string;
  readonly schema: S;
  check?(config: Static<S>): string[];
  plan(config: Static<S>): RunnerPlan;
  /** Default: the runner cannot be split (one share, the whole load). */
  split?(config: Static<S>, replicas: number): Static<S>[];
  run(config: Static<S>, driver: LoadDriver, slice?: ShareSlice): Promise<void>;
}

/** Types a runner's methods by its schema; the executor only calls them with validated configs. */
export function defineRunner<S extends TSchema>(definition: RunnerDefinition<S>): Runner {
  return {
    type: definition.type,
    description: definition.description,
    schema: definition.schema,
    check: (config) => definition.check?.(config as Static<S>) ?? [],
    plan: (config) => definition.plan(config as Static<S>),
    split: (config, replicas) => definition.split?.(config as Static<S>, replicas) ?? [config],
    run: (config, driver, slice) => definition.run(config as Static<S>, driver, slice),
  };
}
