/**
 * Configuration of the `paddock` CLI and TUI: where the services and NATS are, and the API
 * token. Read once, here only, from the environment.
 */
import { NATS_VARIABLES } from "@paddock/bus";
import { type ConfigOf, loadConfig, parsers, variable } from "@paddock/shared/config";

export const CLI_VARIABLES = {
  catalogUrl: variable(
    "PADDOCK_CATALOG_URL",
    parsers.url,
    "URL of the catalog service",
    "http://127.0.0.1:7401",
  ),
  runnerUrl: variable(
    "PADDOCK_RUNNER_URL",
    parsers.url,
    "URL of the runner service",
    "http://127.0.0.1:7402",
  ),
  resultsUrl: variable(
    "PADDOCK_RESULTS_URL",
    parsers.url,
    "URL of the results service",
    "http://127.0.0.1:7403",
  ),
  // NATS_URL (the server(s) to follow live events on) and its credentials.
  ...NATS_VARIABLES,
  apiToken: variable(
    "PADDOCK_API_TOKEN",
    parsers.string,
    "Bearer token sent to the services (needed when they bind beyond loopback)",
    "",
  ),
  httpTimeoutMs: variable(
    "PADDOCK_HTTP_TIMEOUT_MS",
    parsers.positiveInteger,
    "Milliseconds to wait for a service to answer one request",
    10_000,
  ),
  resultsWaitSeconds: variable(
    "PADDOCK_RESULTS_WAIT_SECONDS",
    parsers.positiveInteger,
    "Seconds `task start --wait` waits for the results service to hold a finished task's statistics",
    60,
  ),
};

/** The CLI's settings; URLs without a trailing slash, times in the units their names say. */
export type CliConfig = ConfigOf<typeof CLI_VARIABLES>;

export function loadCliConfig(env: Readonly<Record<string, string | undefined>>): CliConfig {
  return loadConfig(CLI_VARIABLES, env);
}
