/**
 * `constant_for_duration`: keeps `concurrency` iterations in flight until `duration` seconds have
 * passed since the load started (Rally's ConstantForDurationScenarioRunner). Every worker starts
 * at least one iteration, so `duration: 0` runs one iteration per concurrent slot. Split across n
 * replicas, each share keeps about concurrency/n in flight for the same duration, counted from
 * the moment the shares start together.
 */
import Type from "typebox";
import { defineRunner } from "./runner.js";
import { DistributeOption, shareCount, splitEvenly, withoutDistribute } from "./share-split.js";

const schema = Type.Object(
  {
    concurrency: Type.Optional(
      Type.Integer({ minimum: 1, description: "The number of parallel iteration executions." }),
    ),
    duration: Type.Number({
      minimum: 0,
      description:
        "The number of seconds during which to generate a load. If the duration is 0, the scenario will run once per parallel execution.",
    }),
    timeout: Type.Optional(Type.Number({ minimum: 1, description: "Operation's timeout (seconds)." })),
    distribute: DistributeOption,
  },
  { additionalProperties: false },
);

export const constantForDuration = defineRunner({
  type: "constant_for_duration",
  description: "Creates constant load executing a scenario for an interval of time.",
  schema,
  plan: (config) => ({ expectedIterations: null, timeout: config.timeout ?? 600 }),
  split(config, replicas) {
    const concurrency = config.concurrency ?? 1;
    return splitEvenly(concurrency, shareCount(replicas, concurrency)).map((shareConcurrency) => ({
      ...withoutDistribute(config),
      concurrency: shareConcurrency,
    }));
  },
  async run(config, driver, slice) {
    const end = (slice?.origin ?? driver.monotonic()) + config.duration * 1000;
    const worker = async () => {
      while (!driver.stopped) {
        await driver.iterate();
        if (driver.monotonic() >= end) break;
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < (config.concurrency ?? 1); i += 1) workers.push(worker());
    await Promise.all(workers);
  },
});
