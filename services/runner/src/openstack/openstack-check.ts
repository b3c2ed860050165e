/**
 * `env check` of an `openstack` environment (Rally's `rally env check`): authenticate as the admin
 * (`POST /v3/auth/tokens`), read the token's service catalog for the environment's interface and
 * region, then ask each service of it for its API version (Keystone `GET /v3`, others
 * `GET <endpoint>/`); Glance is also asked for one image (`GET /v2/images?limit=1`), which makes it
 * validate the token with Keystone as every scenario call will. Keystone and Glance (the services
 * Paddock's scenarios use) must answer for the environment to be available; another service that
 * does not answer is reported in its line only. Messages show URLs as written in the environment
 * file and never a password or token.
 */
import type { EnvironmentDefinition, PlatformCheck } from "@paddock/shared/api";
import type { ScenarioEnvironment } from "../plugin.js";
import {
  type CatalogEndpoint,
  type IssuedToken,
  identityV3Url,
  KeystoneSession,
} from "./keystone-session.js";
import { adminUserOf, cloudTargetOf, tlsSettingsOf } from "./openstack-environment.js";
import {
  AuthenticationFailed,
  apiErrorOf,
  ConnectionError,
  OpenStackApiError,
  OpenStackSpecInvalid,
  serviceTitleOf,
} from "./openstack-errors.js";
import { OpenStackTransport, unreachableReason } from "./openstack-transport.js";

/** What the check gets: the environment as written (for messages) and resolved (to use). */
export interface OpenStackProbe {
  readonly written: EnvironmentDefinition;
  readonly resolved: ScenarioEnvironment;
  /** Milliseconds each request may take. */
  readonly timeoutMs: number;
}

/** One service of the catalog as the check found it. */
export interface CheckedService {
  readonly type: string;
  readonly interface: string;
  readonly region: string | undefined;
  readonly url: string;
  /** The API version the service reports as current, e.g. `v3.14`. */
  readonly version?: string | undefined;
  readonly available: boolean;
  /** Why it is not available. */
  readonly error?: string | undefined;
}

/** Services Paddock's scenarios use: they must answer. */
const REQUIRED = new Set(["identity", "image"]);

type Result = Omit<PlatformCheck, "platform">;

interface VersionDocument {
  version?: { id?: unknown; status?: unknown };
  versions?: { id?: unknown; status?: unknown }[] | { values?: { id?: unknown; status?: unknown }[] };
}

/** The current version in a version document (`version`, or `versions` with a CURRENT one). */
export function currentVersionOf(text: string): string | undefined {
  let document: VersionDocument;
  try {
    document = JSON.parse(text) as VersionDocument;
  } catch {
    return undefined;
  }
  if (typeof document.version?.id === "string") return document.version.id;
  const list = Array.isArray(document.versions) ? document.versions : (document.versions?.values ?? []);
  const current = list.find((item) => item.status === "CURRENT") ?? list[0];
  return typeof current?.id === "string" ? current.id : undefined;
}

function timeout(probe: OpenStackProbe): AbortSignal {
  return AbortSignal.timeout(probe.timeoutMs);
}

function reasonOf(error: unknown, probe: OpenStackProbe): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${probe.timeoutMs} ms`;
  }
  return unreachableReason(error instanceof ConnectionError ? error.cause : error);
}

async function checkService(
  endpoint: CatalogEndpoint,
  session: KeystoneSession,
  transport: OpenStackTransport,
  token: IssuedToken,
  probe: OpenStackProbe,
): Promise<CheckedService> {
  const base = endpoint.url.replace(/\/+$/, "");
  const url = endpoint.type === "identity" ? identityV3Url(base) : `${base}/`;
  const title = serviceTitleOf(endpoint.type);
  const shown = { type: endpoint.type, interface: endpoint.interface, region: endpoint.region, url: base };
  let version: string | undefined;
  try {
    const response = await transport.send(url, {
      method: "GET",
      headers: { accept: "application/json", "x-auth-token": token.id },
      signal: timeout(probe),
    });
    if (response.status !== 200 && response.status !== 300) {
      const error = apiErrorOf(
        title,
        "GET",
        new URL(url).pathname,
        response.status,
        response.text,
        response.headers,
      );
      return { ...shown, available: false, error: error.message };
    }
    version = currentVersionOf(response.text);
  } catch (error) {
    return {
      ...shown,
      available: false,
      error: `${title} at ${base} is not reachable (GET ${url}): ${reasonOf(error, probe)}`,
    };
  }
  if (endpoint.type === "image") {
    try {
      await session.call("image", "GET", "/v2/images?limit=1", { signal: timeout(probe) });
    } catch (error) {
      const message =
        error instanceof OpenStackApiError
          ? error.message
          : `${title} at ${base} is not reachable (GET ${base}/v2/images?limit=1): ${reasonOf(error, probe)}`;
      return { ...shown, version, available: false, error: message };
    }
  }
  return { ...shown, version, available: true };
}

/** Checks an `openstack` environment; never throws for what the cloud answers. */
export async function checkOpenStack(probe: OpenStackProbe): Promise<Result> {
  const { written, resolved } = probe;
  const shown = typeof written.spec.auth_url === "string" ? written.spec.auth_url : undefined;
  let session: KeystoneSession;
  let transport: OpenStackTransport;
  try {
    const target = cloudTargetOf(resolved);
    transport = new OpenStackTransport(tlsSettingsOf(resolved));
    session = new KeystoneSession(target, adminUserOf(resolved), transport);
  } catch (error) {
    if (!(error instanceof OpenStackSpecInvalid)) throw error;
    return { available: false, message: `${written.file}: ${error.message}`, details: {} };
  }
  const authUrl = shown ?? session.target.authUrl;
  const user = session.user.username;
  const project = session.user.projectName;
  const base = { authUrl, user, ...(project === undefined ? {} : { project }) };
  const started = performance.now();
  let token: IssuedToken;
  try {
    token = await session.authenticate(timeout(probe));
  } catch (error) {
    const details: Record<string, unknown> = { ...base };
    if (error instanceof AuthenticationFailed) {
      const requestId = error.requestId === undefined ? "" : ` (request id ${error.requestId})`;
      return {
        available: false,
        message: `Keystone at ${authUrl} refused the admin credentials of '${user}' (401${error.detail === "" ? "" : `: ${error.detail}`})${requestId}`,
        details: {
          ...details,
          status: 401,
          ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
        },
      };
    }
    if (error instanceof OpenStackApiError) {
      return {
        available: false,
        message: error.message,
        details: {
          ...details,
          status: error.httpStatus,
          ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
        },
      };
    }
    return {
      available: false,
      message: `Keystone at ${authUrl} is not reachable (POST ${identityV3Url(authUrl)}/auth/tokens): ${reasonOf(error, probe)}`,
      details,
    };
  }
  const latencyMs = Math.round(performance.now() - started);
  const details: Record<string, unknown> = { ...base, status: 201, latencyMs };
  if (token.catalog.length === 0) {
    return {
      available: false,
      message: `Keystone at ${authUrl} authenticated '${user}' but sent no service catalog${
        project === undefined ? " (the token has no project scope: set spec.admin.project_name)" : ""
      }`,
      details,
    };
  }
  const wanted = session.target.interface ?? "public";
  const region = session.target.region;
  const endpoints = token.catalog.filter(
    (endpoint) => endpoint.interface === wanted && (region === undefined || endpoint.region === region),
  );
  if (endpoints.length === 0) {
    const listed = [
      ...new Set(
        token.catalog.map(
          (endpoint) => `${endpoint.type} ${endpoint.interface} ${endpoint.region ?? "(no region)"}`,
        ),
      ),
    ]
      .sort()
      .join(", ");
    return {
      available: false,
      message: `Keystone at ${authUrl} authenticated '${user}' but its service catalog has no ${wanted} endpoint${
        region === undefined ? "" : ` in region '${region}'`
      } (it lists: ${listed})`,
      details,
    };
  }
  const services: CheckedService[] = [];
  for (const endpoint of endpoints)
    services.push(await checkService(endpoint, session, transport, token, probe));
  const parts = services.map((service) =>
    service.available
      ? `${service.type}${service.version === undefined ? "" : ` ${service.version}`} at ${service.url}`
      : `${service.type}: ${service.error}`,
  );
  for (const type of REQUIRED) {
    if (!services.some((service) => service.type === type)) {
      parts.push(
        `no '${type}' service in the catalog${type === "image" ? " (Glance scenarios cannot run here)" : ""}`,
      );
    }
  }
  const broken = services.filter((service) => !service.available && REQUIRED.has(service.type));
  return {
    available: broken.length === 0 && services.some((service) => service.type === "identity"),
    message: `authenticated '${user}' at ${authUrl} in ${latencyMs} ms; ${parts.join("; ")}`,
    details: { ...details, services },
  };
}
