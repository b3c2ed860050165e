/**
 * What OpenStack scenarios share: the sessions an iteration runs with (the run's, reused, or
 * with the `per_iteration_auth` context new ones that discover Keystone and authenticate as
 * Rally's clients do), and the calls Rally's `keystone_v3` service wraps in atomic actions — same
 * names, same nesting, same requests.
 */
import { type ContextUser, userForIteration } from "../../contexts/openstack/users-context.js";
import type { IdentityEntity, IdentityUser } from "../../openstack/keystone-identity.js";
import { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import type { KeystoneSession, OpenStackUser } from "../../openstack/keystone-session.js";
import {
  adminSessionOf,
  adminUserOf,
  randomNameOf,
  runOf,
  sessionOf,
} from "../../openstack/openstack-environment.js";
import type { ScenarioContext } from "../../plugin.js";
import { Type } from "../../plugin.js";

/** A new session of `user` that has discovered Keystone's version and authenticated (Rally's new client). */
export async function freshSession(ctx: ScenarioContext, user: OpenStackUser): Promise<KeystoneSession> {
  const session = sessionOf(ctx.environment, user);
  await session.discover(ctx.signal);
  await session.authenticate(ctx.signal);
  return session;
}

/** The admin session of the iteration: the run's, or a fresh one with `per_iteration_auth`. */
export async function adminSession(ctx: ScenarioContext): Promise<KeystoneSession> {
  if (runOf(ctx.environment).perIterationAuth) return freshSession(ctx, adminUserOf(ctx.environment));
  const session = adminSessionOf(ctx.environment);
  // Authenticate (once per run) before any atomic action starts, so none of them times it.
  await session.token();
  return session;
}

/** The admin's identity calls for the iteration, bound to its abort signal. */
export async function adminIdentity(ctx: ScenarioContext): Promise<KeystoneIdentity> {
  return new KeystoneIdentity(await adminSession(ctx), ctx.signal);
}

/** The iteration's user (as Rally chooses it) and the session it runs with. */
export async function iterationUser(
  ctx: ScenarioContext,
): Promise<{ readonly user: ContextUser; readonly session: KeystoneSession }> {
  const user = userForIteration(ctx.environment, ctx.iteration);
  if (runOf(ctx.environment).perIterationAuth)
    return { user, session: await freshSession(ctx, user.credentials) };
  await user.session.token();
  return { user, session: user.session };
}

/** Rally's `name_length`: accepted and ignored (deprecated since Rally 0.1.2). */
export const nameLength = Type.Optional(
  Type.Integer({ minimum: 1, description: "Ignored (Rally deprecated it): names are random." }),
);

/** `domain_name`: where created users and projects go. */
export const domainName = Type.Optional(
  Type.String({ description: "Domain (name or id) of what is created (default Default)." }),
);

/** What Rally's `create_user` takes as keyword arguments. */
export const createUserFields = {
  name_length: nameLength,
  password: Type.Optional(Type.String({ description: "Password of the created user (default none)." })),
  project_id: Type.Optional(
    Type.String({ description: "Default project of the user; it also gets default_role there." }),
  ),
  domain_name: domainName,
  enabled: Type.Optional(Type.Boolean({ description: "Create the user enabled (default true)." })),
  default_role: Type.Optional(Type.String({ description: "Role given in project_id (default member)." })),
};

export interface CreateUserArgs {
  readonly password?: string | undefined;
  readonly project_id?: string | undefined;
  readonly domain_name?: string | undefined;
  readonly enabled?: boolean | undefined;
  readonly default_role?: string | undefined;
}

/**
 * `keystone_v3.create_user`: domain lookup, `POST /users`, and with a project the role lookup
 * (`keystone_v3.list_roles`) and grant (`keystone_v3.add_role`) nested in it; then
 * `GET /users/{id}` outside it (Rally's client reads the user back when it converts it).
 */
export async function createUser(
  ctx: ScenarioContext,
  identity: KeystoneIdentity,
  args: CreateUserArgs,
): Promise<IdentityUser> {
  const created = await ctx.atomic("keystone_v3.create_user", async () => {
    const domainId = await identity.domainId(args.domain_name ?? "Default");
    const user = await identity.createUser({
      name: randomNameOf(ctx.environment),
      password: args.password,
      domainId,
      projectId: args.project_id,
      enabled: args.enabled ?? true,
    });
    if (args.project_id !== undefined) {
      const wanted = (args.default_role ?? "member").toLowerCase();
      const roles = await ctx.atomic("keystone_v3.list_roles", () => identity.listRoles());
      const role =
        roles.find((candidate) => candidate.name.toLowerCase() === wanted) ??
        roles.find((candidate) => candidate.name.toLowerCase().replace(/^_+|_+$/g, "") === wanted);
      if (role !== undefined) {
        const projectId = args.project_id;
        await ctx.atomic("keystone_v3.add_role", () => identity.addRole(projectId, user.id, role.id));
      }
    }
    return user;
  });
  return identity.getUser(created.id);
}

/** `keystone_v3.create_project`: domain lookup, `POST /projects`. */
export function createProject(
  ctx: ScenarioContext,
  identity: KeystoneIdentity,
  domain: string | undefined,
): Promise<IdentityEntity> {
  return ctx.atomic("keystone_v3.create_project", async () =>
    identity.createProject(randomNameOf(ctx.environment), await identity.domainId(domain ?? "Default")),
  );
}

/** `keystone_v3.create_role`: `POST /roles` (a domain lookup first when `domain` is given). */
export function createRole(
  ctx: ScenarioContext,
  identity: KeystoneIdentity,
  domain: string | undefined,
): Promise<IdentityEntity> {
  return ctx.atomic("keystone_v3.create_role", async () =>
    identity.createRole(
      randomNameOf(ctx.environment),
      domain === undefined ? undefined : await identity.domainId(domain),
    ),
  );
}

/** Contexts the KeystoneBasic scenarios run with (Rally's `admin_cleanup@openstack: [keystone]`). */
export const ADMIN_KEYSTONE_CLEANUP = { admin_cleanup: ["keystone"] } as const;
