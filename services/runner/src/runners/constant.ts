/**
 * `constant`: runs `times` iterations keeping `concurrency` of them in flight (Rally's
 * ConstantScenarioRunner). Each of `concurrency` workers starts the next iteration as soon as its
 * previous one ended. Split across n replicas (`distribute`), each share runs about times/n
 * iterations at about concurrency/n (never more shares than the concurrency).
 */
import Type from "typebox";
import { defineRunner } from "./runner.js";
import { DistributeOption, shareCount, splitEvenly, withoutDistribute } from "./share-split.js";

const schema = Type.Object(
  {
    concurrency: Type.Optional(
      Type.Integer({ minimum: 1, description: "The number of parallel iteration executions." }),
    ),
    times: Type.Optional(Type.Integer({ minimum: 1, description: "Total number of iteration executions." })),
    timeout: Type.Optional(Type.Number({ description: "Operation's timeout (seconds; 0 means none)." })),
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

export const constant = defineRunner({
  type: "constant",
  description: "Creates constant load executing a scenario a specified number of times.",
  schema,
  check(config) {
    if ((config.concurrency ?? 1) > (config.times ?? 1)) {
      return [
        "Parameter 'concurrency' means a number of parallel executions of iterations. Parameter 'times' means total number of iteration executions. It is redundant (and restricted) to have number of parallel iterations bigger then total number of iterations.",
      ];
    }
    return [];
  },
  plan: (config) => ({ expectedIterations: config.times ?? 1, timeout: config.timeout ?? 0 }),
  split(config, replicas) {
    const times = config.times ?? 1;
    const concurrency = Math.min(config.concurrency ?? 1, times);
    const shares = shareCount(replicas, concurrency);
    const timesOf = splitEvenly(times, shares);
    const concurrencyOf = splitEvenly(concurrency, shares);
    return timesOf.map((shareTimes, k) => ({
      ...withoutDistribute(config),
      times: shareTimes,
      concurrency: concurrencyOf[k] as number,
    }));
  },
  async run(config, driver) {
    const times = config.times ?? 1;
    const worker = async () => {
      while (!driver.stopped && driver.started < times) await driver.iterate();
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < Math.min(config.concurrency ?? 1, times); i += 1) workers.push(worker());
    await Promise.all(workers);
  },
});
