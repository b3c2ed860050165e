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
  plan: (config) => ({ expectedIterations: config.times ?? 1, timeout: 0 }),
  async run(config, driver) {
    const times = config.times ?? 1;
    while (!driver.stopped && driver.started < times) await driver.iterate();
  },
});
