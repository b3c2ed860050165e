/**
 * The user scenarios of `KeystoneBasic` (as the admin): create_user, create_delete_user,
 * create_user_set_enabled_and_delete, create_and_list_users, create_user_update_password,
 * create_and_update_user, and authenticate_user_and_validate_token.
 */
import { adminUserOf, randomPassword } from "../../openstack/openstack-environment.js";
import { ScenarioAssertionFailed } from "../../openstack/openstack-errors.js";
import { defineScenario, Type } from "../../plugin.js";
import {
  ADMIN_KEYSTONE_CLEANUP,
  adminIdentity,
  createUser,
  createUserFields,
  freshSession,
  nameLength,
} from "./openstack-scenario.js";

const userArgs = Type.Object(createUserFields, { additionalProperties: false });

export const keystoneCreateUser = defineScenario({
  name: "KeystoneBasic.create_user",
  description: "Create a Keystone user with a random name.",
  args: userArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    await createUser(ctx, await adminIdentity(ctx), args);
  },
});

export const keystoneCreateDeleteUser = defineScenario({
  name: "KeystoneBasic.create_delete_user",
  description: "Create a Keystone user with a random name and delete it.",
  args: userArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const user = await createUser(ctx, identity, args);
    await ctx.atomic("keystone_v3.delete_user", () => identity.deleteUser(user.id));
  },
});

export const keystoneCreateUserSetEnabledAndDelete = defineScenario({
  name: "KeystoneBasic.create_user_set_enabled_and_delete",
  description: "Create a Keystone user enabled or not, toggle its enabled flag, and delete it.",
  args: Type.Object(
    {
      ...createUserFields,
      enabled: Type.Optional(
        Type.Boolean({ default: true, description: "Initial enabled flag (then toggled)." }),
      ),
    },
    { additionalProperties: false },
  ),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const enabled = args.enabled ?? true;
    const user = await createUser(ctx, identity, { ...args, enabled });
    await ctx.atomic("keystone_v3.update_user", () => identity.updateUser(user.id, { enabled: !enabled }));
    await ctx.atomic("keystone_v3.delete_user", () => identity.deleteUser(user.id));
  },
});

export const keystoneCreateAndListUsers = defineScenario({
  name: "KeystoneBasic.create_and_list_users",
  description: "Create a Keystone user with a random name, then list all users.",
  args: userArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    await createUser(ctx, identity, args);
    await ctx.atomic("keystone_v3.list_users", () => identity.listUsers());
  },
});

export const keystoneCreateUserUpdatePassword = defineScenario({
  name: "KeystoneBasic.create_user_update_password",
  description: "Create a Keystone user, then give it a new random password.",
  args: Type.Object(
    {
      name_length: nameLength,
      password_length: Type.Optional(
        Type.Integer({ minimum: 1, description: "Ignored (Rally deprecated it)." }),
      ),
    },
    { additionalProperties: false },
  ),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx) {
    const identity = await adminIdentity(ctx);
    const user = await createUser(ctx, identity, {});
    const password = randomPassword();
    await ctx.atomic("keystone_v3.update_user", () => identity.updateUser(user.id, { password }));
  },
});

const userChanges = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    name: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const keystoneCreateAndUpdateUser = defineScenario({
  name: "KeystoneBasic.create_and_update_user",
  description:
    "Create a Keystone user, update it with update_user_kwargs, read it back and check the changes.",
  args: Type.Object(
    {
      create_user_kwargs: Type.Optional(Type.Object(createUserFields, { additionalProperties: false })),
      update_user_kwargs: Type.Optional(userChanges),
    },
    { additionalProperties: false },
  ),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const changes = args.update_user_kwargs ?? {};
    const user = await createUser(ctx, identity, args.create_user_kwargs ?? {});
    await ctx.atomic("keystone_v3.update_user", () => identity.updateUser(user.id, changes));
    const updated = await identity.getUser(user.id);
    for (const key of ["enabled", "name", "email"] as const) {
      if (changes[key] !== undefined && updated[key] !== changes[key]) {
        throw new ScenarioAssertionFailed(
          `${key} isn't updated: Keystone shows ${JSON.stringify(updated[key])}, expected ${JSON.stringify(changes[key])}`,
        );
      }
    }
  },
});

export const keystoneAuthenticateAndValidate = defineScenario({
  name: "KeystoneBasic.authenticate_user_and_validate_token",
  description: "Fetch a new token for the admin user, then validate it (GET /v3/auth/tokens).",
  args: Type.Object({}, { additionalProperties: false }),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx) {
    const identity = await adminIdentity(ctx);
    // Rally's fetch_token builds a new client: version discovery and a password authentication.
    const fresh = await ctx.atomic("keystone_v3.fetch_token", () =>
      freshSession(ctx, adminUserOf(ctx.environment)),
    );
    const token = await fresh.token();
    await ctx.atomic("keystone_v3.validate_token", () => identity.validateToken(token.id));
  },
});
