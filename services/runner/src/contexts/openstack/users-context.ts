/**
 * `users` (Rally's `users@openstack`): creates `tenants` projects with `users_per_tenant` users
 * each (role `member` in their project) as the environment's admin, hands them to iterations as
 * Rally does, and deletes them afterwards. Clean-up also removes every user, project, role and
 * service whose name carries this run's prefix (`paddock_<run>_`), so what a failed or aborted
 * iteration left goes too; nothing else is touched. Without a `users` context, iterations run as
 * the environment's `spec.users` in turn (Rally's existing users).
 */
import Type from "typebox";
import { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import type { KeystoneSession, OpenStackUser } from "../../openstack/keystone-session.js";
import {
  adminSessionOf,
  listedSessionsOf,
  randomNameOf,
  randomPassword,
  sessionOf,
} from "../../openstack/openstack-environment.js";
import { sweepRun } from "../../openstack/resource-sweeper.js";
import type { ScenarioEnvironment } from "../../plugin.js";
import { ContextError, defineContext } from "../context.js";

/** The role created users get in their project (Rally's `keystone_default_role`). */
export const MEMBER_ROLE = "member";

/** A user iterations run as, with a session that reuses its token across iterations. */
export interface ContextUser {
  readonly credentials: OpenStackUser;
  readonly session: KeystoneSession;
  /** Known for users the context created; read from the token for `spec.users`. */
  readonly id?: string | undefined;
  readonly projectId?: string | undefined;
}

interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly users: ContextUser[];
}

interface UsersState {
  readonly tenants: Tenant[];
  readonly choice: "random" | "round_robin";
}

const usersByRun = new WeakMap<ScenarioEnvironment, UsersState>();

const schema = Type.Object(
  {
    tenants: Type.Optional(Type.Integer({ minimum: 1, description: "Projects to create (default 1)." })),
    users_per_tenant: Type.Optional(
      Type.Integer({ minimum: 1, description: "Users to create in each project (default 1)." }),
    ),
    resource_management_workers: Type.Optional(
      Type.Integer({ minimum: 1, description: "Accepted for Rally compatibility; set-up is sequential." }),
    ),
    project_domain: Type.Optional(
      Type.String({ description: "Domain of the created projects (default Default)." }),
    ),
    user_domain: Type.Optional(
      Type.String({ description: "Domain of the created users (default Default)." }),
    ),
    user_choice_method: Type.Optional(
      Type.Union([Type.Literal("random"), Type.Literal("round_robin")], {
        description: "How iterations pick their user (default round_robin).",
      }),
    ),
  },
  { additionalProperties: false },
);

async function cleanUp(environment: ScenarioEnvironment): Promise<void> {
  const state = usersByRun.get(environment);
  usersByRun.delete(environment);
  const identity = new KeystoneIdentity(adminSessionOf(environment));
  const problems: string[] = [];
  for (const tenant of state?.tenants ?? []) {
    for (const user of tenant.users) {
      if (user.id === undefined) continue;
      await identity.deleteUser(user.id).catch((error: unknown) => {
        if ((error as { httpStatus?: number }).httpStatus !== 404)
          problems.push(`user ${user.id}: ${String(error)}`);
      });
    }
    await identity.deleteProject(tenant.id).catch((error: unknown) => {
      if ((error as { httpStatus?: number }).httpStatus !== 404)
        problems.push(`project ${tenant.id}: ${String(error)}`);
    });
  }
  problems.push(...(await sweepRun(environment, ["keystone"])));
  if (problems.length > 0) throw new ContextError(`users: could not delete ${problems.join("; ")}`);
}

export const usersContext = defineContext({
  name: "users",
  description:
    "Creates projects with users (role member) for the iterations to run as, and deletes them and every user, project, role and service named paddock_<run>_ afterwards.",
  order: 100,
  schema,
  async setup(config, environment) {
    const identity = new KeystoneIdentity(adminSessionOf(environment));
    const tenants: Tenant[] = [];
    const projectDomain = config.project_domain ?? "Default";
    const userDomain = config.user_domain ?? "Default";
    usersByRun.set(environment, { tenants, choice: config.user_choice_method ?? "round_robin" });
    try {
      const projectDomainId = await identity.domainId(projectDomain);
      const userDomainId = await identity.domainId(userDomain);
      const member = await identity.findRole(MEMBER_ROLE);
      if (member === undefined) throw new ContextError(`users: Keystone has no role '${MEMBER_ROLE}'`);
      for (let t = 0; t < (config.tenants ?? 1); t += 1) {
        const project = await identity.createProject(randomNameOf(environment), projectDomainId);
        const tenant: Tenant = { id: project.id, name: project.name, users: [] };
        tenants.push(tenant);
        for (let u = 0; u < (config.users_per_tenant ?? 1); u += 1) {
          const password = randomPassword();
          const user = await identity.createUser({
            name: randomNameOf(environment),
            password,
            domainId: userDomainId,
            projectId: project.id,
          });
          const credentials: OpenStackUser = {
            username: user.name,
            password,
            userDomainName: userDomain,
            projectName: project.name,
            projectDomainName: projectDomain,
          };
          tenant.users.push({
            id: user.id,
            projectId: project.id,
            credentials,
            session: sessionOf(environment, credentials),
          });
          await identity.addRole(project.id, user.id, member.id);
        }
      }
      // Rally orders projects by id when it hands users to iterations.
      tenants.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    } catch (error) {
      // The runner cleans up only contexts whose set-up finished: remove what was created here.
      await cleanUp(environment).catch(() => undefined);
      throw error;
    }
  },
  async cleanup(_config, environment) {
    await cleanUp(environment);
  },
});

function listedUsers(environment: ScenarioEnvironment): ContextUser[] {
  return listedSessionsOf(environment).map((session) => ({ credentials: session.user, session }));
}

/** Every user iterations may run as: the context's, or else the environment's `spec.users`. */
export function runUsersOf(environment: ScenarioEnvironment): ContextUser[] {
  const state = usersByRun.get(environment);
  if (state !== undefined) return state.tenants.flatMap((tenant) => tenant.users);
  return listedUsers(environment);
}

/** The first user of each project (Rally's `_iterate_per_tenants`), for per-project set-up. */
export function oneUserPerTenantOf(environment: ScenarioEnvironment): ContextUser[] {
  const state = usersByRun.get(environment);
  if (state !== undefined) return state.tenants.flatMap((tenant) => tenant.users.slice(0, 1));
  return listedUsers(environment);
}

/**
 * The user iteration `iteration` (from 1) runs as, chosen as Rally does: round robin over the
 * projects sorted by id (`(iteration - 1) % tenants`), then over that project's users
 * (`floor((iteration - 1) / tenants) % users`); or at random. Without a `users` context, the
 * environment's `spec.users` in turn; with neither, an error naming both.
 */
export function userForIteration(environment: ScenarioEnvironment, iteration: number): ContextUser {
  const state = usersByRun.get(environment);
  const tenants = state?.tenants ?? [];
  if (tenants.length > 0) {
    if (state?.choice === "random") {
      const tenant = tenants[Math.floor(Math.random() * tenants.length)] as Tenant;
      return tenant.users[Math.floor(Math.random() * tenant.users.length)] as ContextUser;
    }
    const index = iteration - 1;
    const tenant = tenants[index % tenants.length] as Tenant;
    return tenant.users[Math.floor(index / tenants.length) % tenant.users.length] as ContextUser;
  }
  const listed = listedUsers(environment);
  const user = listed[(iteration - 1) % Math.max(listed.length, 1)];
  if (user === undefined) {
    throw new ContextError(
      `environment '${environment.name}' lists no users (spec.users) and the workload has no users context`,
    );
  }
  return user;
}

/** The user's id and project id: from the context, or from its token (`spec.users`). */
export async function idsOf(user: ContextUser): Promise<{ userId: string; projectId: string }> {
  if (user.id !== undefined && user.projectId !== undefined) {
    return { userId: user.id, projectId: user.projectId };
  }
  const token = await user.session.token();
  if (token.projectId === undefined) {
    throw new ContextError(
      `user '${user.credentials.username}' has no project (set project_name for it in spec.users)`,
    );
  }
  return { userId: token.userId, projectId: token.projectId };
}
