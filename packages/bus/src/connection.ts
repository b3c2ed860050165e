/**
 * Connecting to NATS, with every way Paddock accepts credentials: in the URL
 * (`nats://user:password@host:4222`, `nats://token@host:4222`), a user and password, a token, or
 * a `.creds` file (decentralized JWT auth). This is the one place that turns them into a
 * connection; services and the CLI pass what their configuration read.
 */

import { readFileSync } from "node:fs";
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type NatsConnection,
} from "@nats-io/transport-node";
import { parsers, type Variable, variable } from "@paddock/shared/config";
import { ConfigInvalid, DependencyUnavailable, describeError } from "@paddock/shared/errors";

export interface BusOptions {
  /**
   * Comma-separated server URLs, e.g. `nats://127.0.0.1:4222`. A URL may carry credentials
   * (`nats://user:password@host`, or `nats://token@host`); they count as if given separately.
   */
  readonly url: string;
  /** Client name shown by the server's monitoring, e.g. `paddock-runner`. */
  readonly name: string;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly token?: string | undefined;
  /** Path of a `.creds` file (NATS decentralized auth). */
  readonly credsFile?: string | undefined;
  /** Keep retrying after a lost connection (services) or fail fast (CLI). Default true. */
  readonly reconnect?: boolean;
  /** Milliseconds to wait for the first connection. Default 5000. */
  readonly timeout?: number;
}

/** A variable that may stay unset. */
function optional(name: string, description: string): Variable<string | undefined> {
  return { name, parse: parsers.string, description, default: undefined };
}

/**
 * The NATS variables every deployable that connects reads (declare them in its `config.ts`,
 * then pass the values to `connectBus`).
 */
export const NATS_VARIABLES = {
  natsUrl: variable(
    "NATS_URL",
    parsers.string,
    "NATS server URL(s), comma-separated; may carry user:password@ or token@",
    "nats://127.0.0.1:4222",
  ),
  natsUser: optional("NATS_USER", "NATS user name (with NATS_PASSWORD)"),
  natsPassword: optional("NATS_PASSWORD", "NATS password"),
  natsToken: optional("NATS_TOKEN", "NATS authentication token"),
  natsCreds: optional("NATS_CREDS", "Path of a NATS .creds file (JWT and seed)"),
};

/** The URL with any password or token replaced by `***`, for messages and logs. */
export function redactNatsUrl(url: string): string {
  return url
    .split(",")
    .map((server) =>
      server.trim().replace(/\/\/([^@/]*)@/, (_match, auth: string) => {
        const colon = auth.indexOf(":");
        return colon >= 0 ? `//${auth.slice(0, colon)}:***@` : "//***@";
      }),
    )
    .join(",");
}

interface ServerAuth {
  readonly servers: string[];
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
}

/** Splits credentials out of the server URLs; every URL that carries some must carry the same. */
function serversAndUrlAuth(url: string): ServerAuth {
  const servers: string[] = [];
  let found: { user?: string; password?: string; token?: string } | undefined;
  let foundKey: string | undefined;
  for (const raw of url
    .split(",")
    .map((server) => server.trim())
    .filter((server) => server !== "")) {
    const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `nats://${raw}`;
    let parsed: URL;
    try {
      parsed = new URL(withScheme);
    } catch {
      throw new ConfigInvalid(`NATS_URL: '${redactNatsUrl(raw)}' is not a URL`, {
        problems: [{ path: "NATS_URL", message: `'${redactNatsUrl(raw)}' is not a URL` }],
      });
    }
    if (parsed.username !== "" || parsed.password !== "") {
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      const auth = parsed.password === "" ? { token: user } : { user, password };
      const key = JSON.stringify(auth);
      if (foundKey !== undefined && key !== foundKey) {
        const message = "the servers of NATS_URL carry different credentials";
        throw new ConfigInvalid(`NATS_URL: ${message}`, { problems: [{ path: "NATS_URL", message }] });
      }
      found = auth;
      foundKey = key;
      parsed.username = "";
      parsed.password = "";
    }
    servers.push(`${parsed.protocol}//${parsed.host}`);
  }
  if (servers.length === 0) {
    throw new ConfigInvalid("NATS_URL is empty", { problems: [{ path: "NATS_URL", message: "is empty" }] });
  }
  return { servers, ...found };
}

/**
 * The connection settings for `options`: credentials from the URL, overridden by the separate
 * options; more than one way to authenticate (user/password, token, creds file) is refused.
 */
export function busConnectionOptions(options: BusOptions): ConnectionOptions {
  const fromUrl = serversAndUrlAuth(options.url);
  const user = options.user ?? fromUrl.user;
  const password = options.password ?? fromUrl.password;
  const token = options.token ?? fromUrl.token;
  const ways = [
    user !== undefined || password !== undefined
      ? "a user and password (NATS_USER/NATS_PASSWORD or the URL)"
      : "",
    token !== undefined ? "a token (NATS_TOKEN or the URL)" : "",
    options.credsFile !== undefined ? "a creds file (NATS_CREDS)" : "",
  ].filter((way) => way !== "");
  if (ways.length > 1) {
    const message = `choose one way to authenticate to NATS, not ${ways.join(" and ")}`;
    throw new ConfigInvalid(message, { problems: [{ path: "NATS_URL", message }] });
  }
  if ((user === undefined) !== (password === undefined)) {
    const message = "NATS_USER and NATS_PASSWORD go together: set both or neither";
    throw new ConfigInvalid(message, {
      problems: [{ path: user === undefined ? "NATS_USER" : "NATS_PASSWORD", message }],
    });
  }
  const settings: ConnectionOptions = {
    servers: fromUrl.servers,
    name: options.name,
    reconnect: options.reconnect ?? true,
    maxReconnectAttempts: -1,
    timeout: options.timeout ?? 5000,
  };
  if (user !== undefined) settings.user = user;
  if (password !== undefined) settings.pass = password;
  if (token !== undefined) settings.token = token;
  if (options.credsFile !== undefined) {
    let creds: Uint8Array;
    try {
      creds = readFileSync(options.credsFile);
    } catch (error) {
      const message = `the NATS creds file ${options.credsFile} cannot be read (${describeError(error)})`;
      throw new ConfigInvalid(message, { cause: error, problems: [{ path: "NATS_CREDS", message }] });
    }
    settings.authenticator = credsAuthenticator(creds);
  }
  return settings;
}

export async function connectBus(options: BusOptions): Promise<NatsConnection> {
  const settings = busConnectionOptions(options);
  try {
    return await connect(settings);
  } catch (error) {
    throw new DependencyUnavailable(
      `NATS is not reachable at ${redactNatsUrl(options.url)} (${describeError(error)}). Start nats-server with JetStream (-js) or set NATS_URL, and check the NATS credentials.`,
      { cause: error },
    );
  }
}
