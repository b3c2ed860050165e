/**
 * The service scenarios of `KeystoneBasic` (as the admin): create_and_delete_service,
 * create_and_list_services, and get_entities (a project, user, role and service read by id).
 */
import type { IdentityService, KeystoneIdentity } from "../../openstack/keystone-identity.js";
import { randomNameOf } from "../../openstack/openstack-environment.js";
import { ResourceNotFound } from "../../openstack/openstack-errors.js";
import { defineScenario, type ScenarioContext, Type } from "../../plugin.js";
import {
  ADMIN_KEYSTONE_CLEANUP,
  adminIdentity,
  createProject,
  createRole,
  createUser,
} from "./openstack-scenario.js";

const serviceArgs = Type.Object(
  {
    name: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: "Ignored (Rally deprecated it): names are random.",
      }),
    ),
    service_type: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: "Type of the service (default rally_test_type).",
      }),
    ),
    description: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { description: "Description (default random)." }),
    ),
  },
  { additionalProperties: false },
);

/** `keystone_v3.create_service`: `POST /services` with a random name. */
function createService(
  ctx: ScenarioContext,
  identity: KeystoneIdentity,
  type: string | null | undefined,
  description: string | null | undefined,
): Promise<IdentityService> {
  return ctx.atomic("keystone_v3.create_service", () =>
    identity.createService(
      randomNameOf(ctx.environment),
      type ?? "rally_test_type",
      description ?? randomNameOf(ctx.environment),
    ),
  );
}

export const keystoneCreateAndDeleteService = defineScenario({
  name: "KeystoneBasic.create_and_delete_service",
  description: "Create a Keystone service with a random name and delete it.",
  args: serviceArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const service = await createService(ctx, identity, args.service_type, args.description);
    await ctx.atomic("keystone_v3.delete_service", () => identity.deleteService(service.id));
  },
});

export const keystoneCreateAndListServices = defineScenario({
  name: "KeystoneBasic.create_and_list_services",
  description: "Create a Keystone service with a random name, then list all services.",
  args: serviceArgs,
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    await createService(ctx, identity, args.service_type, args.description);
    await ctx.atomic("keystone_v3.list_services", () => identity.listServices());
  },
});

export const keystoneGetEntities = defineScenario({
  name: "KeystoneBasic.get_entities",
  description:
    "Create a project, a user in it and a role, then read each back by id, and a service: the one named service_name (found in the list of services), or with service_name null a new one.",
  args: Type.Object(
    {
      service_name: Type.Optional(
        Type.Union([Type.String(), Type.Null()], {
          default: "keystone",
          description: "Service to read by id (default keystone); null creates a service and reads it.",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  contexts: ADMIN_KEYSTONE_CLEANUP,
  async run(ctx, args) {
    const identity = await adminIdentity(ctx);
    const project = await createProject(ctx, identity, undefined);
    const user = await createUser(ctx, identity, { project_id: project.id });
    const role = await createRole(ctx, identity, undefined);
    await ctx.atomic("keystone_v3.get_project", () => identity.getProject(project.id));
    await ctx.atomic("keystone_v3.get_user", () => identity.getUser(user.id));
    await ctx.atomic("keystone_v3.get_role", () => identity.getRole(role.id));
    const wanted = args.service_name === undefined ? "keystone" : args.service_name;
    let service: IdentityService;
    if (wanted === null) service = await createService(ctx, identity, undefined, undefined);
    else {
      const services = await ctx.atomic("keystone_v3.list_services", () => identity.listServices());
      const found = services.find((candidate) => candidate.name === wanted);
      if (found === undefined) {
        throw new ResourceNotFound(
          `Keystone has no service named '${wanted}' (it has: ${services.map((item) => item.name).join(", ")})`,
        );
      }
      service = found;
    }
    await ctx.atomic("keystone_v3.get_services", () => identity.getService(service.id));
  },
});
