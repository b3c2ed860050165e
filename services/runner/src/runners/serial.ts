/**
 * `serial`: runs `times` iterations one after the other (Rally's SerialScenarioRunner). Unknown
 * options are accepted, as in Rally, so a task can switch runner by changing only the type.
 */
import Type from "typebox";
import { defineRunner } from "./runner.js";

const schema = Type.Object(
  {
    times: Type.Optional(Type.Integer({ minimum: 1, description: "Total number of iteration executions." })),
  },
  { additionalProperties: true },
);

export const serial = defineRunner({
  type: "serial",
  description: "Scenario runner that executes scenarios serially.",
  schema,
  check(config) {
    const distribute = (config as { distribute?: unknown }).distribute;
    if (distribute !== undefined && distribute !== 1) {
      return [
        "'distribute' cannot split a serial runner: it runs one iteration at a time (use constant with concurrency 1 per replica instead).",
      ];
    }
    return [];
  },
  plan: (config) => ({ expectedIterations: config.times ?? 1, timeout: 0 }),
  async run(config, driver) {
    const times = config.times ?? 1;
    while (!driver.stopped && driver.started < times) await driver.iterate();
  },
});
