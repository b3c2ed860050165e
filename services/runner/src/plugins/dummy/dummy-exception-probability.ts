import { defineScenario, Type } from "../../plugin.js";
import { DummyScenarioException } from "./dummy-errors.js";

/** `Dummy.dummy_exception_probability`: fails with probability `exception_probability`. */
export const dummyExceptionProbability = defineScenario({
  name: "Dummy.dummy_exception_probability",
  description: "Throws an exception with given probability.",
  args: Type.Object(
    {
      exception_probability: Type.Number({
        minimum: 0,
        maximum: 1,
        default: 0.5,
        description: "How likely an exception is: 0 never, 1 always.",
      }),
    },
    { additionalProperties: false },
  ),
  run(_ctx, { exception_probability }) {
    if (Math.random() < exception_probability) {
      throw new DummyScenarioException(`Dummy Scenario Exception: Probability: ${exception_probability}`);
    }
  },
});
