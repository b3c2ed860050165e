/**
 * `roles` (Rally's `roles@openstack`): gives every user of the run (the `users` context's, or the
 * environment's `spec.users`) each listed existing role in its project, and takes back at clean-up
 * exactly the assignments it made — a role a user already had is left alone.
 */
import Type from "typebox";
import { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import { adminSessionOf } from "../../openstack/openstack-environment.js";
import type { ScenarioEnvironment } from "../../plugin.js";
import { ContextError, defineContext } from "../context.js";
import { idsOf, runUsersOf } from "./users-context.js";

interface Assignment {
  readonly roleId: string;
  readonly userId: string;
  readonly projectId: string;
}

const assignmentsByRun = new WeakMap<ScenarioEnvironment, Assignment[]>();

async function revokeAll(environment: ScenarioEnvironment): Promise<string[]> {
  const assignments = assignmentsByRun.get(environment) ?? [];
  assignmentsByRun.delete(environment);
  const identity = new KeystoneIdentity(adminSessionOf(environment));
  const problems: string[] = [];
  for (const { roleId, userId, projectId } of assignments) {
    await identity.revokeRole(projectId, userId, roleId).catch((error: unknown) => {
      if ((error as { httpStatus?: number }).httpStatus !== 404) {
        problems.push(
          `role ${roleId} of user ${userId}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
  }
  return problems;
}

export const rolesContext = defineContext({
  name: "roles",
  description:
    "Gives every user of the run the listed existing roles in its project, and revokes at the end the assignments it made.",
  order: 330,
  schema: Type.Array(Type.String({ description: "The name of a role to assign to every user" })),
  async setup(config, environment) {
    const identity = new KeystoneIdentity(adminSessionOf(environment));
    const assignments: Assignment[] = [];
    assignmentsByRun.set(environment, assignments);
    try {
      const users = runUsersOf(environment);
      if (users.length === 0) {
        throw new ContextError("roles: the run has no users (add a users context or spec.users)");
      }
      const existing = await identity.listRoles();
      const held = new Map<string, Set<string>>();
      for (const name of config) {
        const role = existing.find((candidate) => candidate.name === name);
        if (role === undefined) throw new ContextError(`roles: there is no role with name \`${name}\``);
        for (const user of users) {
          const { userId, projectId } = await idsOf(user);
          const key = `${userId}/${projectId}`;
          let roles = held.get(key);
          if (roles === undefined) {
            roles = new Set((await identity.listUserProjectRoles(projectId, userId)).map((item) => item.id));
            held.set(key, roles);
          }
          if (roles.has(role.id)) continue;
          await identity.addRole(projectId, userId, role.id);
          roles.add(role.id);
          assignments.push({ roleId: role.id, userId, projectId });
        }
      }
    } catch (error) {
      await revokeAll(environment).catch(() => undefined);
      throw error;
    }
  },
  async cleanup(_config, environment) {
    const problems = await revokeAll(environment);
    if (problems.length > 0) throw new ContextError(`roles: could not revoke ${problems.join("; ")}`);
  },
});
