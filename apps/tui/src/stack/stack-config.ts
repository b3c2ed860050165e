/**
 * Configuration of `paddock up`, the local stack launcher: where each service listens and where
 * state goes. Read once from the environment; the services read their own variables themselves.
 */
import { loadConfig, parsers, variable } from "@paddock/shared/config";

export const STACK_VARIABLES = {
  natsUrl: variable("NATS_URL", parsers.string, "Use this NATS server instead of starting one", ""),
  natsPort: variable("PADDOCK_NATS_PORT", parsers.port, "Port of the nats-server `paddock up` starts", 4222),
  catalogHost: variable("PADDOCK_CATALOG_HOST", parsers.string, "Address the catalog binds", "127.0.0.1"),
  catalogPort: variable("PADDOCK_CATALOG_PORT", parsers.port, "Port of the catalog", 7401),
  runnerHost: variable("PADDOCK_RUNNER_HOST", parsers.string, "Address the runner binds", "127.0.0.1"),
  runnerPort: variable("PADDOCK_RUNNER_PORT", parsers.port, "Port of the runner", 7402),
  resultsHost: variable(
    "PADDOCK_RESULTS_HOST",
    parsers.string,
    "Address the results service binds",
    "127.0.0.1",
  ),
  resultsPort: variable("PADDOCK_RESULTS_PORT", parsers.port, "Port of the results service", 7403),
  dataDir: variable("PADDOCK_DATA_DIR", parsers.string, "State folder (NATS store, SQLite, logs)", ""),
};

export type StackConfig = ReturnType<typeof loadStackConfig>;

export function loadStackConfig(env: Readonly<Record<string, string | undefined>>) {
  return loadConfig(STACK_VARIABLES, env);
}
