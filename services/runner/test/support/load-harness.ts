/**
 * Drives a runner strategy against a real `WorkloadLoad` with a scenario defined inline, and
 * keeps what happened: the records, and how many iterations ran at once at most.
 */
import type { IterationRecord } from "@paddock/shared/events";
import { systemClock } from "../../src/clock.js";
import { defineScenario, type ScenarioContext, Type } from "../../src/plugin.js";
import { runners } from "../../src/runners/index.js";
import type { RunnerConfig, RunnerType, ShareSlice } from "../../src/runners/runner.js";
import { WorkloadLoad } from "../../src/workload-load.js";

export interface LoadResult {
  readonly records: IterationRecord[];
  readonly maxConcurrent: number;
  /** Iteration numbers (`ctx.iteration`) in the order the iterations started. */
  readonly startOrder: number[];
  readonly elapsedMs: number;
  readonly load: WorkloadLoad;
}

export interface HarnessOptions {
  /** Called once the load has started, e.g. to stop or interrupt it. */
  readonly during?: (load: WorkloadLoad) => void;
  /** Run as this share of a distributed workload. */
  readonly share?: ShareSlice;
}

export async function runWith(
  type: RunnerType,
  config: RunnerConfig,
  body: (ctx: ScenarioContext) => Promise<void> | void,
  options: HarnessOptions = {},
): Promise<LoadResult> {
  let running = 0;
  let maxConcurrent = 0;
  const startOrder: number[] = [];
  const scenario = defineScenario({
    name: "Test.scenario",
    args: Type.Object({}),
    async run(ctx) {
      running += 1;
      maxConcurrent = Math.max(maxConcurrent, running);
      startOrder.push(ctx.iteration);
      try {
        await body(ctx);
      } finally {
        running -= 1;
      }
    },
  });
  const runner = runners[type];
  const records: IterationRecord[] = [];
  const load = new WorkloadLoad({
    scenario,
    args: {},
    timeout: runner.plan(config).timeout,
    clock: systemClock,
    onRecord: (record) => records.push(record),
    share: options.share,
  });
  const started = performance.now();
  const done = runner.run(config, load, options.share);
  options.during?.(load);
  await done;
  return { records, maxConcurrent, startOrder, elapsedMs: performance.now() - started, load };
}

export const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
