/**
 * `max_avg_duration_per_atomic`: for each named top-level atomic action, its mean duration over
 * the successful iterations stays at or below the value (an action never seen counts as 0).
 */
import Type from "typebox";
import { defineSla, fixed2, status } from "./sla.js";

export const maxAvgDurationPerAtomic = defineSla({
  name: "max_avg_duration_per_atomic",
  description: "Maximum average duration of one iterations atomic actions in seconds.",
  schema: Type.Record(Type.String(), Type.Number({ description: "The name of atomic action." }), {
    minProperties: 1,
  }),
  create(limits) {
    const sums = new Map<string, { count: number; total: number }>();
    const avg = (name: string) => {
      const sum = sums.get(name);
      return sum === undefined || sum.count === 0 ? 0 : sum.total / sum.count;
    };
    const criteria = Object.entries(limits);
    return {
      add(iteration) {
        if (iteration.error.length > 0) return;
        for (const action of iteration.atomic_actions) {
          const started = action.started_at || 0;
          const finished = action.finished_at || started;
          let sum = sums.get(action.name);
          if (sum === undefined) {
            sum = { count: 0, total: 0 };
            sums.set(action.name, sum);
          }
          sum.count += 1;
          sum.total += finished - started;
        }
      },
      result() {
        const success = criteria.every(([name, limit]) => avg(name) <= limit);
        const lines = criteria.map(
          ([name, limit]) => `Action: '${name}'. ${fixed2(avg(name))}s <= ${fixed2(limit)}s`,
        );
        return {
          criterion: "max_avg_duration_per_atomic",
          success,
          detail: [
            "Average duration of one iteration for atomic actions:",
            ...lines,
            `Status: ${status(success)}`,
          ].join("\n"),
        };
      },
    };
  },
});
