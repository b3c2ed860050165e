import { defineScenario, Type } from "../../plugin.js";

/**
 * `Dummy.dummy`: does nothing but wait `sleep` seconds inside atomic action `bar`, nested in
 * `foo`. The wait counts as work, not idle time, as in Rally. Like Rally's (which takes
 * `**kwargs`), it accepts extra arguments and ignores them.
 */
export const dummy = defineScenario({
  name: "Dummy.dummy",
  description: "Do nothing and sleep for the given number of seconds (0 by default).",
  args: Type.Object(
    { sleep: Type.Number({ minimum: 0, default: 0, description: "Idle time of method (in seconds)." }) },
    { additionalProperties: true },
  ),
  run(ctx, { sleep }) {
    return ctx.atomic("foo", () => ctx.atomic("bar", () => ctx.wait(sleep)));
  },
});
