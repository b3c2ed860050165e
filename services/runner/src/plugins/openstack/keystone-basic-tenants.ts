/**
 * The project (tenant) scenarios of `KeystoneBasic` (as the admin): create_tenant,
 * create_and_list_tenants, create_update_and_delete_tenant and create_tenant_with_users.
 */
import { randomNameOf } from "../../openstack/openstack-environment.js";
import { defineScenario, Type } from "../../plugin.js";
import {
  ADMIN_KEYSTONE_CLEANUP,
  adminIdentity,
  createProject,
  domainName,
  nameLength,
} from "./openstack-scenario.js";

const tenantArgs = Type.Object(
  { name_length: nameLength, domain_name: domainName },
  { additionalProperties: false },
);

export const keystoneCreateTenant = defineScenario({
  name: "KeystoneBasic.create_tenant",
  description: "Create a Keystone project (tenant) with a random name.",
  args: tenantArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    await createProject(ctx, await adminIdentity(ctx), args.domain_name);
  },
});

export const keystoneCreateAndListTenants = defineScenario({
  name: "KeystoneBasic.create_and_list_tenants",
  description: "Create a Keystone project (tenant) with a random name, then list all projects.",
  args: tenantArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    await createProject(ctx, identity, args.domain_name);
    await ctx.atomic("keystone_v3.list_projects", () => identity.listProjects());
  },
});

export const keystoneCreateUpdateAndDeleteTenant = defineScenario({
  name: "KeystoneBasic.create_update_and_delete_tenant",
  description: "Create a project (tenant), give it a new random name and description, then delete it.",
  args: tenantArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const project = await createProject(ctx, identity, args.domain_name);
    const name = randomNameOf(ctx.environment);
    const description = randomNameOf(ctx.environment);
    await ctx.atomic("keystone_v3.update_project", () =>
      identity.updateProject(project.id, name, description),
    );
    await ctx.atomic("keystone_v3.delete_project", () => identity.deleteProject(project.id));
  },
});

export const keystoneCreateTenantWithUsers = defineScenario({
  name: "KeystoneBasic.create_tenant_with_users",
  description:
    "Create a project (tenant) and users_per_tenant users in it, each given the member role there.",
  args: Type.Object(
    {
      users_per_tenant: Type.Integer({ minimum: 1, description: "Users to create in the project." }),
      name_length: nameLength,
      domain_name: domainName,
    },
    { additionalProperties: false },
  ),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const project = await createProject(ctx, identity, args.domain_name);
    // Rally's create_users: the users are created inside the atomic action, read back after it.
    const created: string[] = [];
    await ctx.atomic("keystone_v3.create_users", async () => {
      for (let i = 0; i < args.users_per_tenant; i += 1) {
        const user = await ctx.atomic("keystone_v3.create_user", async () => {
          const domainId = await identity.domainId("Default");
          const made = await identity.createUser({
            name: randomNameOf(ctx.environment),
            domainId,
            projectId: project.id,
          });
          const roles = await ctx.atomic("keystone_v3.list_roles", () => identity.listRoles());
          const member = roles.find((role) => role.name.toLowerCase() === "member");
          if (member !== undefined) {
            await ctx.atomic("keystone_v3.add_role", () => identity.addRole(project.id, made.id, member.id));
          }
          return made;
        });
        created.push(user.id);
      }
    });
    for (const id of created) await identity.getUser(id);
  },
});
