/**
 * One iteration's `ScenarioContext`: times nested atomic actions, counts idle time, collects
 * output, and can be interrupted (timeout, hard abort). Once closed it ignores late changes, so
 * the record already handed to the publisher never moves.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { AtomicAction, IterationOutput } from "@paddock/shared/task-model";
import { type Clock, delay } from "./clock.js";
import { type HttpTarget, httpTargetOf } from "./environments/environment-resolver.js";
import { createHttpClient } from "./http-client.js";
import { Interrupts } from "./interrupts.js";
import type {
  ChartOutput,
  HttpClient,
  ScenarioContext,
  ScenarioEnvironment,
  ScenarioOutput,
} from "./plugin.js";

interface AtomicScope {
  readonly owner: IterationContext;
  readonly action: AtomicAction;
}

/** The atomic action a piece of async code runs inside, so nesting follows `await` chains. */
const scopes = new AsyncLocalStorage<AtomicScope>();

/** Shared by every iteration that added no output (never mutated, never sent twice over). */
export const EMPTY_OUTPUT: IterationOutput = Object.freeze({
  additive: Object.freeze([]) as unknown as unknown[],
  complete: Object.freeze([]) as unknown as unknown[],
}) as IterationOutput;

export class ScenarioOutputInvalid extends Error {
  override name = "ScenarioOutputInvalid";
}

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}

function checkSeconds(seconds: number, what: string): void {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError(`${what} takes a number of seconds >= 0 (got ${String(seconds)})`);
  }
}

function checkChart(chart: unknown, kind: string): ChartOutput {
  const value = chart as Partial<ChartOutput> | null;
  if (
    typeof value !== "object" ||
    value === null ||
    typeof value.title !== "string" ||
    typeof value.chart_plugin !== "string" ||
    !("data" in value)
  ) {
    throw new ScenarioOutputInvalid(
      `Scenario output is invalid: '${kind}' needs 'title', 'chart_plugin' and 'data' (got ${JSON.stringify(chart)})`,
    );
  }
  return value as ChartOutput;
}

export interface IterationContextOptions {
  /** Base URL for `ctx.http` relative URLs (default: the `http` environment's `base_url`). */
  readonly baseUrl?: string | undefined;
  /** The environment the task runs against. Default: an empty `generic` one named `local`. */
  readonly environment?: ScenarioEnvironment | undefined;
  /** `httpTargetOf(environment)`, when the caller has it already (a load works it out once). */
  readonly httpTarget?: HttpTarget | undefined;
}

/** The environment of a run that names none. */
export const NO_ENVIRONMENT: ScenarioEnvironment = Object.freeze({
  name: "local",
  platform: "generic",
  spec: Object.freeze({}),
});

export class IterationContext implements ScenarioContext {
  /** Top-level atomic actions, in start order. */
  readonly atomics: AtomicAction[] = [];
  /** Seconds spent in `sleep`. */
  idle = 0;
  private additive: ChartOutput[] | undefined;
  private complete: ChartOutput[] | undefined;
  /** Made with the first `signal` or `http` use: most iterations are never interrupted. */
  private interrupts: Interrupts | undefined;
  private client: HttpClient | undefined;
  private closed = false;

  constructor(
    readonly iteration: number,
    private readonly clock: Clock,
    private readonly options: IterationContextOptions = {},
  ) {}

  get signal(): AbortSignal {
    this.interrupts ??= new Interrupts();
    return this.interrupts.signal;
  }

  get http(): HttpClient {
    if (this.client === undefined) {
      const target = this.options.httpTarget ?? httpTargetOf(this.options.environment);
      this.interrupts ??= new Interrupts();
      this.client = createHttpClient({
        baseUrl: this.options.baseUrl ?? target.baseUrl,
        headers: target.headers,
        interrupts: this.interrupts,
      });
    }
    return this.client;
  }

  get environment(): ScenarioEnvironment {
    return this.options.environment ?? NO_ENVIRONMENT;
  }

  atomic<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const scope = scopes.getStore();
    const parent = scope !== undefined && scope.owner === this ? scope.action : undefined;
    const action: AtomicAction = { name, children: [], started_at: this.clock.now(), finished_at: null };
    if (!this.closed) (parent === undefined ? this.atomics : parent.children).push(action);
    let result: T | Promise<T>;
    try {
      result = scopes.run({ owner: this, action }, fn);
    } catch (error) {
      this.finishAtomic(action, true);
      return Promise.reject(error);
    }
    if (isPromiseLike<T>(result)) {
      return Promise.resolve(result).then(
        (value) => {
          this.finishAtomic(action, false);
          return value;
        },
        (error: unknown) => {
          this.finishAtomic(action, true);
          throw error;
        },
      );
    }
    this.finishAtomic(action, false);
    return Promise.resolve(result);
  }

  sleep(seconds: number): Promise<void> {
    checkSeconds(seconds, "ctx.sleep");
    if (seconds === 0) return Promise.resolve();
    const started = this.clock.monotonic();
    const count = () => {
      if (!this.closed) this.idle += (this.clock.monotonic() - started) / 1000;
    };
    return delay(seconds * 1000, this.signal).then(count, (error: unknown) => {
      count();
      throw error;
    });
  }

  wait(seconds: number): Promise<void> {
    checkSeconds(seconds, "ctx.wait");
    if (seconds === 0) return Promise.resolve();
    return delay(seconds * 1000, this.signal);
  }

  addOutput(output: ScenarioOutput): void {
    if (this.closed) return;
    if (output.additive !== undefined) {
      this.additive ??= [];
      this.additive.push(checkChart(output.additive, "additive"));
    }
    if (output.complete !== undefined) {
      this.complete ??= [];
      this.complete.push(checkChart(output.complete, "complete"));
    }
  }

  /** The iteration's `output` in Rally's shape. */
  output(): IterationOutput {
    if (this.additive === undefined && this.complete === undefined) return EMPTY_OUTPUT;
    return { additive: this.additive ?? [], complete: this.complete ?? [] };
  }

  /** Ends recording: later atomic actions, idle time and output are ignored. */
  close(): void {
    this.closed = true;
  }

  /**
   * Interrupts the iteration (timeout, hard abort): aborts `signal` with `reason`, closes every
   * atomic action still open as failed (as Rally does when the exception unwinds them), and
   * closes the context.
   */
  interrupt(reason: Error): void {
    if (this.closed) return;
    const now = this.clock.now();
    closeOpen(this.atomics, now);
    this.closed = true;
    // Made here if need be, so a `signal` first read after the interrupt is already aborted.
    this.interrupts ??= new Interrupts();
    this.interrupts.interrupt(reason);
  }

  private finishAtomic(action: AtomicAction, failed: boolean): void {
    if (this.closed) return;
    action.finished_at = this.clock.now();
    if (failed) action.failed = true;
  }
}

function closeOpen(actions: AtomicAction[], now: number): void {
  for (const action of actions) {
    if (action.finished_at === null) {
      action.finished_at = now;
      action.failed = true;
    }
    if (action.children.length > 0) closeOpen(action.children, now);
  }
}
