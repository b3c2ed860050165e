/** `event`: fires at the listed iteration numbers or seconds (`{unit, at: [...]}`). */
import Type from "typebox";
import { defineHookTrigger } from "./hook.js";

const at = (minimum: number) => Type.Array(Type.Integer({ minimum }), { minItems: 1, uniqueItems: true });

export const eventTrigger = defineHookTrigger({
  name: "event",
  description: "Triggers hook on specified event and list of values.",
  schema: Type.Union([
    Type.Object(
      { unit: Type.Literal("time"), at: at(0) },
      {
        additionalProperties: false,
        description: "Triage hook based on specified seconds after start of workload.",
      },
    ),
    Type.Object(
      { unit: Type.Literal("iteration"), at: at(1) },
      { additionalProperties: false, description: "Triage hook based on specific iterations." },
    ),
  ]),
  unit: (config) => config.unit,
  fires: (config, value) => config.at.includes(value),
});
