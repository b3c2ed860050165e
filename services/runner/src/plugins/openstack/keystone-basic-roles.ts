/**
 * The role scenarios of `KeystoneBasic` (as the admin): create_and_delete_role,
 * create_and_get_role, create_and_list_roles, and — on the iteration's user and project —
 * add_and_remove_user_role and create_add_and_list_user_roles.
 */
import { idsOf, userForIteration } from "../../contexts/openstack/users-context.js";
import { ScenarioAssertionFailed } from "../../openstack/openstack-errors.js";
import { defineScenario, Type } from "../../plugin.js";
import { ADMIN_KEYSTONE_CLEANUP, adminIdentity, createRole } from "./openstack-scenario.js";

const roleArgs = Type.Object(
  {
    domain_name: Type.Optional(Type.String({ description: "Create a domain-specific role in this domain." })),
  },
  { additionalProperties: false },
);

export const keystoneCreateAndDeleteRole = defineScenario({
  name: "KeystoneBasic.create_and_delete_role",
  description: "Create a role with a random name and delete it.",
  args: Type.Object({}, { additionalProperties: false }),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx) {
    const identity = await adminIdentity(ctx);
    const role = await createRole(ctx, identity, undefined);
    await ctx.atomic("keystone_v3.delete_role", () => identity.deleteRole(role.id));
  },
});

export const keystoneCreateAndGetRole = defineScenario({
  name: "KeystoneBasic.create_and_get_role",
  description: "Create a role with a random name and read it back.",
  args: roleArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const role = await createRole(ctx, identity, args.domain_name);
    await ctx.atomic("keystone_v3.get_role", () => identity.getRole(role.id));
  },
});

export const keystoneCreateAndListRoles = defineScenario({
  name: "KeystoneBasic.create_and_list_roles",
  description: "Create a role with a random name, then list all roles and check it is there.",
  args: Type.Object(
    {
      create_role_kwargs: Type.Optional(roleArgs),
      list_role_kwargs: Type.Optional(Type.Object({}, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const role = await createRole(ctx, identity, args.create_role_kwargs?.domain_name);
    const roles = await ctx.atomic("keystone_v3.list_roles", () => identity.listRoles());
    if (!roles.some((listed) => listed.id === role.id)) {
      throw new ScenarioAssertionFailed(
        `Created role is not in the list of all available roles (role ${role.name}, ${roles.length} listed)`,
      );
    }
  },
});

export const keystoneAddAndRemoveUserRole = defineScenario({
  name: "KeystoneBasic.add_and_remove_user_role",
  description: "Create a role, give it to the iteration's user in its project, then take it back.",
  args: Type.Object({}, { additionalProperties: false }),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx) {
    const { userId, projectId } = await idsOf(userForIteration(ctx.environment, ctx.iteration));
    const identity = await adminIdentity(ctx);
    const role = await createRole(ctx, identity, undefined);
    await ctx.atomic("keystone_v3.add_role", () => identity.addRole(projectId, userId, role.id));
    await ctx.atomic("keystone_v3.revoke_role", () => identity.revokeRole(projectId, userId, role.id));
  },
});

export const keystoneCreateAddAndListUserRoles = defineScenario({
  name: "KeystoneBasic.create_add_and_list_user_roles",
  description:
    "Create a role, give it to the iteration's user in its project, then list the user's roles there.",
  args: Type.Object({}, { additionalProperties: false }),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx) {
    const { userId, projectId } = await idsOf(userForIteration(ctx.environment, ctx.iteration));
    const identity = await adminIdentity(ctx);
    const role = await createRole(ctx, identity, undefined);
    await ctx.atomic("keystone_v3.add_role", () => identity.addRole(projectId, userId, role.id));
    await ctx.atomic("keystone_v3.list_roles", () => identity.listUserProjectRoles(projectId, userId));
  },
});
