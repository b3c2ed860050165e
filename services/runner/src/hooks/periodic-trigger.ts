/**
 * `periodic`: fires every `step` iterations or seconds from `start` (1 for iterations, 0 for
 * time) to `end` (inclusive, unbounded by default).
 */
import Type from "typebox";
import { defineHookTrigger } from "./hook.js";

const range = (startMinimum: number) => ({
  start: Type.Optional(Type.Integer({ minimum: startMinimum })),
  end: Type.Optional(Type.Integer({ minimum: 1 })),
  step: Type.Integer({ minimum: 1 }),
});

export const periodicTrigger = defineHookTrigger({
  name: "periodic",
  description: "Periodically triggers hook with specified range and step.",
  schema: Type.Union([
    Type.Object(
      { unit: Type.Literal("time"), ...range(0) },
      {
        additionalProperties: false,
        description: "Periodically triage hook based on elapsed time after start of workload.",
      },
    ),
    Type.Object(
      { unit: Type.Literal("iteration"), ...range(1) },
      { additionalProperties: false, description: "Periodically triage hook based on iterations." },
    ),
  ]),
  unit: (config) => config.unit,
  fires(config, value) {
    const start = config.start ?? (config.unit === "time" ? 0 : 1);
    const end = config.end ?? Number.POSITIVE_INFINITY;
    return start <= value && value <= end && (value - start) % config.step === 0;
  },
});
