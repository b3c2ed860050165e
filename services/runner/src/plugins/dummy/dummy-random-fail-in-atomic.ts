import { defineScenario, type ScenarioContext, Type } from "../../plugin.js";
import { KeyError } from "./dummy-errors.js";

function roulette(probability: number): void {
  if (Math.random() < probability) throw new KeyError("Dummy test exception");
}

async function twoNested(ctx: ScenarioContext, probability: number): Promise<void> {
  await ctx.atomic("dummy_fail_test", async () => {
    roulette(probability);
    await ctx.atomic("dummy_fail_inner_test", () => roulette(probability));
  });
}

/**
 * `Dummy.dummy_random_fail_in_atomic`: two `dummy_fail_test` atomics, each with a nested
 * `dummy_fail_inner_test`; each of the four places fails with a quarter of the probability
 * (or always, when it is 1).
 */
export const dummyRandomFailInAtomic = defineScenario({
  name: "Dummy.dummy_random_fail_in_atomic",
  description: "Dummy.dummy_random_fail_in_atomic in dummy actions.",
  args: Type.Object(
    {
      exception_probability: Type.Number({
        minimum: 0,
        maximum: 1,
        default: 0.5,
        description: "Probability with which atomic actions fail (0 <= p <= 1).",
      }),
    },
    { additionalProperties: false },
  ),
  async run(ctx, { exception_probability }) {
    const probability = exception_probability === 1 ? 1 : exception_probability / 4;
    await twoNested(ctx, probability);
    await twoNested(ctx, probability);
  },
});
