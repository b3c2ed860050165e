/**
 * The clean-up pass: deletes what one run created in the cloud and nothing else — every image,
 * user, project, role and service whose name starts with the run's prefix (`paddock_<run>_`),
 * found by listing them as the admin, and the EC2 credentials the run recorded (they have no
 * name). A resource already gone (404) is not a problem; anything else that cannot be deleted is
 * returned as a readable line, and the sweep goes on with the rest.
 */
import type { ScenarioEnvironment } from "../plugin.js";
import { GlanceImages } from "./glance-images.js";
import { type IdentityEntity, KeystoneIdentity } from "./keystone-identity.js";
import type { KeystoneSession } from "./keystone-session.js";
import { adminSessionOf, listedSessionsOf, runOf, runPrefixOf } from "./openstack-environment.js";
import { EndpointNotFound } from "./openstack-errors.js";

/** Services whose resources a sweep can remove (Rally's cleanup resource names). */
export type SweptService = "keystone" | "glance";

function gone(error: unknown): boolean {
  return (error as { httpStatus?: unknown }).httpStatus === 404;
}

async function attempt(problems: string[], what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!gone(error)) problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function hasAdmin(environment: ScenarioEnvironment): boolean {
  return environment.spec.admin !== undefined;
}

async function sweepImages(environment: ScenarioEnvironment, prefix: string, problems: string[]) {
  const sessions: KeystoneSession[] = hasAdmin(environment)
    ? [adminSessionOf(environment)]
    : listedSessionsOf(environment);
  for (const session of sessions) {
    try {
      await session.endpoint("image");
    } catch (error) {
      if (error instanceof EndpointNotFound) return;
      throw error;
    }
    const images = new GlanceImages(session);
    for (const image of await images.list()) {
      if (typeof image.name === "string" && image.name.startsWith(prefix)) {
        await attempt(problems, `image ${image.name} (${image.id})`, () => images.delete(image.id));
      }
    }
  }
}

async function sweepIdentity(environment: ScenarioEnvironment, prefix: string, problems: string[]) {
  const run = runOf(environment);
  const credentials = run.credentials.splice(0);
  if (!hasAdmin(environment)) {
    for (const session of listedSessionsOf(environment)) {
      const identity = new KeystoneIdentity(session);
      const userId = (await session.token()).userId;
      for (const credential of credentials.filter((item) => item.userId === userId)) {
        await attempt(problems, `EC2 credential ${credential.access}`, () =>
          identity.deleteEc2Credential(credential.userId, credential.access),
        );
      }
    }
    return;
  }
  const identity = new KeystoneIdentity(adminSessionOf(environment));
  for (const credential of credentials) {
    await attempt(problems, `EC2 credential ${credential.access}`, () =>
      identity.deleteEc2Credential(credential.userId, credential.access),
    );
  }
  const ours = (entities: readonly IdentityEntity[]) =>
    entities.filter((entity) => typeof entity.name === "string" && entity.name.startsWith(prefix));
  for (const user of ours(await identity.listUsers())) {
    await attempt(problems, `user ${user.name}`, () => identity.deleteUser(user.id));
  }
  for (const project of ours(await identity.listProjects())) {
    await attempt(problems, `project ${project.name}`, () => identity.deleteProject(project.id));
  }
  for (const role of ours(await identity.listRoles())) {
    await attempt(problems, `role ${role.name}`, () => identity.deleteRole(role.id));
  }
  for (const service of ours(await identity.listServices())) {
    await attempt(problems, `service ${service.name}`, () => identity.deleteService(service.id));
  }
}

/** Deletes this run's resources of `services`; returns what could not be deleted (empty: all gone). */
export async function sweepRun(
  environment: ScenarioEnvironment,
  services: readonly SweptService[],
): Promise<string[]> {
  const prefix = runPrefixOf(environment);
  const problems: string[] = [];
  if (services.includes("glance")) await sweepImages(environment, prefix, problems);
  if (services.includes("keystone")) await sweepIdentity(environment, prefix, problems);
  return problems;
}
