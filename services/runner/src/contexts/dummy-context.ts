/** `dummy_context`: does nothing, or fails on purpose, to exercise the engine (Rally's DummyContext). */
import Type from "typebox";
import { ContextError, defineContext } from "./context.js";

export const dummyContext = defineContext({
  name: "dummy_context",
  description: "Dummy context.",
  order: 750,
  // Keeps nothing for the iterations: a distributed workload may use it.
  distributable: true,
  schema: Type.Object(
    { fail_setup: Type.Optional(Type.Boolean()), fail_cleanup: Type.Optional(Type.Boolean()) },
    { additionalProperties: false },
  ),
  setup(config) {
    if (config.fail_setup === true) throw new ContextError("Oops...setup is failed");
  },
  cleanup(config) {
    if (config.fail_cleanup === true) throw new ContextError("Oops...cleanup is failed");
  },
});
