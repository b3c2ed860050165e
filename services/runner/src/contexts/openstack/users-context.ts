/**
 * `users` (Rally's `users@openstack`): creates `tenants` projects with `users_per_tenant` users
 * each (role `member` in their project) as the environment's admin, hands their credentials to
 * iterations, and deletes them afterwards. Clean-up also removes every user, project and role whose
 * name carries this run's prefix (`paddock_<run>_`), so what scenarios created (and what a failed
 * or aborted iteration left) goes too; nothing else is touched.
 */
import Type from "typebox";
import { createHttpClient } from "../../http-client.js";
import { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import { KeystoneSession, type OpenStackUser } from "../../openstack/keystone-session.js";
import {
  adminSessionOf,
  cloudTargetOf,
  listedUsersOf,
  randomNameOf,
  randomPassword,
  runPrefixOf,
} from "../../openstack/openstack-environment.js";
import type { ScenarioEnvironment } from "../../plugin.js";
import { ContextError, defineContext } from "../context.js";

/** The role created users get in their project (Rally's `keystone_default_role`). */
export const MEMBER_ROLE = "member";

/** A user of the context, with a session that reuses its token across iterations. */
export interface ContextUser {
  readonly id: string;
  readonly projectId: string;
  readonly credentials: OpenStackUser;
  readonly session: KeystoneSession;
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

/** Deletes every user, project and role named with this run's prefix; returns what could not be deleted. */
export async function sweepRun(environment: ScenarioEnvironment): Promise<string[]> {
  const identity = new KeystoneIdentity(adminSessionOf(environment), createHttpClient());
  const prefix = runPrefixOf(environment);
  const problems: string[] = [];
  for (const user of (await identity.listUsers()).filter((entity) => entity.name.startsWith(prefix))) {
    await identity
      .deleteUser(user.id)
      .catch((error: unknown) => problems.push(`user ${user.name}: ${String(error)}`));
  }
  for (const project of (await identity.listProjects()).filter((entity) => entity.name.startsWith(prefix))) {
    await identity
      .deleteProject(project.id)
      .catch((error: unknown) => problems.push(`project ${project.name}: ${String(error)}`));
  }
  for (const role of (await identity.listRoles()).filter((entity) => entity.name.startsWith(prefix))) {
    await identity
      .deleteRole(role.id)
      .catch((error: unknown) => problems.push(`role ${role.name}: ${String(error)}`));
  }
  return problems;
}

async function cleanUp(environment: ScenarioEnvironment): Promise<void> {
  usersByRun.delete(environment);
  const problems = await sweepRun(environment);
  if (problems.length > 0) throw new ContextError(`users: could not delete ${problems.join("; ")}`);
}

export const usersContext = defineContext({
  name: "users",
  description:
    "Creates projects with users (role member) for the iterations to run as, and deletes them and every user, project and role named paddock_<run>_ afterwards.",
  order: 100,
  schema,
  async setup(config, environment) {
    const target = cloudTargetOf(environment);
    const identity = new KeystoneIdentity(adminSessionOf(environment), createHttpClient());
    const tenants: Tenant[] = [];
    const projectDomain = config.project_domain ?? "Default";
    const userDomain = config.user_domain ?? "Default";
    usersByRun.set(environment, { tenants, choice: config.user_choice_method ?? "round_robin" });
    try {
      const projectDomainId = await identity.domainId(projectDomain);
      const userDomainId = await identity.domainId(userDomain);
      const member = (await identity.listRoles()).find((role) => role.name === MEMBER_ROLE);
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
          await identity.addRole(project.id, user.id, member.id);
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
            session: new KeystoneSession(target, credentials, createHttpClient()),
          });
        }
      }
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

/**
 * The user iteration `iteration` (from 1) runs as, chosen as Rally does: round robin over the
 * projects first (`iteration % tenants`), then over that project's users; or at random. Without
 * a `users` context, the environment's `spec.users` are used in turn; with neither, an error.
 */
export function userForIteration(
  environment: ScenarioEnvironment,
  iteration: number,
): ContextUser | OpenStackUser {
  const state = usersByRun.get(environment);
  const tenants = state?.tenants ?? [];
  if (tenants.length > 0) {
    if (state?.choice === "random") {
      const tenant = tenants[Math.floor(Math.random() * tenants.length)] as Tenant;
      return tenant.users[Math.floor(Math.random() * tenant.users.length)] as ContextUser;
    }
    const tenant = tenants[iteration % tenants.length] as Tenant;
    return tenant.users[Math.floor(iteration / tenants.length) % tenant.users.length] as ContextUser;
  }
  const listed = listedUsersOf(environment);
  const user = listed[(iteration - 1) % Math.max(listed.length, 1)];
  if (user === undefined) {
    throw new ContextError(
      `environment '${environment.name}' lists no users (spec.users) and the workload has no users context`,
    );
  }
  return user;
}

/** The credentials of `user` from `userForIteration`. */
export function credentialsOf(user: ContextUser | OpenStackUser): OpenStackUser {
  return "credentials" in user ? user.credentials : user;
}
