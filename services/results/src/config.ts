/**
 * The results service's configuration: read once from the environment by `main.ts`, failing fast
 * with every problem listed. `MONGO_URL` selects the MongoDB store, otherwise SQLite under the data folder.
 */
import { isAbsolute, join, resolve } from "node:path";
import { NATS_VARIABLES } from "@paddock/bus";
import { loadConfig, parsers, variable } from "@paddock/shared/config";

/** Seconds, a number above zero (fractions allowed). */
function positiveSeconds(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`'${raw}' is not a number of seconds above 0`);
  return value;
}

export const RESULTS_VARIABLES = {
  host: variable("PADDOCK_RESULTS_HOST", parsers.string, "Address the results service binds", "127.0.0.1"),
  port: variable("PADDOCK_RESULTS_PORT", parsers.port, "Port of the results service", 7403),
  ...NATS_VARIABLES,
  dataDir: variable(
    "PADDOCK_DATA_DIR",
    parsers.string,
    "Folder of Paddock's local state; the embedded store is results.sqlite in it",
    ".paddock",
  ),
  mongoUrl: variable("MONGO_URL", parsers.url, "MongoDB connection string; unset to use embedded SQLite", ""),
  apiToken: variable(
    "PADDOCK_API_TOKEN",
    parsers.string,
    "Bearer token required on every route but health (required for a non-loopback bind)",
    "",
  ),
  logLevel: variable("PADDOCK_LOG_LEVEL", parsers.logLevel, "Log level", "info"),
  heartbeatTimeout: variable(
    "PADDOCK_HEARTBEAT_TIMEOUT",
    positiveSeconds,
    "Seconds without a runner heartbeat after which its running tasks are marked crashed",
    15,
  ),
} as const;

export interface ResultsConfig {
  readonly host: string;
  readonly port: number;
  readonly nats: {
    readonly url: string;
    readonly user?: string | undefined;
    readonly password?: string | undefined;
    readonly token?: string | undefined;
    readonly credsFile?: string | undefined;
  };
  /** Absolute folder of local state. */
  readonly dataDir: string;
  /** Absolute path of the SQLite file (`<dataDir>/results.sqlite`); used when `mongoUrl` is unset. */
  readonly sqlitePath: string;
  /** MongoDB connection string; when set, the store is MongoDB instead of SQLite. */
  readonly mongoUrl?: string | undefined;
  readonly apiToken?: string | undefined;
  readonly logLevel: string;
  /** Seconds without a heartbeat before a runner's running tasks become `crashed`. */
  readonly heartbeatTimeoutSeconds: number;
}

function optional(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}

/** Reads the configuration from `env`; relative paths are resolved against `cwd`. */
export function loadResultsConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): ResultsConfig {
  const raw = loadConfig(RESULTS_VARIABLES, env);
  const dataDir = isAbsolute(raw.dataDir) ? raw.dataDir : resolve(cwd, raw.dataDir);
  return {
    host: raw.host,
    port: raw.port,
    nats: {
      url: raw.natsUrl,
      user: optional(raw.natsUser),
      password: optional(raw.natsPassword),
      token: optional(raw.natsToken),
      credsFile: optional(raw.natsCreds),
    },
    dataDir,
    sqlitePath: join(dataDir, "results.sqlite"),
    mongoUrl: optional(raw.mongoUrl),
    apiToken: optional(raw.apiToken),
    logLevel: raw.logLevel,
    heartbeatTimeoutSeconds: raw.heartbeatTimeout,
  };
}
