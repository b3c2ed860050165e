/**
 * The runner's configuration: every environment variable it reads, with defaults. Only this
 * file touches `process.env` (through `loadRunnerConfig`, called by `main.ts`).
 */
import { hostname } from "node:os";
import { NATS_VARIABLES } from "@paddock/bus";
import { type ConfigOf, loadConfig, parsers, type Variable, variable } from "@paddock/shared/config";

const RUNNER_ID = /^[A-Za-z0-9_-]+$/;

/** `runner-<hostname>-<pid>` with every character a NATS subject token cannot hold replaced by `-`. */
export function defaultRunnerId(host: string = hostname(), pid: number = process.pid): string {
  return `runner-${host}-${pid}`.replace(/[^A-Za-z0-9_-]/g, "-");
}

/** A variable that may stay unset (`variable()` without a default makes it required). */
function optional<T>(name: string, parse: (raw: string) => T, description: string): Variable<T | undefined> {
  return { name, parse, description, default: undefined };
}

function runnerId(raw: string): string {
  if (!RUNNER_ID.test(raw)) {
    throw new Error(`'${raw}' may only contain letters, digits, '_' and '-' (it is part of a NATS subject)`);
  }
  return raw;
}

function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`'${raw}' is not a whole number ≥ 1`);
  }
  return value;
}

/** Heartbeats go out every 2 s: a ttl under two beats would call a runner dead for one late beat. */
function heartbeatTtl(raw: string): number {
  const value = positiveInteger(raw);
  if (value < 5) throw new Error(`'${raw}' is under 5 s (heartbeats go out every 2 s; allow for a late one)`);
  return value;
}

export const runnerVariables = {
  host: variable("PADDOCK_RUNNER_HOST", parsers.string, "Address the runner's HTTP API binds", "127.0.0.1"),
  port: variable("PADDOCK_RUNNER_PORT", parsers.port, "TCP port of the runner's HTTP API", 7402),
  ...NATS_VARIABLES,
  catalogUrl: variable(
    "PADDOCK_CATALOG_URL",
    parsers.url,
    "Base URL of the catalog service the runner fetches scenarios from",
    "http://127.0.0.1:7401",
  ),
  runnerId: variable(
    "PADDOCK_RUNNER_ID",
    runnerId,
    "This runner's id in events and heartbeats (letters, digits, '_', '-')",
    defaultRunnerId(),
  ),
  pluginPaths: variable<string[]>(
    "PADDOCK_PLUGIN_PATHS",
    parsers.list,
    "Files or folders of user scenario plugins (.js/.mjs), separated by ',' or ':'",
    [],
  ),
  maxTasks: variable(
    "PADDOCK_RUNNER_MAX_TASKS",
    positiveInteger,
    "Tasks this runner executes at once; more wait in the shared queue (status queued)",
    1,
  ),
  heartbeatTtl: variable(
    "PADDOCK_HEARTBEAT_TTL",
    heartbeatTtl,
    "Seconds after its last heartbeat (one every 2 s) that this runner may be considered dead: coordinators then mark its shares lost",
    10,
  ),
  envCheckTimeoutMs: variable(
    "PADDOCK_ENV_CHECK_TIMEOUT_MS",
    positiveInteger,
    "Milliseconds each request of `POST /environments/:name/check` may take",
    10_000,
  ),
  apiToken: optional(
    "PADDOCK_API_TOKEN",
    parsers.string,
    "Bearer token required on every route but health (required to bind a non-loopback address)",
  ),
  logLevel: variable("PADDOCK_LOG_LEVEL", parsers.logLevel, "Log level (fatal..trace, silent)", "info"),
};

export type RunnerConfig = ConfigOf<typeof runnerVariables>;

/** Reads the runner's configuration, listing every problem at once (`ConfigInvalid`). */
export function loadRunnerConfig(env: Readonly<Record<string, string | undefined>>): RunnerConfig {
  return loadConfig(runnerVariables, env);
}
