/**
 * The real cloud the OpenStack tests run against: the one `OS_AUTH_URL` (+ `OS_USERNAME`,
 * `OS_PASSWORD`, `OS_PROJECT_NAME`, ...) names, or else the local Keystone + Glance that
 * `scripts/openstack-local.sh` installs (Debian packages, root + apt) and starts. Without either,
 * `startCloud` returns the reason and the test prints one `SKIPPED` line.
 *
 * Test files that use the cloud take a lock file in turn (they read the servers' request logs,
 * which another file's requests would interleave). The cloud stays up between files; the
 * `openstack-teardown.ts` global set-up stops it after the run if a test started it.
 *
 * Wire recording: the local Keystone logs every request (uwsgi) with its user agent, Glance logs
 * every request (eventlet). `mark` sends a request with a unique path to both and waits until each
 * logged it; `keystoneCalls` / `glanceCalls` return what was served between two marks, ids as
 * `{id}`: the requests the real services received.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpClient } from "../src/http-client.js";
import { GlanceImages } from "../src/openstack/glance-images.js";
import { KeystoneIdentity } from "../src/openstack/keystone-identity.js";
import { KeystoneSession, type OpenStackUser } from "../src/openstack/keystone-session.js";
import { EndpointNotFound } from "../src/openstack/openstack-errors.js";
import { OpenStackTransport } from "../src/openstack/openstack-transport.js";
import type { ScenarioEnvironment } from "../src/plugin.js";
import { acquireLock, cloudLockFile } from "./cloud-lock.js";

export const ROOT = join(import.meta.dirname, "../../..");
export const SCRIPT = join(ROOT, "scripts/openstack-local.sh");
const STATE = join(ROOT, ".paddock/openstack");
const KEYSTONE_LOG = join(STATE, "log/keystone-uwsgi.log");
const GLANCE_LOG = join(STATE, "log/glance-api.log");
/** Written when a test started the local cloud: who may stop it (see openstack-teardown.ts). */
export const STARTED_BY_TESTS = join(ROOT, ".paddock/openstack-started-by-tests");

export interface Cloud {
  /** A fresh environment object (one per task run) with the admin credentials. */
  readonly environment: (extra?: Record<string, unknown>) => ScenarioEnvironment;
  readonly authUrl: string;
  readonly admin: OpenStackUser;
  /** Whether Glance is in the catalog. */
  readonly glance: boolean;
  /** The servers' request logs, when the cloud is the local one. */
  readonly keystoneLog: string | undefined;
  readonly glanceLog: string | undefined;
}

function spec(variables: NodeJS.ProcessEnv): Record<string, unknown> {
  return {
    auth_url: variables.OS_AUTH_URL as string,
    ...(variables.OS_REGION_NAME ? { region_name: variables.OS_REGION_NAME } : {}),
    interface: (variables.OS_INTERFACE ?? variables.OS_ENDPOINT_TYPE ?? "public").replace(/URL$/, ""),
    admin: {
      username: variables.OS_USERNAME ?? "admin",
      password: variables.OS_PASSWORD ?? "",
      user_domain_name: variables.OS_USER_DOMAIN_NAME ?? "Default",
      project_name: variables.OS_PROJECT_NAME ?? variables.OS_TENANT_NAME ?? "admin",
      project_domain_name: variables.OS_PROJECT_DOMAIN_NAME ?? "Default",
    },
  };
}

function installed(name: string): boolean {
  try {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
    return execFileSync("dpkg-query", ["-W", "-f=${Status}", name], { encoding: "utf8" }).includes(
      "ok installed",
    );
  } catch {
    return false;
  }
}

const KEYSTONE_PACKAGES = ["python3-keystone", "uwsgi-core", "uwsgi-plugin-python3"];

function startLocal(withGlance: boolean): { variables: NodeJS.ProcessEnv } | { error: string } {
  try {
    const output = execFileSync("bash", [SCRIPT, "start"], {
      encoding: "utf8",
      env: { ...process.env, PADDOCK_OS_GLANCE: withGlance ? "1" : "0" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 600_000,
    });
    const variables: NodeJS.ProcessEnv = {};
    for (const match of output.matchAll(/^export (OS_[A-Z_]+)=(.*)$/gm))
      variables[match[1] as string] = match[2];
    return { variables };
  } catch (error) {
    const detail = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim();
    return { error: detail.split("\n").slice(-3).join(" | ") };
  }
}

function running(name: string): boolean {
  try {
    process.kill(Number(readFileSync(join(STATE, `run/${name}.pid`), "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}

async function hasGlance(environment: ScenarioEnvironment): Promise<boolean> {
  const admin = environment.spec.admin as Record<string, string>;
  const session = new KeystoneSession(
    { authUrl: environment.spec.auth_url as string },
    {
      username: admin.username as string,
      password: admin.password as string,
      projectName: admin.project_name,
    },
    new OpenStackTransport(),
  );
  try {
    await session.endpoint("image");
    return true;
  } catch (error) {
    if (error instanceof EndpointNotFound) return false;
    throw error;
  }
}

/** Starts the local cloud (Keystone alone when Glance cannot be had); its OS_* variables, or why not. */
function startLocalCloud(): NodeJS.ProcessEnv | string {
  const wasRunning = running("keystone");
  let started = startLocal(true);
  if ("error" in started) {
    // Keystone alone when Glance's packages are not to be had; Glance tests then skip.
    started = startLocal(false);
    if ("error" in started) {
      const missing = KEYSTONE_PACKAGES.filter((name) => !installed(name));
      if (missing.length > 0) return `could not install ${missing.join(", ")} (${started.error})`;
      throw new Error(`the local Keystone did not start: ${started.error}`);
    }
  }
  if (!wasRunning && !existsSync(STARTED_BY_TESTS)) {
    writeFileSync(STARTED_BY_TESTS, JSON.stringify({ pid: process.pid, ppid: process.ppid }));
  }
  return started.variables;
}

/**
 * The cloud, started when needed, or why there is none (the SKIPPED reason). Also returns
 * Keystone-only when Glance cannot be installed or started (then `glance` is false).
 */
export async function startCloud(): Promise<Cloud | string> {
  let variables: NodeJS.ProcessEnv;
  let local = false;
  if (process.env.OS_AUTH_URL) variables = process.env;
  else {
    if (!existsSync("/usr/bin/apt-get") || !existsSync("/usr/bin/dpkg-query")) {
      return "set OS_AUTH_URL or run on Debian with apt (no apt-get here)";
    }
    const missing = KEYSTONE_PACKAGES.filter((name) => !installed(name));
    if (missing.length > 0 && process.getuid?.() !== 0) {
      return `set OS_AUTH_URL, or run as root to install ${missing.join(", ")}`;
    }
    // Test files load at once: one of them starts the cloud (or installs it), the others wait.
    const release = await acquireLock(join(tmpdir(), "paddock-openstack-start.lock"), 900_000);
    try {
      const started = startLocalCloud();
      if (typeof started === "string") return started;
      variables = started;
    } finally {
      release();
    }
    local = true;
  }
  const base = spec(variables);
  const environment = (extra: Record<string, unknown> = {}): ScenarioEnvironment => ({
    name: "devstack-local",
    platform: "openstack",
    spec: { ...structuredClone(base), ...extra },
  });
  const admin = base.admin as Record<string, string>;
  return {
    environment,
    authUrl: base.auth_url as string,
    admin: {
      username: admin.username as string,
      password: admin.password as string,
      userDomainName: admin.user_domain_name,
      projectName: admin.project_name,
      projectDomainName: admin.project_domain_name,
    },
    glance: await hasGlance(environment()),
    keystoneLog: local ? KEYSTONE_LOG : undefined,
    glanceLog: local && running("glance-api") ? GLANCE_LOG : undefined,
  };
}

/**
 * Waits (up to 15 minutes) for the other OpenStack test files — of this and other checkouts on
 * this machine — then holds the cloud.
 */
export function lockCloud(cloud: Cloud): Promise<() => void> {
  return acquireLock(cloudLockFile(new URL(cloud.authUrl).port || "80"), 900_000);
}

/** The admin's identity and image calls, for the tests' own checks. */
export function adminClients(cloud: Cloud): { identity: KeystoneIdentity; images: GlanceImages } {
  const session = new KeystoneSession({ authUrl: cloud.authUrl }, cloud.admin, new OpenStackTransport());
  return { identity: new KeystoneIdentity(session), images: new GlanceImages(session) };
}

/** Every user, project, role, service and image name in the cloud, sorted (for before/after). */
export async function snapshot(cloud: Cloud): Promise<string[]> {
  const { identity, images } = adminClients(cloud);
  const names = [
    ...(await identity.listUsers()).map((user) => `user ${user.name}`),
    ...(await identity.listProjects()).map((project) => `project ${project.name}`),
    ...(await identity.listRoles()).map((role) => `role ${role.name}`),
    ...(await identity.listServices()).map((service) => `service ${service.name}`),
    ...(cloud.glance ? (await images.list()).map((image) => `image ${image.name} ${image.id}`) : []),
  ];
  return names.sort();
}

function logged(log: string): string {
  return existsSync(log) ? readFileSync(log, "utf8") : "";
}

/**
 * Sends `GET /paddock-mark/<label>` to Keystone (and Glance) and waits until each logged it.
 * Each service logs a request after answering it, so every request made before is logged by then.
 */
export async function mark(cloud: Cloud): Promise<string> {
  const label = randomUUID();
  const http = createHttpClient();
  const targets: [string, string][] = [];
  if (cloud.keystoneLog !== undefined) targets.push([new URL(cloud.authUrl).origin, cloud.keystoneLog]);
  if (cloud.glanceLog !== undefined) targets.push(["http://127.0.0.1:9292", cloud.glanceLog]);
  for (const [origin, log] of targets) {
    await http.get(`${origin}/paddock-mark/${label}`);
    for (let waited = 0; ; waited += 50) {
      if (logged(log).includes(`/paddock-mark/${label}`)) break;
      if (waited > 30_000) throw new Error(`${log} did not log the marker request ${label} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return label;
}

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}/g;

function between(log: string, from: string, to: string): string[] {
  const lines = logged(log).split("\n");
  const first = lines.findIndex((line) => line.includes(`/paddock-mark/${from}`));
  const last = lines.findIndex((line) => line.includes(`/paddock-mark/${to}`));
  return lines.slice(first + 1, last);
}

/** One request a server logged. */
export interface LoggedCall {
  /** `METHOD /path?query` with ids as `{id}`. */
  readonly call: string;
  readonly status: number;
  /** Microseconds the server spent (Keystone only). */
  readonly micros?: number;
  readonly userAgent?: string;
}

/** Keystone's requests from Paddock (user agent `paddock-runner`) between two marks. */
export function keystoneCalls(cloud: Cloud, from: string, to: string): LoggedCall[] {
  if (cloud.keystoneLog === undefined) return [];
  return between(cloud.keystoneLog, from, to).flatMap((line) => {
    const match = /paddock-request (\S+) (\S+) (\d+)(?: (\d+) (\d+) (.*))?$/.exec(line);
    if (match === null || !(match[6] ?? "").startsWith("paddock-runner")) return [];
    return [
      {
        call: `${match[1]} ${(match[2] as string).replace(ID, "{id}")}`,
        status: Number(match[3]),
        micros: Number(match[4]),
        userAgent: match[6],
      },
    ];
  });
}

/** Glance's requests between two marks (only Paddock talks to the local Glance). */
export function glanceCalls(cloud: Cloud, from: string, to: string): LoggedCall[] {
  if (cloud.glanceLog === undefined) return [];
  return between(cloud.glanceLog, from, to).flatMap((line) => {
    const match = /"(\S+) (\S+) HTTP\/1\.[01]" (\d+)/.exec(line);
    if (match === null || (match[2] as string).startsWith("/healthcheck")) return [];
    return [{ call: `${match[1]} ${(match[2] as string).replace(ID, "{id}")}`, status: Number(match[3]) }];
  });
}
