/**
 * What Rally sent for one iteration of each scenario (`openstack-fixtures/rally-rest-calls.md`,
 * captured from Debian's Rally 3.3 + rally-openstack 2.2 against the same local Keystone and
 * Glance), and the calls Paddock is expected to send instead:
 *
 * - Default (token reuse): Rally builds its clients anew for every iteration, each a version
 *   discovery (`GET KS`, `GET KS/`) and a password authentication, before the scenario's own
 *   calls. Paddock authenticates each user once per run and reuses the token, so those leading
 *   client authentications are left out, and so is keystoneauth's second discovery (`GET KS/`)
 *   wherever it appears. Authentications the scenario itself measures stay (`Authenticate.keystone`,
 *   `fetch_token`: `GET KS` + `POST /v3/auth/tokens`).
 * - `per_iteration_auth` context: one client per iteration, like Rally's, i.e. `GET KS` +
 *   `POST /v3/auth/tokens` before the default sequence (Rally's redundant repeats of them aside).
 *
 * Calls are written `METHOD KS/path` or `METHOD GLANCE/path`; `keystonePart` / `glancePart` turn
 * them into what each server logs (`METHOD /path`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const FILE = join(import.meta.dirname, "openstack-fixtures/rally-rest-calls.md");

/** Scenario name → Rally's calls for one iteration, `(xN)` expanded, annotations dropped. */
export function rallyCalls(): Map<string, string[]> {
  const byScenario = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of readFileSync(FILE, "utf8").split("\n")) {
    const heading = /^### (\S+)/.exec(line);
    if (heading !== null) {
      current = [];
      byScenario.set(heading[1] as string, current);
      continue;
    }
    const call = /^- (\S+) (\S+)(.*)$/.exec(line);
    if (call === null || current === undefined) continue;
    const times = Number(/\(x(\d+)\)\s*$/.exec(call[3] ?? "")?.[1] ?? 1);
    const url = (call[2] as string).replace(/\?$/, "");
    for (let i = 0; i < times; i += 1) current.push(`${call[1]} ${url}`);
  }
  return byScenario;
}

/** Leading client authentications of each scenario in Rally's capture (made before its own calls). */
function clientAuths(scenario: string): number {
  if (scenario.startsWith("KeystoneBasic.")) return 4;
  if (scenario.startsWith("GlanceImages.")) return 2;
  return 1;
}

const AUTH = "POST KS/v3/auth/tokens";

/**
 * Scenarios whose `PATCH /v3/users/{id}` keystoneclient left out of Rally's debug log (it logs
 * bodies with a password nowhere): it comes right after the user is read back.
 */
const HIDDEN_USER_PATCH = new Set([
  "KeystoneBasic.create_user_set_enabled_and_delete",
  "KeystoneBasic.create_user_update_password",
  "KeystoneBasic.create_and_update_user",
]);

/** Paddock's expected calls for one iteration of `scenario`. */
export function expectedCalls(scenario: string, options: { perIterationAuth?: boolean } = {}): string[] {
  const rally = rallyCalls().get(scenario);
  if (rally === undefined) throw new Error(`rally-rest-calls.md has no ${scenario}`);
  let auths = 0;
  let start = 0;
  while (start < rally.length && auths < clientAuths(scenario)) {
    if (rally[start] === AUTH) auths += 1;
    start += 1;
  }
  const own = rally.slice(start).filter((call) => call !== "GET KS/");
  if (HIDDEN_USER_PATCH.has(scenario)) {
    own.splice(own.indexOf("GET KS/v3/users/{id}") + 1, 0, "PATCH KS/v3/users/{id}");
  }
  // Authenticate.keystone builds its client in every iteration anyway.
  const addsClient = options.perIterationAuth === true && scenario !== "Authenticate.keystone";
  return addsClient ? ["GET KS", AUTH, ...own] : own;
}

/** The Keystone calls of `calls` as Keystone logs them (auth URL path `authPath`, e.g. `/`). */
export function keystonePart(calls: readonly string[], authPath: string): string[] {
  return calls
    .filter((call) => / KS(\/|$)/.test(call))
    .map((call) => call.replace(/ KS$/, ` ${authPath}`).replace(/ KS\//, " /"));
}

/** The Glance calls of `calls` as Glance logs them. */
export function glancePart(calls: readonly string[]): string[] {
  return calls.filter((call) => / GLANCE\//.test(call)).map((call) => call.replace(/ GLANCE\//, " /"));
}

/** What the users context (1 project, 1 user) asks Keystone before the load. */
export const USERS_SETUP = [
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
