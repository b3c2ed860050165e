import { defineScenario, Type } from "../../plugin.js";

/** `Dummy.dummy_random_action`: `actions_num` atomics `action_<i>`, each waiting a random time in [sleep_min, sleep_max]. */
export const dummyRandomAction = defineScenario({
  name: "Dummy.dummy_random_action",
  description: "Sleep random time in dummy actions.",
  args: Type.Object(
    {
      actions_num: Type.Integer({ minimum: 0, default: 5, description: "Number of actions to generate." }),
      sleep_min: Type.Number({ minimum: 0, default: 0, description: "Minimal time to sleep, seconds." }),
      sleep_max: Type.Number({ minimum: 0, default: 0, description: "Maximum time to sleep, seconds." }),
    },
    { additionalProperties: false },
  ),
  async run(ctx, { actions_num, sleep_min, sleep_max }) {
    for (let index = 0; index < actions_num; index += 1) {
      const seconds = sleep_min + Math.random() * (sleep_max - sleep_min);
      await ctx.atomic(`action_${index}`, () => ctx.wait(Math.max(0, seconds)));
    }
  },
});
