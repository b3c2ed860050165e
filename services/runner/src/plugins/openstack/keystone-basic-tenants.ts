/** `KeystoneBasic.create_tenant`, `create_and_list_tenants` (as the admin). */
import { defineScenario, Type } from "../../plugin.js";
import { adminIdentity, createProject } from "./keystone-scenario.js";

const tenantArgs = Type.Object(
  { domain_name: Type.Optional(Type.String({ description: "Domain of the project (default Default)." })) },
  { additionalProperties: false },
);

export const keystoneCreateTenant = defineScenario({
  name: "KeystoneBasic.create_tenant",
  description:
    "Create a Keystone project (tenant) with a random name (kept until the users context cleans up).",
  args: tenantArgs,
  async run(ctx, args) {
    await createProject(ctx, adminIdentity(ctx), args.domain_name);
  },
});

export const keystoneCreateAndListTenants = defineScenario({
  name: "KeystoneBasic.create_and_list_tenants",
  description: "Create a Keystone project (tenant) with a random name, then list all projects.",
  args: tenantArgs,
  async run(ctx, args) {
    const identity = adminIdentity(ctx);
    await createProject(ctx, identity, args.domain_name);
    await ctx.atomic("keystone_v3.list_projects", () => identity.listProjects());
  },
});
