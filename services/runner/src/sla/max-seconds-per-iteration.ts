/** `max_seconds_per_iteration`: no iteration (failed ones included) lasts longer than the value. */
import Type from "typebox";
import { defineSla, fixed2, status } from "./sla.js";

export const maxSecondsPerIteration = defineSla({
  name: "max_seconds_per_iteration",
  description: "Maximum time for one iteration in seconds.",
  schema: Type.Number({ exclusiveMinimum: 0 }),
  create(limit) {
    let max = 0;
    return {
      add(iteration) {
        if (iteration.duration > max) max = iteration.duration;
      },
      result() {
        const success = max <= limit;
        return {
          criterion: "max_seconds_per_iteration",
          success,
          detail: `Maximum seconds per iteration ${fixed2(max)}s <= ${fixed2(limit)}s - ${status(success)}`,
        };
      },
    };
  },
});
