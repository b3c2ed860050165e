/**
 * `rps`: starts `times` iterations at a given rate, constant or ramping (Rally's
 * RPSScenarioRunner). Unlike Rally, start times are absolute: iteration i is due at
 * `t0 + offset(i)` on a monotonic clock, so a late start never shifts the ones after it; each
 * record carries its `intended_start` and `schedule_lag` (coordinated omission is reported, not
 * hidden). At most `max_concurrency` iterations are in flight; waiting for a slot shows as lag.
 *
 * Split across n replicas, share k runs the single-runner schedule's iterations k, k + n, ...
 * at their intended times, counted from the moment the shares start together: the union of the
 * shares' starts is the undivided schedule, each share at rate/n, staggered by 1/rate.
 */
import Type, { type Static } from "typebox";
import { defineRunner } from "./runner.js";
import { DistributeOption, shareCount, splitEvenly, withoutDistribute } from "./share-split.js";

const Ramp = Type.Object(
  {
    start: Type.Number({ minimum: 1 }),
    end: Type.Number({ minimum: 1 }),
    step: Type.Number({ minimum: 1 }),
    duration: Type.Optional(Type.Number({ minimum: 1, description: "Seconds per step (default 1)." })),
  },
  {
    additionalProperties: false,
    description:
      "Increase requests per second for specified value each time after a certain number of seconds.",
  },
);

const schema = Type.Object(
  {
    times: Type.Integer({ minimum: 1 }),
    rps: Type.Union([
      Type.Number({
        exclusiveMinimum: 0,
        description: "Generate constant requests per second during the whole workload.",
      }),
      Ramp,
    ]),
    timeout: Type.Optional(Type.Number({ description: "Operation's timeout (seconds; 0 means none)." })),
    max_concurrency: Type.Optional(Type.Integer({ minimum: 1 })),
    max_cpu_count: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "Accepted for Rally compatibility; Paddock drives the load from one process.",
      }),
    ),
    distribute: DistributeOption,
  },
  { additionalProperties: false },
);

export type RpsSetting = Static<typeof schema>["rps"];

/**
 * Offsets (seconds from the load's start) at which successive iterations are due. A ramp runs
 * `start` per second for `duration` seconds, then `start + step`, ... capped at `end`.
 */
export function rpsOffsets(rps: RpsSetting): () => number {
  let offset = 0;
  if (typeof rps === "number") {
    let index = 0;
    return () => {
      offset = index / rps;
      index += 1;
      return offset;
    };
  }
  const stepSeconds = rps.duration ?? 1;
  let next = 0;
  return () => {
    offset = next;
    const rate = Math.min(rps.start + Math.floor(offset / stepSeconds) * rps.step, rps.end);
    next = offset + 1 / rate;
    return offset;
  };
}

/**
 * The offsets of share `index` of `count`: the undivided schedule's offsets index, index + count,
 * index + 2·count, ...
 */
export function shareOffsets(offsets: () => number, index: number, count: number): () => number {
  if (count === 1) return offsets;
  for (let skipped = 0; skipped < index; skipped += 1) offsets();
  let first = true;
  return () => {
    if (!first) for (let skipped = 1; skipped < count; skipped += 1) offsets();
    first = false;
    return offsets();
  };
}

/** Starts this many iterations back to back at most before letting I/O run. */
const BURST = 64;

export const rps = defineRunner({
  type: "rps",
  description: "Scenario runner that does the job with specified frequency.",
  schema,
  check(config) {
    if (typeof config.rps === "object" && config.rps.end < config.rps.start) {
      return ["rps end value must not be less than rps start value."];
    }
    return [];
  },
  plan: (config) => ({ expectedIterations: config.times, timeout: config.timeout ?? 0 }),
  split(config, replicas) {
    const shares = shareCount(replicas, Math.min(config.times, config.max_concurrency ?? config.times));
    const maxConcurrency =
      config.max_concurrency === undefined ? undefined : splitEvenly(config.max_concurrency, shares);
    return splitEvenly(config.times, shares).map((times, k) => ({
      ...withoutDistribute(config),
      times,
      ...(maxConcurrency === undefined ? {} : { max_concurrency: maxConcurrency[k] as number }),
    }));
  },
  async run(config, driver, slice) {
    const maxConcurrency = config.max_concurrency ?? config.times;
    const nextOffset = shareOffsets(rpsOffsets(config.rps), slice?.index ?? 0, slice?.count ?? 1);
    let inFlight = 0;
    let slotFreed: (() => void) | undefined;
    const ended = () => {
      inFlight -= 1;
      const wake = slotFreed;
      slotFreed = undefined;
      wake?.();
    };
    const slot = () =>
      new Promise<void>((resolve) => {
        slotFreed = resolve;
      });
    const t0 = slice?.origin ?? driver.monotonic();
    let burst = 0;
    for (let i = 0; i < config.times && !driver.stopped; i += 1) {
      const intended = t0 + nextOffset() * 1000;
      if (driver.monotonic() < intended) {
        // Timers may fire a fraction of a millisecond early; never start before the intended time.
        while (driver.monotonic() < intended && !driver.stopped) await driver.until(intended);
        burst = 0;
        if (driver.stopped) break;
      } else if (++burst >= BURST) {
        await driver.yield();
        burst = 0;
      }
      while (inFlight >= maxConcurrency) await slot();
      inFlight += 1;
      void driver.iterate(intended).then(ended);
    }
    while (inFlight > 0) await slot();
  },
});
