/**
 * `POST /environments/<name>/check` (Rally's `rally env check`): each platform of an environment
 * says whether it can be used now. One strategy per platform:
 *
 * - `generic` — nothing to reach: available.
 * - `http` — `GET base_url` with the environment's headers: status code and latency; no answer
 *   is unavailable with the reason (refused, unknown host, timeout...); 401/403 and 5xx too.
 * - `openstack` — Keystone v3 password authentication at `auth_url` as the admin user, the
 *   token's service catalog, each service's API version (see `openstack/openstack-check.ts`).
 *
 * Secrets are resolved from the runner's variables for the probe only: messages and details show
 * URLs as written in the environment file and never a header, password or token.
 */
import type { EnvironmentDefinition, PlatformCheck } from "@paddock/shared/api";
import { describeError } from "@paddock/shared/errors";
import { checkOpenStack } from "../openstack/openstack-check.js";
import type { ScenarioEnvironment } from "../plugin.js";
import { EnvironmentVariableMissing } from "./environment-errors.js";
import { type EnvironmentVariables, httpTargetOf, resolveEnvironment } from "./environment-resolver.js";

export interface CheckOptions {
  /** Milliseconds each probe request may take. Default 10000. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

interface Probe {
  /** The environment as the file has it (`${VAR}` unresolved): what messages may show. */
  readonly written: EnvironmentDefinition;
  readonly resolved: ScenarioEnvironment;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

type PlatformChecker = (probe: Probe) => Promise<Omit<PlatformCheck, "platform">>;

/** Why a request got no response: the system error code and message, or the timeout. */
export function unreachableReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause === "object" && cause !== null) {
    const code = typeof cause.code === "string" ? cause.code : undefined;
    const message = typeof cause.message === "string" ? cause.message : describeError(cause);
    return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return describeError(error);
}

const REQUEST_ID_HEADERS = ["x-openstack-request-id", "x-compute-request-id", "x-request-id"];

function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value !== null && value !== "") return value;
  }
  return undefined;
}

function withRequestId(message: string, requestId: string | undefined): string {
  return requestId === undefined ? message : `${message} (request id ${requestId})`;
}

function stringField(spec: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = spec[key];
  return typeof value === "string" ? value : undefined;
}

const checkGeneric: PlatformChecker = async () => ({
  available: true,
  message: "nothing to check",
  details: {},
});

const checkHttp: PlatformChecker = async ({ written, resolved, timeoutMs, fetch: doFetch }) => {
  const shown = stringField(written.spec, "base_url");
  const target = httpTargetOf(resolved);
  if (target.baseUrl === undefined || shown === undefined) {
    return { available: false, message: `${written.file}: spec.base_url is missing`, details: {} };
  }
  const started = performance.now();
  let response: Response;
  try {
    response = await doFetch(target.baseUrl, {
      headers: { ...target.headers },
      redirect: "follow",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return {
      available: false,
      message: `GET ${shown} got no answer: ${unreachableReason(error, timeoutMs)}`,
      details: { url: shown },
    };
  }
  await response.body?.cancel().catch(() => undefined);
  const latencyMs = Math.round(performance.now() - started);
  const status = response.status;
  const requestId = requestIdOf(response.headers);
  const details = { url: shown, status, latencyMs, ...(requestId === undefined ? {} : { requestId }) };
  if (status === 401 || status === 403) {
    return {
      available: false,
      message: withRequestId(
        `GET ${shown} answered ${status}: the credentials in spec.headers were refused`,
        requestId,
      ),
      details,
    };
  }
  if (status >= 500) {
    return {
      available: false,
      message: withRequestId(
        `GET ${shown} answered ${status} (a server error) in ${latencyMs} ms`,
        requestId,
      ),
      details,
    };
  }
  return { available: true, message: `GET ${shown} answered ${status} in ${latencyMs} ms`, details };
};

/** The check of each platform; any other platform is reported as not checkable. */
export const platformCheckers = {
  generic: checkGeneric,
  http: checkHttp,
  openstack: checkOpenStack,
} satisfies Record<string, PlatformChecker>;

function isCheckable(platform: string): platform is keyof typeof platformCheckers {
  return Object.hasOwn(platformCheckers, platform);
}

/** Checks every platform of `definition` (today one per environment), resolving its secrets for the probe only. */
export async function checkEnvironment(
  definition: EnvironmentDefinition,
  variables: EnvironmentVariables,
  options: CheckOptions = {},
): Promise<PlatformCheck[]> {
  const { platform } = definition;
  let resolved: ScenarioEnvironment;
  try {
    resolved = resolveEnvironment(definition, variables);
  } catch (error) {
    if (!(error instanceof EnvironmentVariableMissing)) throw error;
    return [
      {
        platform,
        available: false,
        message: error.message,
        details: { variable: error.variable, field: error.field },
      },
    ];
  }
  if (!isCheckable(platform)) {
    return [
      {
        platform,
        available: false,
        message: `Paddock cannot check platform '${platform}' (it checks ${Object.keys(platformCheckers).join(", ")})`,
        details: {},
      },
    ];
  }
  const check = await platformCheckers[platform]({
    written: definition,
    resolved,
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: options.fetch ?? fetch,
  });
  return [{ platform, ...check }];
}
