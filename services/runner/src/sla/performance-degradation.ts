/**
 * `performance_degradation`: (max / min − 1)·100 over the successful iterations' durations stays
 * at or below `max_degradation` percent.
 */
import Type from "typebox";
import { defineSla, status } from "./sla.js";

/** Rally's `format_float_to_str`: `%f`, trailing zeros dropped, at least one decimal. */
function formatFloat(value: number): string {
  const [whole, fraction = ""] = value.toFixed(6).split(".");
  return `${whole}.${fraction.replace(/0+$/, "") || "0"}`;
}

export const performanceDegradation = defineSla({
  name: "performance_degradation",
  description: "Calculates performance degradation based on iteration time.",
  schema: Type.Object({ max_degradation: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
  create(config) {
    let min: number | undefined;
    let max: number | undefined;
    const degradation = () =>
      min === undefined || max === undefined || min === 0 ? 0 : (max / min - 1) * 100;
    return {
      add(iteration) {
        if (iteration.error.length > 0) return;
        if (min === undefined || iteration.duration < min) min = iteration.duration;
        if (max === undefined || iteration.duration > max) max = iteration.duration;
      },
      result() {
        const value = degradation();
        const success = value <= config.max_degradation;
        return {
          criterion: "performance_degradation",
          success,
          detail: `Current degradation: ${formatFloat(value)}% - ${status(success)}`,
        };
      },
    };
  },
});
