/**
 * Keystone v3 password authentication for one user: the token is cached until shortly before it
 * expires and fetched again then, or when a service answers 401; the token's service catalog
 * gives each service's endpoint by type, interface and region.
 */
import type { HttpClient, HttpResponse } from "../plugin.js";
import {
  AuthenticationFailed,
  describeFailure,
  EndpointNotFound,
  OpenStackApiError,
  requestIdOf,
} from "./openstack-errors.js";

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

function catalogOf(body: TokenBody): CatalogEndpoint[] {
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
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses that are success; default any 2xx. */
  readonly expect?: readonly number[];
}

/** One authenticated user of one cloud. */
export class KeystoneSession {
  private cached: IssuedToken | undefined;
  private pending: Promise<IssuedToken> | undefined;

  constructor(
    readonly target: CloudTarget,
    readonly user: OpenStackUser,
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Always asks Keystone for a new token (`POST /v3/auth/tokens`) and caches it. */
  async authenticate(http: HttpClient = this.http): Promise<IssuedToken> {
    const path = "/v3/auth/tokens";
    const response = await http.post(
      `${identityV3Url(this.target.authUrl)}/auth/tokens`,
      passwordAuthBody(this.user),
    );
    if (response.status === 401) {
      throw new AuthenticationFailed(
        `Keystone at ${this.target.authUrl} refused the credentials of user '${this.user.username}'${
          this.user.projectName === undefined ? "" : ` for project '${this.user.projectName}'`
        } (401)${suffixOf(response)}`,
      );
    }
    if (response.status !== 201) {
      throw new OpenStackApiError(
        describeFailure(
          "Keystone",
          "POST",
          path,
          response.status,
          response.body,
          requestIdOf(response.headers),
        ),
        response.status,
        requestIdOf(response.headers),
      );
    }
    const id = response.headers.get("x-subject-token");
    const body = response.json<TokenBody>();
    if (id === null || body.token === undefined) {
      throw new OpenStackApiError(
        `Keystone answered POST ${path} with 201 but without a token${suffixOf(response)}`,
        response.status,
        requestIdOf(response.headers),
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

  /** The cached token, or a new one when there is none or it expires within 30 s. */
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

  /** The URL of service `type` in the token's catalog, for the target's interface and region. */
  async endpoint(type: string): Promise<string> {
    const token = await this.token();
    const wanted = this.target.interface ?? "public";
    const found = token.catalog.find(
      (endpoint) =>
        endpoint.type === type &&
        endpoint.interface === wanted &&
        (this.target.region === undefined || endpoint.region === this.target.region),
    );
    if (found === undefined) {
      const region = this.target.region === undefined ? "" : ` in region '${this.target.region}'`;
      const known = [...new Set(token.catalog.map((endpoint) => endpoint.type))].sort().join(", ");
      throw new EndpointNotFound(
        `The service catalog of ${this.target.authUrl} has no '${type}' endpoint with interface '${wanted}'${region} (it lists: ${known === "" ? "nothing" : known})`,
      );
    }
    return found.url.replace(/\/+$/, "");
  }

  /**
   * Calls `path` on service `type` (`identity` calls go to its `/v3`) with the user's token; a 401
   * authenticates again once and repeats the call. Other unexpected statuses throw `OpenStackApiError`.
   */
  async call(
    http: HttpClient,
    type: string,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<HttpResponse> {
    const send = async (): Promise<HttpResponse> => {
      const token = await this.token();
      const base = type === "identity" ? identityV3Url(await this.endpoint(type)) : await this.endpoint(type);
      return http.request(`${base}${path}`, {
        method,
        headers: { "x-auth-token": token.id, ...options.headers },
        ...(options.body === undefined ? {} : { body: options.body }),
      });
    };
    let response = await send();
    if (response.status === 401) {
      this.invalidate();
      response = await send();
    }
    const ok = options.expect?.includes(response.status) ?? (response.status >= 200 && response.status < 300);
    if (!ok) {
      const service = type === "identity" ? "Keystone" : `The '${type}' service`;
      const requestId = requestIdOf(response.headers);
      throw new OpenStackApiError(
        describeFailure(
          service,
          method,
          `${type === "identity" ? "/v3" : ""}${path.replace(/\?.*$/, "")}`,
          response.status,
          response.body,
          requestId,
        ),
        response.status,
        requestId,
      );
    }
    return response;
  }
}

function suffixOf(response: HttpResponse): string {
  const id = requestIdOf(response.headers);
  return id === undefined ? "" : ` (request id ${id})`;
}
