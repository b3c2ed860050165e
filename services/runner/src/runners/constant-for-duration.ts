/**
 * `constant_for_duration`: keeps `concurrency` iterations in flight until `duration` seconds have
 * passed since the load started (Rally's ConstantForDurationScenarioRunner). Every worker starts
 * at least one iteration, so `duration: 0` runs one iteration per concurrent slot.
 */
import Type from "typebox";
import { defineRunner } from "./runner.js";

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
  },
  { additionalProperties: false },
);

export const constantForDuration = defineRunner({
  type: "constant_for_duration",
  description: "Creates constant load executing a scenario for an interval of time.",
  schema,
  plan: (config) => ({ expectedIterations: null, timeout: config.timeout ?? 600 }),
  async run(config, driver) {
    const end = driver.monotonic() + config.duration * 1000;
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
