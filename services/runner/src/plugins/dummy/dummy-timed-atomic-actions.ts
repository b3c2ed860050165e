import { defineScenario, Type } from "../../plugin.js";

/** `Dummy.dummy_timed_atomic_actions`: atomics `action_<i>` each waiting `i * sleep_factor` seconds. */
export const dummyTimedAtomicActions = defineScenario({
  name: "Dummy.dummy_timed_atomic_actions",
  description: "Run some sleepy atomic actions for SLA atomic action tests.",
  args: Type.Object(
    {
      number_of_actions: Type.Integer({
        minimum: 0,
        default: 5,
        description: "Number of atomic actions to create.",
      }),
      sleep_factor: Type.Number({
        minimum: 0,
        default: 1,
        description: "Multiplier for the number of seconds to sleep.",
      }),
    },
    { additionalProperties: false },
  ),
  async run(ctx, { number_of_actions, sleep_factor }) {
    for (let index = 0; index < number_of_actions; index += 1) {
      await ctx.atomic(`action_${index}`, () => ctx.wait(index * sleep_factor));
    }
  },
});
