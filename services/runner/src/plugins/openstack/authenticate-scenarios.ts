/**
 * `Authenticate.keystone` and `Authenticate.validate_glance`: the scenarios that measure
 * authentication, as the iteration's user. `Authenticate.keystone` builds a new client every
 * iteration as Rally does (version discovery `GET <auth_url>`, then `POST /v3/auth/tokens`, both
 * in its atomic action). `Authenticate.validate_glance` lists images `repetitions` times, which
 * makes Glance validate the user's token with Keystone; it reuses the user's token unless the
 * `per_iteration_auth` context makes it authenticate first, as Rally's new Glance client does.
 */
import { userForIteration } from "../../contexts/openstack/users-context.js";
import { GlanceImages } from "../../openstack/glance-images.js";
import { defineScenario, Type } from "../../plugin.js";
import { freshSession, iterationUser } from "./openstack-scenario.js";

export const authenticateKeystone = defineScenario({
  name: "Authenticate.keystone",
  description:
    "Log the iteration's user in to Keystone as a new client does (version discovery, password authentication): a new token every iteration.",
  args: Type.Object({}, { additionalProperties: false }),
  async run(ctx) {
    const user = userForIteration(ctx.environment, ctx.iteration);
    await ctx.atomic("authenticate.keystone", () => freshSession(ctx, user.credentials));
  },
});

export const authenticateValidateGlance = defineScenario({
  name: "Authenticate.validate_glance",
  description:
    "List images repetitions times as the iteration's user, so that Glance validates its token with Keystone.",
  args: Type.Object(
    {
      repetitions: Type.Integer({
        minimum: 1,
        description: "How many times to list images (validate the token).",
      }),
    },
    { additionalProperties: false },
  ),
  async run(ctx, args) {
    const { session } = await iterationUser(ctx);
    const images = new GlanceImages(session, ctx.signal);
    await ctx.atomic("authenticate.validate_glance", async () => {
      for (let i = 0; i < args.repetitions; i += 1) await images.list();
    });
  },
});
