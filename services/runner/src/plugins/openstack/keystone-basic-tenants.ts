/** `KeystoneBasic.create_tenant`, `create_and_list_tenants`, `create_update_and_delete_tenant` (as the admin). */
import { randomNameOf } from "../../openstack/openstack-environment.js";
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

export const keystoneCreateUpdateAndDeleteTenant = defineScenario({
  name: "KeystoneBasic.create_update_and_delete_tenant",
  description: "Create a project (tenant), give it a new random name and description, then delete it.",
  args: tenantArgs,
  async run(ctx, args) {
    const identity = adminIdentity(ctx);
    const project = await createProject(ctx, identity, args.domain_name);
    const name = randomNameOf(ctx.environment);
    await ctx.atomic("keystone_v3.update_project", () =>
      identity.updateProject(project.id, name, `${name} description`),
    );
    await ctx.atomic("keystone_v3.delete_project", () => identity.deleteProject(project.id));
  },
});
