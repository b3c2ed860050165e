/**
 * The 21 `KeystoneBasic.*` scenarios and `Authenticate.keystone` against a real Keystone (see
 * `openstack-cloud.ts`: `OS_AUTH_URL`, or the local one; otherwise one SKIPPED line).
 *
 * Each runs with 0 failed iterations, Rally's atomic actions, and leaves the cloud as it found it
 * (every user, project, role and service listed before and after). Against the local Keystone,
 * the requests Keystone really received (its request log) are compared, per scenario, with what
 * Debian's Rally sent for one iteration (`openstack-rally-calls.ts` says how Paddock's token
 * reuse, and the `per_iteration_auth` context, change that sequence).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cloud, keystoneCalls, lockCloud, mark, ROOT, snapshot, startCloud } from "./openstack-cloud.js";
import { expectedCalls, keystonePart, USERS_SETUP } from "./openstack-rally-calls.js";
import {
  atomicTree,
  itRunsEveryShippedFile,
  itShipsEveryScenario,
  runTask,
  workload,
} from "./openstack-tasks.js";

const TIMES = 2;

interface Case {
  readonly args?: Record<string, unknown>;
  /** The iteration's atomic actions, `atomicTree` style. */
  readonly atomics: string;
  /** Runs as the iteration's user: its one authentication of the run comes first. */
  readonly asUser?: boolean;
}

const USER_CREATE = "keystone_v3.create_user{keystone_v3.list_roles, keystone_v3.add_role}";

/** Every scenario, the arguments of its wire test (Rally's capture used these) and its atomic actions. */
const CASES: Record<string, Case> = {
  "KeystoneBasic.create_user": { atomics: "keystone_v3.create_user" },
  "KeystoneBasic.create_delete_user": { atomics: "keystone_v3.create_user, keystone_v3.delete_user" },
  "KeystoneBasic.create_user_set_enabled_and_delete": {
    args: { enabled: true },
    atomics: "keystone_v3.create_user, keystone_v3.update_user, keystone_v3.delete_user",
  },
  "KeystoneBasic.create_tenant": { atomics: "keystone_v3.create_project" },
  "KeystoneBasic.authenticate_user_and_validate_token": {
    atomics: "keystone_v3.fetch_token, keystone_v3.validate_token",
  },
  "KeystoneBasic.create_tenant_with_users": {
    args: { users_per_tenant: 2 },
    atomics: `keystone_v3.create_project, keystone_v3.create_users{${USER_CREATE}, ${USER_CREATE}}`,
  },
  "KeystoneBasic.create_and_list_users": { atomics: "keystone_v3.create_user, keystone_v3.list_users" },
  "KeystoneBasic.create_and_list_tenants": {
    atomics: "keystone_v3.create_project, keystone_v3.list_projects",
  },
  "KeystoneBasic.add_and_remove_user_role": {
    atomics: "keystone_v3.create_role, keystone_v3.add_role, keystone_v3.revoke_role",
  },
  "KeystoneBasic.create_and_delete_role": { atomics: "keystone_v3.create_role, keystone_v3.delete_role" },
  "KeystoneBasic.create_add_and_list_user_roles": {
    atomics: "keystone_v3.create_role, keystone_v3.add_role, keystone_v3.list_roles",
  },
  "KeystoneBasic.get_entities": {
    args: { service_name: null },
    atomics: `keystone_v3.create_project, ${USER_CREATE}, keystone_v3.create_role, keystone_v3.get_project, keystone_v3.get_user, keystone_v3.get_role, keystone_v3.create_service, keystone_v3.get_services`,
  },
  "KeystoneBasic.create_and_delete_service": {
    args: { service_type: "Rally_test_type", description: "test_description" },
    atomics: "keystone_v3.create_service, keystone_v3.delete_service",
  },
  "KeystoneBasic.create_update_and_delete_tenant": {
    atomics: "keystone_v3.create_project, keystone_v3.update_project, keystone_v3.delete_project",
  },
  "KeystoneBasic.create_user_update_password": {
    atomics: "keystone_v3.create_user, keystone_v3.update_user",
  },
  "KeystoneBasic.create_and_list_services": {
    args: { service_type: "Rally_test_type", description: "test_description" },
    atomics: "keystone_v3.create_service, keystone_v3.list_services",
  },
  "KeystoneBasic.create_and_list_ec2credentials": {
    atomics: "keystone_v3.create_ec2creds, keystone_v3.list_ec2creds",
    asUser: true,
  },
  "KeystoneBasic.create_and_delete_ec2credential": {
    atomics: "keystone_v3.create_ec2creds, keystone_v3.delete_ec2creds",
    asUser: true,
  },
  "KeystoneBasic.create_and_get_role": { atomics: "keystone_v3.create_role, keystone_v3.get_role" },
  "KeystoneBasic.create_and_list_roles": {
    args: { create_role_kwargs: {}, list_role_kwargs: {} },
    atomics: "keystone_v3.create_role, keystone_v3.list_roles",
  },
  "KeystoneBasic.create_and_update_user": {
    args: { create_user_kwargs: {}, update_user_kwargs: { enabled: false } },
    atomics: "keystone_v3.create_user, keystone_v3.update_user",
  },
  "Authenticate.keystone": { atomics: "authenticate.keystone" },
};

/** What clean-up may ask: list, and delete by id (this run's names only; checked by the snapshots). */
const CLEANUP_CALL =
  /^(GET \/v3\/(users|projects|roles|services)|DELETE \/v3\/(users|projects|roles|services)\/\{id\}|DELETE \/v3\/users\/\{id\}\/credentials\/OS-EC2\/\{id\})$/;

/** The task files shipped in `scenarios/keystone/` and `scenarios/authenticate/`. */
const SHIPPED = ["keystone", "authenticate"].flatMap((folder) =>
  readdirSync(join(ROOT, "scenarios", folder))
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => `${folder}/${name}`),
);

describe("the shipped Keystone scenario files", () => {
  itShipsEveryScenario(ROOT, SHIPPED, Object.keys(CASES));
});

const cloud = await startCloud();
if (typeof cloud === "string") console.log(`SKIPPED openstack keystone: ${cloud}`);

describe.skipIf(typeof cloud === "string")("Keystone scenarios against a real Keystone", () => {
  const live = cloud as Cloud;
  const authPath = () => new URL(live.authUrl).pathname;
  let unlock: () => void = () => undefined;

  beforeAll(async () => {
    unlock = await lockCloud(live);
  }, 900_000);
  afterAll(() => unlock());

  async function wireRun(scenario: string, contexts: Record<string, unknown>, perIterationAuth = false) {
    const testCase = CASES[scenario] as Case;
    const before = await snapshot(live);
    const from = live.keystoneLog === undefined ? "" : await mark(live);
    const result = await runTask(
      live.environment(),
      workload(scenario, testCase.args ?? {}, contexts, TIMES),
    );
    const to = live.keystoneLog === undefined ? "" : await mark(live);
    expect(result.iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
    expect(result.iterations).toHaveLength(TIMES);
    expect(result.outcome).toEqual({ status: "finished", passSla: true });
    expect(result.cleanups.map((event) => [event.data.result.name, event.data.result.error])).toEqual(
      result.cleanups.map((event) => [event.data.result.name, []]),
    );
    for (const iteration of result.iterations)
      expect(atomicTree(iteration.atomic_actions)).toBe(testCase.atomics);
    expect(await snapshot(live)).toEqual(before);
    if (live.keystoneLog === undefined) return;
    const calls = keystoneCalls(live, from, to).map((logged) => logged.call);
    expect(calls.slice(0, USERS_SETUP.length)).toEqual(USERS_SETUP);
    const once = testCase.asUser === true && !perIterationAuth ? ["POST /v3/auth/tokens"] : [];
    const iteration = keystonePart(expectedCalls(scenario, { perIterationAuth }), authPath());
    const load = [...once, ...Array.from({ length: TIMES }, () => iteration).flat()];
    expect(calls.slice(USERS_SETUP.length, USERS_SETUP.length + load.length)).toEqual(load);
    const cleanup = calls.slice(USERS_SETUP.length + load.length);
    expect(cleanup.filter((call) => !CLEANUP_CALL.test(call))).toEqual([]);
  }

  for (const scenario of Object.keys(CASES)) {
    it(`${scenario}: ${TIMES} iterations, none failed, Rally's atomic actions and requests, nothing left`, async () => {
      await wireRun(scenario, { users: { tenants: 1, users_per_tenant: 1 } });
    }, 120_000);
  }

  for (const scenario of [
    "KeystoneBasic.create_user",
    "KeystoneBasic.authenticate_user_and_validate_token",
    "KeystoneBasic.create_and_list_ec2credentials",
    "Authenticate.keystone",
  ]) {
    it(`${scenario} with per_iteration_auth: a new client (discovery + token) every iteration, as Rally`, async () => {
      await wireRun(scenario, { users: { tenants: 1, users_per_tenant: 1 }, per_iteration_auth: {} }, true);
    }, 120_000);
  }

  it("Authenticate.keystone takes the users of the users context in Rally's round robin", async () => {
    const { iterations, outcome } = await runTask(
      live.environment(),
      workload("Authenticate.keystone", {}, { users: { tenants: 2, users_per_tenant: 2 } }, 4),
    );
    expect(outcome).toEqual({ status: "finished", passSla: true });
    expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
  }, 120_000);

  it("create_* leftovers go even without a users context (hidden admin_cleanup), and only this run's", async () => {
    const before = await snapshot(live);
    const { outcome, setups, cleanups } = await runTask(
      live.environment(),
      workload("KeystoneBasic.create_user", {}, {}, 3),
    );
    expect(outcome).toEqual({ status: "finished", passSla: true });
    expect(setups.map((event) => event.data.result.name)).toEqual(["admin_cleanup"]);
    expect(cleanups.map((event) => event.data.result.error)).toEqual([[]]);
    expect(await snapshot(live)).toEqual(before);
  }, 120_000);

  itRunsEveryShippedFile(live, SHIPPED);

  it("everything goes after a hard abort in the middle of the load", async () => {
    const before = await snapshot(live);
    const { outcome, iterations, cleanups } = await runTask(
      live.environment(),
      workload(
        "KeystoneBasic.get_entities",
        { service_name: null },
        { users: { tenants: 2, users_per_tenant: 1 } },
        10_000,
      ),
      {
        onStart: (run, publisher) => {
          const timer = setInterval(() => {
            if (publisher.ofType("IterationsRecorded").length > 0) {
              clearInterval(timer);
              run.abort("hard");
            }
          }, 20);
        },
      },
    );
    expect(outcome).toEqual({ status: "aborted", mode: "hard" });
    expect(iterations.length).toBeGreaterThan(0);
    expect(iterations.length).toBeLessThan(10_000);
    expect(cleanups.map((event) => event.data.result.error)).toEqual([[], []]);
    expect(await snapshot(live)).toEqual(before);
  }, 180_000);

  it("everything goes after failed iterations too", async () => {
    const before = await snapshot(live);
    const { iterations, cleanups } = await runTask(
      live.environment(),
      workload(
        "KeystoneBasic.create_user",
        { domain_name: "paddock-no-such-domain" },
        { users: { tenants: 1, users_per_tenant: 2 } },
        TIMES,
      ),
    );
    expect(iterations).toHaveLength(TIMES);
    for (const iteration of iterations) {
      expect(iteration.error[0]).toBe("ResourceNotFound");
      expect(iteration.error[1]).toBe(
        "Keystone has no domain 'paddock-no-such-domain' (GET /v3/domains?name=paddock-no-such-domain is empty)",
      );
    }
    expect(cleanups.map((event) => event.data.result.error)).toEqual([[], []]);
    expect(await snapshot(live)).toEqual(before);
  }, 120_000);

  it("roles context: gives every user the listed role and takes back only what it gave", async () => {
    const before = await snapshot(live);
    const { outcome, iterations, setups, cleanups } = await runTask(
      live.environment(),
      workload(
        "KeystoneBasic.create_add_and_list_user_roles",
        {},
        { users: { tenants: 2, users_per_tenant: 1 }, roles: ["reader", "member"] },
        TIMES,
      ),
    );
    expect(outcome).toEqual({ status: "finished", passSla: true });
    expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
    expect(setups.map((event) => [event.data.result.name, event.data.result.error])).toEqual([
      ["users", []],
      ["roles", []],
      ["admin_cleanup", []],
    ]);
    expect(cleanups.map((event) => event.data.result.error)).toEqual([[], [], []]);
    expect(await snapshot(live)).toEqual(before);
  }, 120_000);

  it("roles context: a role Keystone does not have fails the set-up, naming it, and nothing is left", async () => {
    const before = await snapshot(live);
    const { setups, iterations } = await runTask(
      live.environment(),
      workload(
        "KeystoneBasic.create_user",
        {},
        { users: { tenants: 1, users_per_tenant: 1 }, roles: ["paddock-nope"] },
        1,
      ),
    );
    expect(iterations).toEqual([]);
    expect(setups.map((event) => event.data.result.error[1] ?? "")).toEqual([
      "",
      "roles: there is no role with name `paddock-nope`",
    ]);
    expect(await snapshot(live)).toEqual(before);
  }, 120_000);
});
