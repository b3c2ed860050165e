/** `KeystoneBasic.create_user`, `create_delete_user`, `create_and_list_users` (as the admin). */
import { defineScenario, Type } from "../../plugin.js";
import { adminIdentity, createUser } from "./keystone-scenario.js";

const userArgs = Type.Object(
  {
    domain_name: Type.Optional(Type.String({ description: "Domain of the user (default Default)." })),
    enabled: Type.Optional(Type.Boolean({ description: "Create the user enabled (default true)." })),
    project_id: Type.Optional(Type.String({ description: "The user's default project." })),
  },
  { additionalProperties: false },
);

export const keystoneCreateUser = defineScenario({
  name: "KeystoneBasic.create_user",
  description: "Create a Keystone user with a random name (kept until the users context cleans up).",
  args: userArgs,
  async run(ctx, args) {
    await createUser(ctx, adminIdentity(ctx), args);
  },
});

export const keystoneCreateDeleteUser = defineScenario({
  name: "KeystoneBasic.create_delete_user",
  description: "Create a Keystone user with a random name and delete it.",
  args: userArgs,
  async run(ctx, args) {
    const identity = adminIdentity(ctx);
    const user = await createUser(ctx, identity, args);
    await ctx.atomic("keystone_v3.delete_user", () => identity.deleteUser(user.id));
  },
});

export const keystoneCreateAndListUsers = defineScenario({
  name: "KeystoneBasic.create_and_list_users",
  description: "Create a Keystone user with a random name, then list all users.",
  args: userArgs,
  async run(ctx, args) {
    const identity = adminIdentity(ctx);
    await createUser(ctx, identity, args);
    await ctx.atomic("keystone_v3.list_users", () => identity.listUsers());
  },
});
