/** `failure_rate`: the percentage of failed iterations stays within `[min, max]` (defaults 0 and 100). */
import Type from "typebox";
import { defineSla, fixed2, status } from "./sla.js";

export const failureRate = defineSla({
  name: "failure_rate",
  description: "Failure rate minimum and maximum in percents.",
  schema: Type.Object(
    {
      min: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
      max: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    },
    { additionalProperties: false, minProperties: 1 },
  ),
  create(config) {
    const min = config.min ?? 0;
    const max = config.max ?? 100;
    let total = 0;
    let errors = 0;
    const rate = () => (total === 0 ? 0 : (errors * 100) / total);
    return {
      add(iteration) {
        total += 1;
        if (iteration.error.length > 0) errors += 1;
      },
      result() {
        const success = min <= rate() && rate() <= max;
        return {
          criterion: "failure_rate",
          success,
          detail: `Failure rate criteria ${fixed2(min)}% <= ${fixed2(rate())}% <= ${fixed2(max)}% - ${status(success)}`,
        };
      },
    };
  },
});
