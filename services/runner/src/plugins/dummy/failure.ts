import { defineScenario, Type } from "../../plugin.js";
import { DummyScenarioException } from "./dummy-errors.js";

/** `Dummy.failure`: fails every `each`-th iteration numbered from `from_iteration` to `to_iteration`. */
export const failure = defineScenario({
  name: "Dummy.failure",
  description: "Raise errors in some iterations.",
  args: Type.Object(
    {
      sleep: Type.Number({ minimum: 0, default: 0.1, description: "Iteration sleep time in seconds." }),
      from_iteration: Type.Integer({ default: 0, description: "First iteration of the failing range." }),
      to_iteration: Type.Integer({ default: 0, description: "Last iteration of the failing range." }),
      each: Type.Integer({
        default: 1,
        description: "Within the range, every `each`-th iteration fails (0: none).",
      }),
    },
    { additionalProperties: false },
  ),
  async run(ctx, args) {
    await ctx.wait(args.sleep);
    if (args.from_iteration <= ctx.iteration && ctx.iteration <= args.to_iteration) {
      if (args.each !== 0 && ctx.iteration % args.each === 0) {
        throw new DummyScenarioException("Expected failure");
      }
    }
  },
});
