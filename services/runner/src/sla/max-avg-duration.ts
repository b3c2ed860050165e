/** `max_avg_duration`: the mean duration of the successful iterations stays at or below the value. */
import Type from "typebox";
import { defineSla, fixed2, status } from "./sla.js";

export const maxAvgDuration = defineSla({
  name: "max_avg_duration",
  description: "Maximum average duration of one iteration in seconds.",
  schema: Type.Number({ exclusiveMinimum: 0 }),
  create(limit) {
    let count = 0;
    let total = 0;
    const avg = () => (count === 0 ? 0 : total / count);
    return {
      add(iteration) {
        if (iteration.error.length > 0) return;
        count += 1;
        total += iteration.duration;
      },
      result() {
        const success = avg() <= limit;
        return {
          criterion: "max_avg_duration",
          success,
          detail: `Average duration of one iteration ${fixed2(avg())}s <= ${fixed2(limit)}s - ${status(success)}`,
        };
      },
    };
  },
});
