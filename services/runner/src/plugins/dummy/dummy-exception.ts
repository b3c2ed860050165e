import { defineScenario, Type } from "../../plugin.js";
import { DummyScenarioException } from "./dummy-errors.js";

/** `Dummy.dummy_exception`: waits `sleep` seconds, then fails with `message` (or `size_of_message` M's). */
export const dummyException = defineScenario({
  name: "Dummy.dummy_exception",
  description: "Throws an exception.",
  args: Type.Object(
    {
      size_of_message: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
        default: 1,
        description: "Size of the exception message.",
      }),
      sleep: Type.Number({ minimum: 0, default: 1, description: "Idle time of method (in seconds)." }),
      message: Type.String({ default: "", description: "Message of the exception." }),
    },
    { additionalProperties: false },
  ),
  async run(ctx, args) {
    await ctx.wait(args.sleep);
    throw new DummyScenarioException(args.message || "M".repeat(args.size_of_message ?? 1));
  },
});
