/** `KeystoneBasic.create_and_delete_role`, `create_and_get_role`, `create_and_list_roles` (as the admin). */
import type { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import { randomNameOf } from "../../openstack/openstack-environment.js";
import { defineScenario, type ScenarioContext, Type } from "../../plugin.js";
import { adminIdentity } from "./keystone-scenario.js";

const roleArgs = Type.Object(
  {
    domain_name: Type.Optional(Type.String({ description: "Create a domain-specific role in this domain." })),
  },
  { additionalProperties: false },
);

/** `keystone_v3.create_role`: `POST /roles` (a domain lookup first when `domainName` is given). */
function createRole(ctx: ScenarioContext, identity: KeystoneIdentity, domainName: string | undefined) {
  return ctx.atomic("keystone_v3.create_role", async () =>
    identity.createRole(
      randomNameOf(ctx.environment),
      domainName === undefined ? undefined : await identity.domainId(domainName),
    ),
  );
}

export const keystoneCreateAndDeleteRole = defineScenario({
  name: "KeystoneBasic.create_and_delete_role",
  description: "Create a role with a random name and delete it.",
  args: roleArgs,
  async run(ctx, args) {
    const identity = adminIdentity(ctx);
    const role = await createRole(ctx, identity, args.domain_name);
    await ctx.atomic("keystone_v3.delete_role", () => identity.deleteRole(role.id));
  },
});

export const keystoneCreateAndGetRole = defineScenario({
  name: "KeystoneBasic.create_and_get_role",
  description: "Create a role with a random name and read it back.",
  args: roleArgs,
  async run(ctx, args) {
    const identity = adminIdentity(ctx);
    const role = await createRole(ctx, identity, args.domain_name);
    await ctx.atomic("keystone_v3.get_role", () => identity.getRole(role.id));
  },
});

export const keystoneCreateAndListRoles = defineScenario({
  name: "KeystoneBasic.create_and_list_roles",
  description: "Create a role with a random name, then list all roles.",
  args: Type.Object(
    {
      create_role_kwargs: Type.Optional(roleArgs),
      list_role_kwargs: Type.Optional(Type.Object({}, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
  async run(ctx, args) {
    const identity = adminIdentity(ctx);
    await createRole(ctx, identity, args.create_role_kwargs?.domain_name);
    await ctx.atomic("keystone_v3.list_roles", () => identity.listRoles());
  },
});
