/**
 * Keystone scenarios and the `users` context against a real Keystone: the one given by `OS_AUTH_URL`
 * (+ `OS_USERNAME`, `OS_PASSWORD`, `OS_PROJECT_NAME`, ...), or else the local one that
 * `scripts/openstack-local.sh` installs (Debian packages, root + apt) and starts. Without either it
 * prints one `SKIPPED openstack: <reason>` line.
 *
 * Every scenario runs with 0 failed iterations and leaves no `paddock_` user, project or role behind.
 * Against the local Keystone the requests it really received (its uwsgi request log) are compared,
 * per scenario, with the sequence Debian's Rally 3.3 sent for the same scenario
 * (`rally-rest-calls.md`, quoted below). Documented difference: Rally builds new clients for each
 * iteration (version discovery `GET /` and a password authentication each); Paddock authenticates
 * the admin once per run and reuses the token, so those calls are left out of Rally's list, except
 * where the scenario measures authentication itself. (An empty query string, `GET /v3/users?` in Rally's
 * log, reaches Keystone as `GET /v3/users`.)
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PaddockEvent } from "@paddock/shared/events";
import type { TaskSpec } from "@paddock/shared/task-model";
import { loadTask } from "@paddock/tasks";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { createHttpClient } from "../src/http-client.js";
import { KeystoneIdentity } from "../src/openstack/keystone-identity.js";
import { KeystoneSession, type OpenStackUser } from "../src/openstack/keystone-session.js";
import { RESOURCE_PREFIX } from "../src/openstack/openstack-environment.js";
import {
  AuthenticationFailed,
  EndpointNotFound,
  OpenStackApiError,
} from "../src/openstack/openstack-errors.js";
import type { ScenarioEnvironment } from "../src/plugin.js";
import { createPluginRegistry } from "../src/plugins/index.js";
import { executeTask, TaskRun } from "../src/task-executor.js";
import { prepareTask } from "../src/task-validator.js";
import { MemoryPublisher } from "./support/memory-publisher.js";

const ROOT = join(import.meta.dirname, "../../..");
const SCRIPT = join(ROOT, "scripts/openstack-local.sh");
const LOCAL_LOG = join(ROOT, ".paddock/openstack/log/keystone-uwsgi.log");

/**
 * One iteration of each scenario as Rally sent it (rally-rest-calls.md; KS = Keystone). `setupAuths`:
 * how many of its leading password authentications (with their `GET KS`/`GET KS/` version
 * discoveries) only build Rally's clients.
 */
const RALLY: Record<string, { readonly setupAuths: number; readonly calls: readonly string[] }> = {
  "KeystoneBasic.authenticate_user_and_validate_token": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), "GET KS", "POST KS/v3/auth/tokens", "GET KS/", "GET KS/v3/auth/tokens"],
  },
  "KeystoneBasic.create_user": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), ...rallyCreateUser()],
  },
  "KeystoneBasic.create_delete_user": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), ...rallyCreateUser(), "DELETE KS/v3/users/{id}"],
  },
  "KeystoneBasic.create_and_list_users": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), ...rallyCreateUser(), "GET KS/v3/users?"],
  },
  "KeystoneBasic.create_tenant": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), ...rallyCreateProject()],
  },
  "KeystoneBasic.create_and_list_tenants": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), ...rallyCreateProject(), "GET KS/v3/projects?"],
  },
  "KeystoneBasic.create_update_and_delete_tenant": {
    setupAuths: 4,
    calls: [
      ...rallyClientSetup(),
      ...rallyCreateProject(),
      "PATCH KS/v3/projects/{id}",
      "DELETE KS/v3/projects/{id}",
    ],
  },
  "KeystoneBasic.create_and_delete_role": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), "POST KS/v3/roles", "DELETE KS/v3/roles/{id}"],
  },
  "KeystoneBasic.create_and_get_role": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), "POST KS/v3/roles", "GET KS/v3/roles/{id}"],
  },
  "KeystoneBasic.create_and_list_roles": {
    setupAuths: 4,
    calls: [...rallyClientSetup(), "POST KS/v3/roles", "GET KS/v3/roles?"],
  },
  "Authenticate.keystone": {
    setupAuths: 1,
    calls: ["GET KS", "POST KS/v3/auth/tokens", "GET KS", "POST KS/v3/auth/tokens", "GET KS/"],
  },
};

function rallyClientSetup(): string[] {
  return [
    "GET KS",
    "POST KS/v3/auth/tokens",
    "GET KS",
    "POST KS/v3/auth/tokens",
    "GET KS/",
    "GET KS",
    "POST KS/v3/auth/tokens",
    "GET KS",
    "POST KS/v3/auth/tokens",
    "GET KS/",
    "GET KS/",
  ];
}

function rallyCreateUser(): string[] {
  return [
    "GET KS/v3/domains/Default",
    "GET KS/v3/domains?name=Default",
    "POST KS/v3/users",
    "GET KS/v3/users/{id}",
  ];
}

function rallyCreateProject(): string[] {
  return ["GET KS/v3/domains/Default", "GET KS/v3/domains?name=Default", "POST KS/v3/projects"];
}

/** Rally's iteration without version discovery and without the authentications that build its clients. */
function expectedIteration(scenario: string): string[] {
  const rally = RALLY[scenario];
  if (rally === undefined) throw new Error(`no Rally sequence for ${scenario}`);
  let auths = 0;
  return rally.calls
    .filter((call) => call !== "GET KS" && call !== "GET KS/")
    .filter((call) => {
      if (call !== "POST KS/v3/auth/tokens") return true;
      auths += 1;
      return auths > rally.setupAuths;
    })
    .map((call) => call.replace(/ KS\//, " /").replace(/\?$/, ""));
}

interface Cloud {
  readonly environment: () => ScenarioEnvironment;
  /** Keystone's request log, when this test can read it (the local Keystone). */
  readonly log: string | undefined;
  readonly stop: () => void;
}

function fromVariables(variables: NodeJS.ProcessEnv, log: string | undefined, stop: () => void): Cloud {
  const spec = {
    auth_url: variables.OS_AUTH_URL as string,
    ...(variables.OS_REGION_NAME ? { region_name: variables.OS_REGION_NAME } : {}),
    interface: (variables.OS_INTERFACE ?? "public").replace(/URL$/, ""),
    admin: {
      username: variables.OS_USERNAME ?? "admin",
      password: variables.OS_PASSWORD ?? "",
      user_domain_name: variables.OS_USER_DOMAIN_NAME ?? "Default",
      project_name: variables.OS_PROJECT_NAME ?? "admin",
      project_domain_name: variables.OS_PROJECT_DOMAIN_NAME ?? "Default",
    },
  };
  return {
    environment: () => ({ name: "devstack-local", platform: "openstack", spec: structuredClone(spec) }),
    log,
    stop,
  };
}

/** Debian packages the local Keystone needs that are not installed. */
function missingPackages(): string[] {
  const installed = (name: string) => {
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
      return execFileSync("dpkg-query", ["-W", "-f=${Status}", name], { encoding: "utf8" }).includes(
        "ok installed",
      );
    } catch {
      return false;
    }
  };
  return ["python3-keystone", "uwsgi-core", "uwsgi-plugin-python3"].filter((name) => !installed(name));
}

function installedOrInstallable(): string | undefined {
  if (!existsSync("/usr/bin/apt-get") || !existsSync("/usr/bin/dpkg-query"))
    return "no apt-get here (not Debian)";
  const missing = missingPackages();
  if (missing.length > 0 && process.getuid?.() !== 0) return `needs root to install ${missing.join(", ")}`;
  return undefined;
}

function keystoneRunning(): boolean {
  try {
    process.kill(Number(readFileSync(join(ROOT, ".paddock/openstack/run/keystone.pid"), "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}

function startCloud(): Cloud | string {
  if (process.env.OS_AUTH_URL) return fromVariables(process.env, undefined, () => undefined);
  const why = installedOrInstallable();
  if (why !== undefined) return `set OS_AUTH_URL or run on Debian with apt: ${why}`;
  const wasRunning = keystoneRunning();
  const missing = missingPackages();
  let started: string;
  try {
    started = execFileSync("bash", [SCRIPT, "start"], {
      encoding: "utf8",
      env: { ...process.env, PADDOCK_OS_GLANCE: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 300_000,
    });
  } catch (error) {
    // Debian's archive not answering is not a Paddock failure; Keystone failing to start is.
    if (missing.length > 0 && missingPackages().length > 0) {
      const detail = String((error as { stderr?: unknown }).stderr ?? (error as Error).message)
        .trim()
        .split("\n")
        .at(-1);
      return `could not install ${missing.join(", ")} (${detail})`;
    }
    throw error;
  }
  const variables: NodeJS.ProcessEnv = {};
  for (const match of started.matchAll(/^export (OS_[A-Z_]+)=(.*)$/gm))
    variables[match[1] as string] = match[2];
  // Stop Keystone afterwards only when this test started it.
  return fromVariables(variables, LOCAL_LOG, () => {
    if (!wasRunning) execFileSync("bash", [SCRIPT, "stop"], { stdio: "ignore" });
  });
}

/**
 * Sends `GET <auth_url>/paddock-mark/<label>` (a 404) and waits until Keystone has logged it. Its
 * single worker logs requests in the order it serves them, so every earlier request is logged by
 * then (a line lands a moment after its response: reading the log right away could miss it).
 */
async function mark(log: string, authUrl: string): Promise<string> {
  const label = randomUUID();
  await createHttpClient().get(`${authUrl.replace(/\/+$/, "")}/paddock-mark/${label}`);
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (readFileSync(log, "utf8").includes(`/paddock-mark/${label} `)) return label;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Keystone did not log the marker request ${label} within 30 s`);
}

/** The requests Keystone logged between two marks: `METHOD /path` with ids as `{id}`. */
function loggedBetween(log: string, from: string, to: string): string[] {
  const lines = readFileSync(log, "utf8").split("\n");
  const first = lines.findIndex((line) => line.includes(`/paddock-mark/${from} `));
  const last = lines.findIndex((line) => line.includes(`/paddock-mark/${to} `));
  return lines.slice(first + 1, last).flatMap((line) => {
    const match = /paddock-request (\S+) (\S+) \d+/.exec(line);
    return match ? [`${match[1]} ${(match[2] as string).replace(/[0-9a-f]{32}/g, "{id}")}`] : [];
  });
}

const plugins = createPluginRegistry();

async function runTask(
  environment: ScenarioEnvironment,
  yaml: string,
  args: Record<string, unknown> = {},
  onStart: (run: TaskRun, publisher: MemoryPublisher) => void = () => undefined,
) {
  const preparation = prepareTask(
    loadTask(yaml, { path: "openstack-test.yaml", args }).task as TaskSpec,
    plugins,
  );
  if (!preparation.ok) throw new Error(JSON.stringify(preparation.problems, null, 2));
  const publisher = new MemoryPublisher();
  const run = new TaskRun("openstack-test", "openstack", systemClock, { environment: environment.name });
  onStart(run, publisher);
  const outcome = await executeTask(
    {
      publisher,
      clock: systemClock,
      runnerId: "runner-openstack",
      logger: pino({ level: "silent" }),
      resolveEnvironment: async () => environment,
    },
    preparation.task,
    run,
  );
  const iterations = publisher.ofType("IterationsRecorded").flatMap((event) => event.data.iterations);
  const cleanups = publisher.ofType("ContextCleanedUp") as PaddockEvent<"ContextCleanedUp">[];
  return { outcome, iterations, cleanups };
}

const TIMES = 3;

function workload(scenario: string, context = ""): string {
  return `---
version: 2
title: openstack test
subtasks:
  - title: ${scenario}
    workloads:
      - scenario: {${JSON.stringify(scenario)}: {}}
        runner: {constant: {times: ${TIMES}, concurrency: 1}}
        contexts: {${context}}
        sla: {failure_rate: {max: 0}}
`;
}

/** The task files shipped in `scenarios/keystone/` and `scenarios/authenticate/`. */
const SHIPPED = ["keystone", "authenticate"].flatMap((folder) =>
  readdirSync(join(ROOT, "scenarios", folder))
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => `${folder}/${name}`),
);

describe("the shipped Keystone scenario files", () => {
  for (const file of SHIPPED) {
    it(`${file} renders and validates with its defaults`, () => {
      const text = readFileSync(join(ROOT, "scenarios", file), "utf8");
      const preparation = prepareTask(loadTask(text, { path: file }).task as TaskSpec, plugins);
      expect(preparation.ok ? [] : preparation.problems).toEqual([]);
    });
  }
});

const cloud = startCloud();
if (typeof cloud === "string") console.log(`SKIPPED openstack: ${cloud}`);

describe.skipIf(typeof cloud === "string")("Keystone scenarios against a real Keystone", () => {
  const live = cloud as Cloud;
  let admin: KeystoneIdentity;
  let authUrl: string;
  let adminUser: OpenStackUser;

  beforeAll(async () => {
    const environment = live.environment();
    const spec = environment.spec as { auth_url: string; admin: Record<string, string> };
    authUrl = spec.auth_url;
    adminUser = {
      username: spec.admin.username as string,
      password: spec.admin.password as string,
      userDomainName: spec.admin.user_domain_name,
      projectName: spec.admin.project_name,
      projectDomainName: spec.admin.project_domain_name,
    };
    const session = new KeystoneSession({ authUrl }, adminUser, createHttpClient());
    admin = new KeystoneIdentity(session, createHttpClient());
    await session.token();
  }, 60_000);

  afterAll(() => live.stop());

  async function leftovers(): Promise<string[]> {
    const users = await admin.listUsers();
    const projects = await admin.listProjects();
    const roles = await admin.listRoles();
    return [...users, ...projects, ...roles]
      .map((entity) => entity.name)
      .filter((name) => name.startsWith(RESOURCE_PREFIX));
  }

  const adminScenarios = Object.keys(RALLY).filter((name) => name.startsWith("KeystoneBasic."));

  for (const scenario of adminScenarios) {
    it(`${scenario}: ${TIMES} iterations, none failed, Rally's requests, nothing left`, async () => {
      const before = live.log === undefined ? "" : await mark(live.log, authUrl);
      const { outcome, iterations, cleanups } = await runTask(
        live.environment(),
        workload(scenario, "users: {tenants: 1, users_per_tenant: 1}"),
      );
      const after = live.log === undefined ? "" : await mark(live.log, authUrl);
      expect(iterations).toHaveLength(TIMES);
      expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
      expect(outcome).toEqual({ status: "finished", passSla: true });
      expect(cleanups.map((event) => event.data.result.error)).toEqual([[]]);
      expect(await leftovers()).toEqual([]);
      if (live.log === undefined) return;
      const calls = loggedBetween(live.log, before, after);
      // users context: admin token, domains, member role, project, user, role assignment.
      const setup = [
        "POST /v3/auth/tokens",
        "GET /v3/domains/Default",
        "GET /v3/domains?name=Default",
        "GET /v3/domains/Default",
        "GET /v3/domains?name=Default",
        "GET /v3/roles",
        "POST /v3/projects",
        "POST /v3/users",
        "PUT /v3/projects/{id}/users/{id}/roles/{id}",
      ];
      expect(calls.slice(0, setup.length)).toEqual(setup);
      const iteration = expectedIteration(scenario);
      const load = calls.slice(setup.length, setup.length + TIMES * iteration.length);
      expect(load).toEqual(Array.from({ length: TIMES }, () => iteration).flat());
      // clean-up: list and delete this run's users, projects and roles, nothing else.
      const cleanup = calls.slice(setup.length + load.length);
      expect(cleanup[0]).toBe("GET /v3/users");
      expect(
        cleanup.every((call) =>
          /^(GET \/v3\/(users|projects|roles)|DELETE \/v3\/(users|projects|roles)\/\{id\})$/.test(call),
        ),
      ).toBe(true);
    }, 120_000);
  }

  it(`Authenticate.keystone: each iteration authenticates a user of the users context (2 projects x 2 users)`, async () => {
    const before = live.log === undefined ? "" : await mark(live.log, authUrl);
    const { outcome, iterations, cleanups } = await runTask(
      live.environment(),
      workload("Authenticate.keystone", "users: {tenants: 2, users_per_tenant: 2}"),
    );
    const after = live.log === undefined ? "" : await mark(live.log, authUrl);
    expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
    expect(iterations).toHaveLength(TIMES);
    expect(iterations[0]?.atomic_actions.map((action) => action.name)).toEqual(["authenticate.keystone"]);
    expect(outcome).toEqual({ status: "finished", passSla: true });
    expect(cleanups.map((event) => event.data.result.error)).toEqual([[]]);
    expect(await leftovers()).toEqual([]);
    if (live.log === undefined) return;
    const calls = loggedBetween(live.log, before, after);
    const lastSetup = calls.lastIndexOf("PUT /v3/projects/{id}/users/{id}/roles/{id}");
    expect(calls.filter((call) => call.startsWith("PUT ")).length).toBe(4);
    const load = calls.slice(lastSetup + 1, lastSetup + 1 + TIMES);
    expect(load).toEqual(
      Array.from({ length: TIMES }, () => expectedIteration("Authenticate.keystone")).flat(),
    );
  }, 120_000);

  for (const file of SHIPPED) {
    it(`scenarios/${file} runs (times 2) with no failed iteration and nothing left`, async () => {
      const text = readFileSync(join(ROOT, "scenarios", file), "utf8");
      const { outcome, iterations } = await runTask(live.environment(), text, { times: 2, concurrency: 1 });
      expect(iterations).toHaveLength(2);
      expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
      expect(outcome.status).toBe("finished");
      expect(await leftovers()).toEqual([]);
    }, 120_000);
  }

  it("the users context cleans up after a hard abort in the middle of the load", async () => {
    const yaml = workload("KeystoneBasic.create_user", "users: {tenants: 2, users_per_tenant: 1}").replace(
      `times: ${TIMES}`,
      "times: 10000",
    );
    const { outcome, iterations, cleanups } = await runTask(
      live.environment(),
      yaml,
      {},
      (run, publisher) => {
        const timer = setInterval(() => {
          if (publisher.ofType("IterationsRecorded").length > 0) {
            clearInterval(timer);
            run.abort("hard");
          }
        }, 50);
      },
    );
    expect(outcome).toEqual({ status: "aborted", mode: "hard" });
    expect(iterations.length).toBeGreaterThan(0);
    expect(iterations.length).toBeLessThan(10000);
    expect(cleanups.map((event) => event.data.result.error)).toEqual([[]]);
    expect(await leftovers()).toEqual([]);
  }, 180_000);

  it("the users context cleans up after failed iterations too", async () => {
    const { iterations, cleanups } = await runTask(
      live.environment(),
      workload("KeystoneBasic.create_user", "users: {tenants: 1, users_per_tenant: 2}").replace(
        '"KeystoneBasic.create_user": {}',
        '"KeystoneBasic.create_user": {domain_name: paddock-no-such-domain}',
      ),
    );
    expect(iterations).toHaveLength(TIMES);
    for (const iteration of iterations) {
      expect(iteration.error[0]).toBe("ResourceNotFound");
      expect(iteration.error[1]).toContain("paddock-no-such-domain");
    }
    expect(cleanups.map((event) => event.data.result.error)).toEqual([[]]);
    expect(await leftovers()).toEqual([]);
  }, 120_000);

  describe("the client's errors and token handling", () => {
    const http = createHttpClient();

    it("bad credentials: AuthenticationFailed naming the user and the URL", async () => {
      const session = new KeystoneSession({ authUrl }, { ...adminUser, password: "wrong-password" }, http);
      const error = await session.token().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthenticationFailed);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Keystone at ${authUrl} refused the credentials of user '${adminUser.username}'.*\\(401\\)`,
        ),
      );
    });

    it("an unreachable auth_url: ConnectionError with the system's reason", async () => {
      const session = new KeystoneSession({ authUrl: "http://127.0.0.1:1" }, adminUser, http);
      const error = await session.token().catch((caught: unknown) => caught);
      expect((error as Error).name).toBe("ConnectionError");
      expect((error as Error).message).toContain("ECONNREFUSED");
    });

    it("a service missing from the catalog: EndpointNotFound listing what the catalog has", async () => {
      const session = new KeystoneSession({ authUrl, region: "RegionOne" }, adminUser, http);
      const error = await session.endpoint("compute").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EndpointNotFound);
      expect((error as Error).message).toMatch(
        /has no 'compute' endpoint with interface 'public' in region 'RegionOne' \(it lists: .*identity/,
      );
    });

    it("a 409 from Keystone: OpenStackApiError with Keystone's message and the request id", async () => {
      const domainId = await admin.domainId("Default");
      const name = `${RESOURCE_PREFIX}client_test_${Date.now()}`;
      const project = await admin.createProject(name, domainId);
      try {
        const error = await admin.createProject(name, domainId).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(OpenStackApiError);
        expect((error as OpenStackApiError).httpStatus).toBe(409);
        expect((error as Error).message).toMatch(
          /^Keystone answered POST \/v3\/projects with 409: .+ \(request id req-[0-9a-f-]+\)$/,
        );
      } finally {
        await admin.deleteProject(project.id);
      }
    });

    it("a token revoked in Keystone: the 401 makes the session authenticate again and repeat the call", async () => {
      const session = new KeystoneSession({ authUrl }, adminUser, http);
      const first = await session.token();
      await admin.session.call(http, "identity", "DELETE", "/auth/tokens", {
        headers: { "x-subject-token": first.id },
      });
      const roles = await new KeystoneIdentity(session, http).listRoles();
      expect(roles.map((role) => role.name)).toContain("member");
      expect((await session.token()).id).not.toBe(first.id);
    });

    it("a token about to expire is replaced before it is used", async () => {
      let now = Date.now();
      const session = new KeystoneSession({ authUrl }, adminUser, http, () => now);
      const first = await session.token();
      expect((await session.token()).id).toBe(first.id);
      now = first.expiresAt - 10_000;
      expect((await session.token()).id).not.toBe(first.id);
    });
  });
});
