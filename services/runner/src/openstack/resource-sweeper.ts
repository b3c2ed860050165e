/**
 * The clean-up pass: deletes what Paddock created in the cloud and nothing else — every image,
 * user, project, role and service whose name starts with a prefix, found by listing them as the
 * admin. Two uses:
 *
 * - `sweepRun`: one run's prefix (`paddock_<run>_`) and the EC2 credentials the run recorded (they
 *   have no name) — the `cleanup`/`admin_cleanup` contexts and the users context call it;
 * - `sweepLeftovers`: every run's (`paddock_`), for what runners that died mid-task left behind
 *   (`POST /environments/<name>/sweep`, `paddock env sweep`), optionally as a dry run.
 *
 * A resource already gone (404) is not a problem; anything else that cannot be deleted is
 * returned as a readable line, and the sweep goes on with the rest.
 */
import type { SweptResource } from "@paddock/shared/api";
import type { ScenarioEnvironment } from "../plugin.js";
import { GlanceImages } from "./glance-images.js";
import { type IdentityEntity, KeystoneIdentity } from "./keystone-identity.js";
import type { KeystoneSession } from "./keystone-session.js";
import {
  adminSessionOf,
  listedSessionsOf,
  RESOURCE_PREFIX,
  runOf,
  runPrefixOf,
} from "./openstack-environment.js";
import { EndpointNotFound } from "./openstack-errors.js";

/** Services whose resources a sweep can remove (Rally's cleanup resource names). */
export type SweptService = "keystone" | "glance";

/** One pass over the cloud: what it looks for, and what it found and could not do. */
interface SweepPass {
  readonly prefix: string;
  readonly dryRun: boolean;
  readonly found: SweptResource[];
  readonly problems: string[];
}

function gone(error: unknown): boolean {
  return (error as { httpStatus?: unknown }).httpStatus === 404;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Deletes one resource found by name (or only records it, on a dry run). */
async function remove(
  pass: SweepPass,
  resource: Omit<SweptResource, "removed">,
  action: () => Promise<void>,
): Promise<void> {
  if (pass.dryRun) {
    pass.found.push({ ...resource, removed: false });
    return;
  }
  try {
    await action();
    pass.found.push({ ...resource, removed: true });
  } catch (error) {
    if (gone(error)) {
      pass.found.push({ ...resource, removed: true });
      return;
    }
    pass.found.push({ ...resource, removed: false });
    const what =
      resource.kind === "image"
        ? `image ${resource.name} (${resource.id})`
        : `${resource.kind} ${resource.name}`;
    pass.problems.push(`${what}: ${messageOf(error)}`);
  }
}

function hasAdmin(environment: ScenarioEnvironment): boolean {
  return environment.spec.admin !== undefined;
}

function named(pass: SweepPass, name: unknown): name is string {
  return typeof name === "string" && name.startsWith(pass.prefix);
}

async function sweepImages(environment: ScenarioEnvironment, pass: SweepPass): Promise<void> {
  const sessions: KeystoneSession[] = hasAdmin(environment)
    ? [adminSessionOf(environment)]
    : listedSessionsOf(environment);
  const seen = new Set<string>();
  for (const session of sessions) {
    try {
      await session.endpoint("image");
    } catch (error) {
      if (error instanceof EndpointNotFound) return;
      throw error;
    }
    const images = new GlanceImages(session);
    for (const image of await images.list()) {
      if (!named(pass, image.name) || seen.has(image.id)) continue;
      seen.add(image.id);
      await remove(pass, { service: "glance", kind: "image", name: image.name, id: image.id }, () =>
        images.delete(image.id),
      );
    }
  }
}

/** The EC2 credentials a run recorded (they have no name to find them by). */
async function sweepCredentials(environment: ScenarioEnvironment, pass: SweepPass): Promise<void> {
  const credentials = runOf(environment).credentials.splice(0);
  if (credentials.length === 0) return;
  const sessions = hasAdmin(environment) ? [adminSessionOf(environment)] : listedSessionsOf(environment);
  for (const session of sessions) {
    const identity = new KeystoneIdentity(session);
    const userId = hasAdmin(environment) ? undefined : (await session.token()).userId;
    for (const credential of credentials) {
      if (userId !== undefined && credential.userId !== userId) continue;
      try {
        await identity.deleteEc2Credential(credential.userId, credential.access);
      } catch (error) {
        if (!gone(error)) pass.problems.push(`EC2 credential ${credential.access}: ${messageOf(error)}`);
      }
    }
  }
}

async function sweepIdentity(environment: ScenarioEnvironment, pass: SweepPass): Promise<void> {
  if (!hasAdmin(environment)) return;
  const identity = new KeystoneIdentity(adminSessionOf(environment));
  const kinds: [
    SweptResource["kind"],
    () => Promise<readonly IdentityEntity[]>,
    (id: string) => Promise<void>,
  ][] = [
    ["user", () => identity.listUsers(), (id) => identity.deleteUser(id)],
    ["project", () => identity.listProjects(), (id) => identity.deleteProject(id)],
    ["role", () => identity.listRoles(), (id) => identity.deleteRole(id)],
    ["service", () => identity.listServices(), (id) => identity.deleteService(id)],
  ];
  for (const [kind, list, destroy] of kinds) {
    for (const entity of await list()) {
      if (!named(pass, entity.name)) continue;
      await remove(pass, { service: "keystone", kind, name: entity.name, id: entity.id }, () =>
        destroy(entity.id),
      );
    }
  }
}

/** Deletes this run's resources of `services`; returns what could not be deleted (empty: all gone). */
export async function sweepRun(
  environment: ScenarioEnvironment,
  services: readonly SweptService[],
): Promise<string[]> {
  const pass: SweepPass = { prefix: runPrefixOf(environment), dryRun: false, found: [], problems: [] };
  if (services.includes("glance")) await sweepImages(environment, pass);
  if (services.includes("keystone")) {
    await sweepCredentials(environment, pass);
    await sweepIdentity(environment, pass);
  }
  return pass.problems;
}

/** What `sweepLeftovers` found, deleted (unless a dry run) and could not do. */
export interface LeftoversSwept {
  readonly prefix: string;
  readonly resources: readonly SweptResource[];
  readonly problems: readonly string[];
}

/**
 * Deletes (or, on a dry run, lists) every resource named with Paddock's prefix, whatever run
 * made it. Only safe while no task runs against the environment: the caller checks that.
 */
export async function sweepLeftovers(
  environment: ScenarioEnvironment,
  options: { readonly dryRun: boolean },
): Promise<LeftoversSwept> {
  const pass: SweepPass = { prefix: RESOURCE_PREFIX, dryRun: options.dryRun, found: [], problems: [] };
  try {
    await sweepImages(environment, pass);
  } catch (error) {
    pass.problems.push(`images could not be listed: ${messageOf(error)}`);
  }
  if (hasAdmin(environment)) {
    try {
      await sweepIdentity(environment, pass);
    } catch (error) {
      pass.problems.push(`identity resources could not be listed: ${messageOf(error)}`);
    }
  } else {
    pass.problems.push(
      `users, projects, roles and services were not swept: environment '${environment.name}' has no admin credentials to list them`,
    );
  }
  return { prefix: pass.prefix, resources: pass.found, problems: pass.problems };
}
