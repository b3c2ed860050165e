/**
 * Runs one workload's hooks: iteration-unit triggers are checked as each iteration starts;
 * time-unit triggers get whole seconds 0, 1, 2… counted from the first iteration's start, until
 * the load ends. Actions run in the background; each result is reported as it completes.
 */
import type { HookResult } from "@paddock/shared/events";
import type { HookSpec } from "@paddock/shared/task-model";
import type { Clock } from "../clock.js";
import type { HookAction, HookTrigger, HookUnit } from "./index.js";

/** A validated hook of a workload. */
export interface PreparedHook {
  /** Index in the workload's `hooks`. */
  readonly index: number;
  readonly spec: HookSpec;
  readonly action: HookAction;
  readonly trigger: HookTrigger;
  readonly unit: HookUnit;
}

export class WorkloadHooks {
  private readonly byIteration: PreparedHook[];
  private readonly byTime: PreparedHook[];
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    hooks: readonly PreparedHook[],
    private readonly clock: Clock,
    private readonly onResult: (hookIndex: number, result: HookResult) => void,
  ) {
    this.byIteration = hooks.filter((hook) => hook.unit === "iteration");
    this.byTime = hooks.filter((hook) => hook.unit === "time");
  }

  /** Call as iteration `iteration` (1-based) starts. */
  onIterationStart(iteration: number): void {
    if (this.stopped) return;
    if (iteration === 1 && this.byTime.length > 0) this.startClock();
    for (const hook of this.byIteration) {
      if (hook.trigger.fires(hook.spec.trigger.args, iteration)) this.fire(hook, "iteration", iteration);
    }
  }

  /** The load ended: no more time events. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** Hard abort: kill running actions too. */
  interrupt(): void {
    this.stop();
    this.stopping.abort();
  }

  /** Resolves when every action fired so far has reported. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private startClock(): void {
    const origin = this.clock.monotonic();
    const tick = (second: number) => {
      if (this.stopped) return;
      for (const hook of this.byTime) {
        if (hook.trigger.fires(hook.spec.trigger.args, second)) this.fire(hook, "time", second);
      }
      const next = second + 1;
      this.timer = setTimeout(() => tick(next), Math.max(0, origin + next * 1000 - this.clock.monotonic()));
    };
    tick(0);
  }

  private fire(hook: PreparedHook, eventType: HookUnit, value: number): void {
    const startedAt = this.clock.now();
    const job = hook.action.run(hook.spec.action.args, this.stopping.signal).then((outcome) => {
      const result: HookResult = {
        status: outcome.status,
        started_at: startedAt,
        finished_at: this.clock.now(),
        triggered_by: { event_type: eventType, value },
      };
      if (outcome.output !== undefined) result.output = outcome.output;
      if (outcome.error !== undefined) result.error = outcome.error;
      this.onResult(hook.index, result);
    });
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
  }
}
