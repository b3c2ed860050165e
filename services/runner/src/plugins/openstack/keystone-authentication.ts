/**
 * `Authenticate.keystone` and `KeystoneBasic.authenticate_user_and_validate_token`: the scenarios
 * that measure authentication itself, so they ask Keystone for a new token on every iteration.
 * (Rally also runs version discovery, `GET /`, for each client it builds; Paddock does not.)
 */

import { credentialsOf, userForIteration } from "../../contexts/openstack/users-context.js";
import { createHttpClient } from "../../http-client.js";
import { KeystoneSession } from "../../openstack/keystone-session.js";
import { adminUserOf, cloudTargetOf } from "../../openstack/openstack-environment.js";
import { defineScenario, Type } from "../../plugin.js";
import { adminIdentity } from "./keystone-scenario.js";

export const authenticateKeystone = defineScenario({
  name: "Authenticate.keystone",
  description:
    "Authenticate the iteration's user with Keystone (password, project scope): a new token every iteration.",
  args: Type.Object({}, { additionalProperties: false }),
  async run(ctx) {
    const user = credentialsOf(userForIteration(ctx.environment, ctx.iteration));
    const session = new KeystoneSession(cloudTargetOf(ctx.environment), user, createHttpClient());
    await ctx.atomic("authenticate.keystone", () => session.authenticate(ctx.http));
  },
});

export const keystoneAuthenticateAndValidate = defineScenario({
  name: "KeystoneBasic.authenticate_user_and_validate_token",
  description: "Fetch a new token for the admin user, then validate it (GET /v3/auth/tokens).",
  args: Type.Object({}, { additionalProperties: false }),
  async run(ctx) {
    const fresh = new KeystoneSession(
      cloudTargetOf(ctx.environment),
      adminUserOf(ctx.environment),
      createHttpClient(),
    );
    const token = await ctx.atomic("keystone_v3.fetch_token", () => fresh.authenticate(ctx.http));
    const identity = adminIdentity(ctx);
    await ctx.atomic("keystone_v3.validate_token", () => identity.validateToken(token.id));
  },
});
