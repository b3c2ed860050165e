/**
 * The load of one workload: the `LoadDriver` a runner strategy drives. It numbers iterations in
 * start order (`seq` from 0), runs the scenario with a fresh context, interrupts it at the
 * runner's timeout or on a hard abort, and hands each finished record to `onRecord`. This is the
 * hot path: one context, one promise and one record per iteration, nothing awaited but the
 * scenario itself.
 */
import type { IterationRecord } from "@paddock/shared/events";
import type { IterationError } from "@paddock/shared/task-model";
import { type Clock, delay } from "./clock.js";
import { httpTargetOf } from "./environments/environment-resolver.js";
import { IterationContext, type IterationContextOptions } from "./iteration-context.js";
import type { ScenarioEnvironment, ScenarioPlugin } from "./plugin.js";
import type { LoadDriver } from "./runners/index.js";

export interface WorkloadLoadOptions {
  readonly scenario: ScenarioPlugin;
  readonly args: Readonly<Record<string, unknown>>;
  /** Seconds after which an iteration is interrupted; 0 means never. */
  readonly timeout: number;
  readonly clock: Clock;
  /** Base URL for `ctx.http` relative URLs. */
  readonly baseUrl?: string | undefined;
  /** The environment the task runs against (secrets resolved). */
  readonly environment?: ScenarioEnvironment | undefined;
  /** Receives each finished iteration, in the order they end. */
  readonly onRecord: (record: IterationRecord) => void;
  /** Called as each iteration starts, with its 1-based number (hooks listen to it). */
  readonly onStart?: ((iteration: number) => void) | undefined;
  /** A promise to wait on before starting another iteration (event backlog), or undefined. */
  readonly backpressure?: () => Promise<void> | undefined;
  /**
   * The share of a distributed workload this load runs: its n-th iteration gets seq
   * `index + count·n` (and `ctx.iteration` seq + 1), so the shares' seqs never collide.
   */
  readonly share?: { readonly index: number; readonly count: number } | undefined;
  /** Written into each record as `runner_id` (distributed workloads, whose records come from several runners). */
  readonly runnerId?: string | undefined;
}

const NO_ERROR: IterationError = Object.freeze([]) as unknown as IterationError;

/** Rally's `[type, message, traceback]` for anything a scenario throws. */
export function iterationError(error: unknown): [string, string, string] {
  if (error instanceof Error) {
    const type =
      error.name && error.name !== "Error" ? error.name : (error.constructor?.name ?? "Error") || "Error";
    const stack = error.stack ?? `${type}: ${error.message}`;
    const head = `${error.name}: `;
    return [type, error.message, stack.startsWith(head) ? `${type}: ${stack.slice(head.length)}` : stack];
  }
  return ["Error", String(error), ""];
}

class IterationInterrupted extends Error {
  override name = "AbortError";
}

type Settle = (error: IterationError, duration?: number) => void;

export class WorkloadLoad implements LoadDriver {
  /** Iterations this load started (its share's, when distributed). */
  started = 0;
  inFlight = 0;
  stopped = false;
  /** Epoch seconds the first iteration started, or undefined before. */
  firstStart: number | undefined;
  /** Epoch seconds the last iteration ended. */
  lastEnd: number | undefined;
  private readonly live = new Map<IterationContext, Settle>();
  private readonly stopping = new AbortController();
  private readonly seqOffset: number;
  private readonly seqStride: number;
  /** What every iteration's context is given (one object for the whole load). */
  private readonly contextOptions: IterationContextOptions;

  constructor(private readonly options: WorkloadLoadOptions) {
    this.seqOffset = options.share?.index ?? 0;
    this.seqStride = options.share?.count ?? 1;
    this.contextOptions = {
      baseUrl: options.baseUrl,
      environment: options.environment,
      httpTarget: httpTargetOf(options.environment),
    };
  }

  monotonic(): number {
    return this.options.clock.monotonic();
  }

  iterate(intendedStart?: number): Promise<void> {
    const seq = this.seqOffset + this.seqStride * this.started;
    this.started += 1;
    const wait = this.options.backpressure?.();
    if (wait !== undefined) return wait.then(() => this.run(seq, intendedStart));
    return this.run(seq, intendedStart);
  }

  until(at: number): Promise<void> {
    const ms = at - this.monotonic();
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return delay(Math.ceil(ms), this.stopping.signal).catch(() => undefined);
  }

  yield(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Soft stop: no new iteration starts; running ones finish. */
  stop(): void {
    this.stopped = true;
    this.stopping.abort();
  }

  /** Hard stop: also interrupts every running iteration now (its `ctx.signal` aborts). */
  interrupt(): void {
    this.stop();
    for (const [context, settle] of this.live) {
      context.interrupt(new IterationInterrupted("Iteration interrupted: the task was aborted."));
      settle(["AbortError", "Iteration interrupted: the task was aborted.", ""]);
    }
  }

  private run(seq: number, intendedStart: number | undefined): Promise<void> {
    const { clock, scenario, args, timeout } = this.options;
    const context = new IterationContext(seq + 1, clock, this.contextOptions);
    const startedAt = clock.monotonic();
    const timestamp = clock.epochAt(startedAt);
    if (this.firstStart === undefined || timestamp < this.firstStart) this.firstStart = timestamp;
    this.inFlight += 1;
    this.options.onStart?.(seq + 1);
    return new Promise<void>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle: Settle = (error, duration) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        context.close();
        const endedAt = clock.monotonic();
        const elapsed = (endedAt - startedAt) / 1000;
        const record: IterationRecord = {
          seq,
          duration: duration ?? Math.max(0, elapsed - context.idle),
          timestamp,
          idle_duration: context.idle,
          error,
          output: context.output(),
          atomic_actions: context.atomics,
        };
        if (intendedStart !== undefined) {
          record.intended_start = clock.epochAt(intendedStart);
          record.schedule_lag = (startedAt - intendedStart) / 1000;
        }
        if (this.options.runnerId !== undefined) record.runner_id = this.options.runnerId;
        const end = clock.epochAt(endedAt);
        if (this.lastEnd === undefined || end > this.lastEnd) this.lastEnd = end;
        this.inFlight -= 1;
        this.live.delete(context);
        this.options.onRecord(record);
        resolve();
      };
      this.live.set(context, settle);
      if (timeout > 0) {
        timer = setTimeout(() => {
          context.interrupt(new IterationInterrupted("Iteration interrupted due to timeout."));
          settle(
            [
              "TimeoutException",
              "Iteration interrupted due to timeout.",
              `The iteration ran longer than the runner's timeout of ${timeout} s.`,
            ],
            timeout,
          );
        }, timeout * 1000);
      }
      let result: void | Promise<void>;
      try {
        result = scenario.run(context, args);
      } catch (error) {
        settle(iterationError(error));
        return;
      }
      if (result !== undefined && typeof (result as Promise<void>).then === "function") {
        result.then(
          () => settle(NO_ERROR),
          (error: unknown) => settle(iterationError(error)),
        );
      } else {
        settle(NO_ERROR);
      }
    });
  }
}
