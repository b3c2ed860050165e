/**
 * An `openstack` environment as the client uses it: its spec read into a cloud target, TLS
 * settings and users; the state of one run against it (one per workload: the runner hands each
 * workload its own copy of the environment) — the admin session every iteration reuses, the
 * name prefix of everything the run creates, what contexts chose (Rally-like re-authentication,
 * service types) and a ledger of created things that have no name to sweep by.
 */
import { randomBytes } from "node:crypto";
import type { ScenarioEnvironment } from "../plugin.js";
import { type CloudTarget, KeystoneSession, type OpenStackUser } from "./keystone-session.js";
import { OpenStackSpecInvalid } from "./openstack-errors.js";
import { OpenStackTransport, type TlsSettings } from "./openstack-transport.js";

/** Every resource Paddock creates in a cloud is named `paddock_<run>_<random>`. */
export const RESOURCE_PREFIX = "paddock_";

function text(spec: Readonly<Record<string, unknown>>, key: string, where: string): string | undefined {
  const value = spec[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new OpenStackSpecInvalid(`${where}.${key} must be a string`);
  return value;
}

function userOf(value: unknown, where: string): OpenStackUser {
  if (typeof value !== "object" || value === null) {
    throw new OpenStackSpecInvalid(`${where} must be a mapping with username and password`);
  }
  const spec = value as Record<string, unknown>;
  const username = text(spec, "username", where);
  const password = text(spec, "password", where);
  if (username === undefined || password === undefined) {
    throw new OpenStackSpecInvalid(`${where} needs username and password`);
  }
  return {
    username,
    password,
    userDomainName: text(spec, "user_domain_name", where),
    projectName: text(spec, "project_name", where) ?? text(spec, "tenant_name", where),
    projectDomainName: text(spec, "project_domain_name", where),
  };
}

function platformCheck(environment: ScenarioEnvironment): void {
  if (environment.platform !== "openstack") {
    throw new OpenStackSpecInvalid(
      `environment '${environment.name}' is a '${environment.platform}' environment; OpenStack scenarios need platform: openstack`,
    );
  }
}

/** The cloud an environment points at; throws `OpenStackSpecInvalid` naming the field. */
export function cloudTargetOf(environment: ScenarioEnvironment): CloudTarget {
  platformCheck(environment);
  const where = `environment '${environment.name}': spec`;
  const authUrl = text(environment.spec, "auth_url", where);
  if (authUrl === undefined) throw new OpenStackSpecInvalid(`${where}.auth_url is missing`);
  const itf = text(environment.spec, "interface", where) ?? text(environment.spec, "endpoint_type", where);
  if (itf !== undefined && itf !== "public" && itf !== "internal" && itf !== "admin") {
    throw new OpenStackSpecInvalid(`${where}.interface must be public, internal or admin, not '${itf}'`);
  }
  const region = text(environment.spec, "region_name", where);
  return { authUrl, region: region === "" ? undefined : region, interface: itf };
}

/** `https_insecure` (a boolean, or a resolved `${VAR}` reading true/false) and `https_cacert`. */
export function tlsSettingsOf(environment: ScenarioEnvironment): TlsSettings {
  const where = `environment '${environment.name}': spec`;
  const raw = environment.spec.https_insecure;
  let insecure = false;
  if (typeof raw === "boolean") insecure = raw;
  else if (typeof raw === "string" && raw !== "") {
    if (/^(1|true|yes|on)$/i.test(raw)) insecure = true;
    else if (!/^(0|false|no|off)$/i.test(raw)) {
      throw new OpenStackSpecInvalid(`${where}.https_insecure must be true or false, not '${raw}'`);
    }
  } else if (raw !== undefined && raw !== null) {
    throw new OpenStackSpecInvalid(`${where}.https_insecure must be true or false`);
  }
  const caFile = text(environment.spec, "https_cacert", where);
  return { insecure, caFile: caFile === "" ? undefined : caFile };
}

/** The environment's admin user (`spec.admin`). */
export function adminUserOf(environment: ScenarioEnvironment): OpenStackUser {
  platformCheck(environment);
  const admin = environment.spec.admin;
  if (admin === undefined) {
    throw new OpenStackSpecInvalid(
      `environment '${environment.name}': spec.admin (an admin user) is missing`,
    );
  }
  return userOf(admin, `environment '${environment.name}': spec.admin`);
}

/** Existing users the environment lists (`spec.users`), possibly none. */
export function listedUsersOf(environment: ScenarioEnvironment): OpenStackUser[] {
  const users = environment.spec.users;
  if (users === undefined) return [];
  if (!Array.isArray(users))
    throw new OpenStackSpecInvalid(`environment '${environment.name}': spec.users must be a list`);
  return users.map((user, index) => userOf(user, `environment '${environment.name}': spec.users[${index}]`));
}

/** An EC2 credential a scenario created (it has no name to find it by). */
export interface CreatedCredential {
  readonly userId: string;
  readonly access: string;
}

/** What one run (one workload) keeps about the cloud. */
export interface OpenStackRun {
  /** Random part of the run's name prefix. */
  readonly tag: string;
  readonly target: CloudTarget;
  readonly transport: OpenStackTransport;
  /** Catalog service type overrides (`api_versions` context), read by every session of the run. */
  readonly serviceTypes: Record<string, string>;
  /** Rally-like clients: each iteration discovers Keystone's version and authenticates again. */
  perIterationAuth: boolean;
  /** EC2 credentials created and not deleted by the scenario, removed at clean-up. */
  readonly credentials: CreatedCredential[];
  admin: KeystoneSession | undefined;
  /** Sessions of the environment's `spec.users`, created on first use. */
  listed: KeystoneSession[] | undefined;
}

/** One run state per environment object, i.e. per workload. */
const runs = new WeakMap<ScenarioEnvironment, OpenStackRun>();

/** The run state of `environment`, created on first use. */
export function runOf(environment: ScenarioEnvironment): OpenStackRun {
  let run = runs.get(environment);
  if (run === undefined) {
    const serviceTypes: Record<string, string> = {};
    run = {
      tag: randomBytes(4).toString("hex"),
      target: { ...cloudTargetOf(environment), serviceTypes },
      transport: new OpenStackTransport(tlsSettingsOf(environment)),
      serviceTypes,
      perIterationAuth: false,
      credentials: [],
      admin: undefined,
      listed: undefined,
    };
    runs.set(environment, run);
  }
  return run;
}

/** A new session of `user` on the run's cloud (its own token cache). */
export function sessionOf(environment: ScenarioEnvironment, user: OpenStackUser): KeystoneSession {
  const run = runOf(environment);
  return new KeystoneSession(run.target, user, run.transport);
}

/**
 * The admin session of this run: one token shared by all iterations and contexts, renewed when it
 * expires or is refused.
 */
export function adminSessionOf(environment: ScenarioEnvironment): KeystoneSession {
  const run = runOf(environment);
  run.admin ??= sessionOf(environment, adminUserOf(environment));
  return run.admin;
}

/** Sessions of the environment's `spec.users` (the same ones for the whole run). */
export function listedSessionsOf(environment: ScenarioEnvironment): KeystoneSession[] {
  const run = runOf(environment);
  run.listed ??= listedUsersOf(environment).map((user) => sessionOf(environment, user));
  return run.listed;
}

/** `paddock_<run>_`: the prefix of every name this run gives a cloud resource. */
export function runPrefixOf(environment: ScenarioEnvironment): string {
  return `${RESOURCE_PREFIX}${runOf(environment).tag}_`;
}

/** A fresh resource name for this run, e.g. `paddock_1a2b3c4d_x7k2p9qz`. */
export function randomNameOf(environment: ScenarioEnvironment): string {
  return `${runPrefixOf(environment)}${randomBytes(6)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
}

/** A random password for a created user. */
export function randomPassword(): string {
  return randomBytes(18).toString("base64url");
}
