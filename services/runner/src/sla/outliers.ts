/**
 * `outliers`: counts successful iterations slower than mean + `sigmas`·std of the successful
 * iterations before them (once `min_iterations` have been seen); passes while the count ≤ `max`.
 * Same streaming approximation as Rally, so the verdicts agree.
 */
import Type from "typebox";
import { defineSla, status } from "./sla.js";

export const outliers = defineSla({
  name: "outliers",
  description: "Limit the number of outliers (iterations that take too much time).",
  schema: Type.Object(
    {
      max: Type.Optional(Type.Integer({ minimum: 0 })),
      min_iterations: Type.Optional(Type.Integer({ minimum: 3 })),
      sigmas: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    },
    { additionalProperties: false },
  ),
  create(config) {
    const maxOutliers = config.max ?? 0;
    const minIterations = config.min_iterations ?? 3;
    const sigmas = config.sigmas ?? 3.0;
    let iterations = 0;
    let found = 0;
    let threshold: number | undefined;
    let mean = 0;
    let devSum = 0;
    return {
      add(iteration) {
        if (iteration.error.length > 0) return;
        const duration = iteration.duration;
        iterations += 1;
        if (iterations >= minIterations && threshold !== undefined && threshold > 0 && duration > threshold) {
          found += 1;
        }
        const previousMean = mean;
        mean += (duration - mean) / iterations;
        devSum += (duration - previousMean) * (duration - mean);
        if (iterations >= 2) threshold = mean + sigmas * Math.sqrt(devSum / (iterations - 1));
      },
      result() {
        const success = found <= maxOutliers;
        return {
          criterion: "outliers",
          success,
          detail: `Maximum number of outliers ${found} <= ${maxOutliers} - ${status(success)}`,
        };
      },
    };
  },
});
