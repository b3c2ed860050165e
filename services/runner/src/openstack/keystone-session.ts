/**
 * Keystone v3 password authentication for one user: the token is cached until shortly before it
 * expires and fetched again then, or when a service answers 401; the token's service catalog
 * gives each service's endpoint by type, interface and region. Every call names the service, the
 * request and the request id when it fails.
 */
import type { Readable } from "node:stream";
import {
  AuthenticationFailed,
  apiErrorOf,
  ConnectionError,
  EndpointNotFound,
  OpenStackApiError,
  requestIdOf,
  serviceMessageOf,
  serviceTitleOf,
} from "./openstack-errors.js";
import {
  neverConnected,
  type OpenStackTransport,
  type StreamedResponse,
  type TransportResponse,
  unreachableReason,
} from "./openstack-transport.js";

/** A user to authenticate as (Rally's credential fields). */
export interface OpenStackUser {
  readonly username: string;
  readonly password: string;
  /** Default `Default`. */
  readonly userDomainName?: string | undefined;
  /** Scope the token to this project; without it the token is unscoped (no catalog). */
  readonly projectName?: string | undefined;
  /** Default `Default`. */
  readonly projectDomainName?: string | undefined;
}

/** Where and how to reach the cloud. */
export interface CloudTarget {
  /** Keystone's URL, with or without `/v3`. */
  readonly authUrl: string;
  /** Catalog region; any region when absent. */
  readonly region?: string | undefined;
  /** Catalog interface, default `public`. */
  readonly interface?: "public" | "internal" | "admin" | undefined;
  /** Catalog service type to use instead of the usual one (`api_versions` context), by usual type. */
  readonly serviceTypes?: Readonly<Record<string, string>> | undefined;
}

/** One endpoint of the service catalog. */
export interface CatalogEndpoint {
  readonly type: string;
  readonly interface: string;
  readonly region: string | undefined;
  readonly url: string;
}

/** A token Keystone issued. */
export interface IssuedToken {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly userId: string;
  readonly projectId: string | undefined;
  readonly catalog: readonly CatalogEndpoint[];
}

/** Re-authenticate when the cached token expires within this many milliseconds. */
const EXPIRY_MARGIN_MS = 30_000;

/** Keystone's `.../v3` for an `auth_url` written with or without `/v3`. */
export function identityV3Url(authUrl: string): string {
  return `${authUrl.replace(/\/+$/, "").replace(/\/v3$/, "")}/v3`;
}

interface TokenBody {
  token?: {
    expires_at?: string;
    user?: { id?: string };
    project?: { id?: string };
    catalog?: {
      type?: string;
      endpoints?: { interface?: string; region_id?: string; region?: string; url?: string }[];
    }[];
  };
}

/** The endpoints of a token body's service catalog. */
export function catalogOf(body: TokenBody): CatalogEndpoint[] {
  return (body.token?.catalog ?? []).flatMap((service) =>
    (service.endpoints ?? []).flatMap((endpoint) =>
      typeof service.type === "string" && typeof endpoint.url === "string"
        ? [
            {
              type: service.type,
              interface: endpoint.interface ?? "public",
              region: endpoint.region_id ?? endpoint.region,
              url: endpoint.url,
            },
          ]
        : [],
    ),
  );
}

/** The password-auth body of `POST /v3/auth/tokens`. */
export function passwordAuthBody(user: OpenStackUser): unknown {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: {
            name: user.username,
            domain: { name: user.userDomainName ?? "Default" },
            password: user.password,
          },
        },
      },
      ...(user.projectName === undefined
        ? {}
        : {
            scope: {
              project: { name: user.projectName, domain: { name: user.projectDomainName ?? "Default" } },
            },
          }),
    },
  };
}

export interface CallOptions {
  /** JSON (any value) or text (a string, sent with `contentType`). */
  readonly body?: unknown;
  /** `Content-Type` of a string body; JSON bodies are `application/json`. */
  readonly contentType?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses that are success; default any 2xx. */
  readonly expect?: readonly number[];
  /** Aborts the request (the iteration's signal). */
  readonly signal?: AbortSignal | undefined;
}

export interface StreamOptions {
  /** Bytes to send (image data). */
  readonly body?: Readable | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expect?: readonly number[];
  readonly signal?: AbortSignal | undefined;
}

/** A service answer read whole, with its body parsed on demand. */
export interface ServiceResponse extends TransportResponse {
  json<T>(): T;
}

function responseOf(response: TransportResponse): ServiceResponse {
  return { ...response, json: <T>() => JSON.parse(response.text) as T };
}

/** One authenticated user of one cloud. */
export class KeystoneSession {
  private cached: IssuedToken | undefined;
  private pending: Promise<IssuedToken> | undefined;

  constructor(
    readonly target: CloudTarget,
    readonly user: OpenStackUser,
    readonly transport: OpenStackTransport,
    private readonly now: () => number = Date.now,
  ) {}

  private unreachable(error: unknown, method: string, url: string): never {
    this.serviceUnreachable("identity", this.target.authUrl, method, url, error);
  }

  /**
   * Version discovery as keystoneauth does it before authenticating: `GET <auth_url>` (200, or
   * 300 for an unversioned URL). Paddock needs no discovery; it runs only to reproduce Rally's
   * per-iteration requests.
   */
  async discover(signal?: AbortSignal): Promise<void> {
    const url = this.target.authUrl;
    const response = await this.transport
      .send(url, { method: "GET", headers: { accept: "application/json" }, signal })
      .catch((error: unknown) => this.unreachable(error, "GET", url));
    if (response.status !== 200 && response.status !== 300) {
      throw apiErrorOf(
        "Keystone",
        "GET",
        new URL(url).pathname,
        response.status,
        response.text,
        response.headers,
      );
    }
  }

  /** Always asks Keystone for a new token (`POST /v3/auth/tokens`) and caches it. */
  async authenticate(signal?: AbortSignal): Promise<IssuedToken> {
    const url = `${identityV3Url(this.target.authUrl)}/auth/tokens`;
    const response = await this.transport
      .send(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(passwordAuthBody(this.user)),
        signal,
      })
      .catch((error: unknown) => this.unreachable(error, "POST", url));
    const requestId = requestIdOf(response.headers);
    const suffix = requestId === undefined ? "" : ` (request id ${requestId})`;
    if (response.status === 401) {
      const detail = serviceMessageOf(response.text);
      throw new AuthenticationFailed(
        `Keystone at ${this.target.authUrl} refused the credentials of user '${this.user.username}'${
          this.user.projectName === undefined ? "" : ` for project '${this.user.projectName}'`
        } (401${detail === "" ? "" : `: ${detail}`})${suffix}`,
        detail,
        requestId,
      );
    }
    if (response.status !== 201) {
      throw apiErrorOf(
        "Keystone",
        "POST",
        "/v3/auth/tokens",
        response.status,
        response.text,
        response.headers,
      );
    }
    const id = response.headers.get("x-subject-token");
    let body: TokenBody;
    try {
      body = JSON.parse(response.text) as TokenBody;
    } catch {
      body = {};
    }
    if (id === null || body.token === undefined) {
      throw new OpenStackApiError(
        `Keystone answered POST /v3/auth/tokens with 201 but without a token${suffix}`,
        response.status,
        requestId,
      );
    }
    const expiresAt = Date.parse(body.token.expires_at ?? "");
    const token: IssuedToken = {
      id,
      expiresAt: Number.isNaN(expiresAt) ? this.now() + 3_600_000 : expiresAt,
      userId: body.token.user?.id ?? "",
      projectId: body.token.project?.id,
      catalog: catalogOf(body),
    };
    this.cached = token;
    return token;
  }

  /**
   * The cached token, or a new one when there is none or it expires within 30 s. The shared
   * authentication is bound to no iteration, so one iteration's abort cannot fail the others.
   */
  async token(): Promise<IssuedToken> {
    const cached = this.cached;
    if (cached !== undefined && cached.expiresAt - this.now() > EXPIRY_MARGIN_MS) return cached;
    this.pending ??= this.authenticate().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the cached token: the next call authenticates again. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** The catalog type of service `type` (changed by the `api_versions` context's `service_type`). */
  catalogType(type: string): string {
    return this.target.serviceTypes?.[type] ?? type;
  }

  /** The URL of service `type` in the token's catalog, for the target's interface and region. */
  async endpoint(type: string): Promise<string> {
    const token = await this.token();
    const wanted = this.target.interface ?? "public";
    const catalogType = this.catalogType(type);
    const found = token.catalog.find(
      (endpoint) =>
        endpoint.type === catalogType &&
        endpoint.interface === wanted &&
        (this.target.region === undefined || endpoint.region === this.target.region),
    );
    if (found === undefined) {
      const region = this.target.region === undefined ? "" : ` in region '${this.target.region}'`;
      const known = [...new Set(token.catalog.map((endpoint) => endpoint.type))].sort().join(", ");
      throw new EndpointNotFound(
        `The service catalog of ${this.target.authUrl} has no '${catalogType}' endpoint with interface '${wanted}'${region} (it lists: ${known === "" ? "nothing" : known})`,
      );
    }
    return found.url.replace(/\/+$/, "");
  }

  private async base(type: string): Promise<string> {
    const endpoint = await this.endpoint(type);
    return type === "identity" ? identityV3Url(endpoint) : endpoint;
  }

  private failure(
    type: string,
    method: string,
    path: string,
    response: TransportResponse,
  ): OpenStackApiError {
    const shown = `${type === "identity" ? "/v3" : ""}${path.replace(/\?.*$/, "")}`;
    return apiErrorOf(serviceTitleOf(type), method, shown, response.status, response.text, response.headers);
  }

  private serviceUnreachable(type: string, base: string, method: string, url: string, error: unknown): never {
    if (!(error instanceof ConnectionError)) throw error;
    const reason = unreachableReason(error.cause);
    throw new ConnectionError(
      neverConnected(error.cause)
        ? `${serviceTitleOf(type)} at ${base} is not reachable (${method} ${url}): ${reason}`
        : `${serviceTitleOf(type)} at ${base} closed the connection before answering ${method} ${url}: ${reason}`,
      { cause: error.cause },
    );
  }

  /**
   * Calls `path` on service `type` (`identity` calls go to its `/v3`) with the user's token and
   * reads the answer; a 401 authenticates again once and repeats the call. Other unexpected
   * statuses throw the `OpenStackApiError` subclass of the status.
   */
  async call(
    type: string,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ServiceResponse> {
    const send = async (): Promise<TransportResponse> => {
      const token = await this.token();
      const base = await this.base(type);
      const headers: Record<string, string> = { "x-auth-token": token.id, ...options.headers };
      let body: string | undefined;
      if (options.body !== undefined) {
        if (typeof options.body === "string") {
          body = options.body;
          if (options.contentType !== undefined) headers["content-type"] = options.contentType;
        } else {
          body = JSON.stringify(options.body);
          headers["content-type"] = options.contentType ?? "application/json";
        }
      }
      const url = `${base}${path}`;
      return this.transport
        .send(url, { method, headers, body, signal: options.signal })
        .catch((error: unknown) => this.serviceUnreachable(type, base, method, url, error));
    };
    let response = await send();
    if (response.status === 401) {
      this.invalidate();
      response = await send();
    }
    const ok = options.expect?.includes(response.status) ?? (response.status >= 200 && response.status < 300);
    if (!ok) throw this.failure(type, method, path, response);
    return responseOf(response);
  }

  /**
   * Like `call`, with a stream of bytes to send and the answer's body left unread (image data
   * both ways). A 401 is not retried: a stream can be sent only once.
   */
  async stream(
    type: string,
    method: string,
    path: string,
    options: StreamOptions = {},
  ): Promise<StreamedResponse> {
    const token = await this.token();
    const base = await this.base(type);
    const url = `${base}${path}`;
    const response = await this.transport
      .open(url, {
        method,
        headers: { "x-auth-token": token.id, ...options.headers },
        body: options.body,
        signal: options.signal,
      })
      .catch((error: unknown) => this.serviceUnreachable(type, base, method, url, error));
    const ok = options.expect?.includes(response.status) ?? (response.status >= 200 && response.status < 300);
    if (!ok) {
      const text = await response.body.text().catch(() => "");
      if (response.status === 401) this.invalidate();
      throw this.failure(type, method, path, { status: response.status, headers: response.headers, text });
    }
    return response;
  }
}
