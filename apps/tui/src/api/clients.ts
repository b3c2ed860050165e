/**
 * The three service clients built from the CLI configuration, plus a readiness probe of each.
 */
import type { CliConfig } from "../config.js";
import { type CatalogApi, createCatalogClient } from "./catalog-client.js";
import { createHttpClient, type HttpClient } from "./http-client.js";
import { createResultsClient, type ResultsApi } from "./results-client.js";
import { createRunnerClient, type RunnerApi } from "./runner-client.js";

export type ServiceName = "catalog" | "runner" | "results";

/** Readiness of one service: `ok` (200), `degraded` (answers, dependencies missing), `down`. */
export type Readiness = "ok" | "degraded" | "down";

export interface Clients {
  readonly catalog: CatalogApi;
  readonly runner: RunnerApi;
  readonly results: ResultsApi;
  /** Asks each service's `/readyz`. */
  readiness(): Promise<Record<ServiceName, Readiness>>;
}

/** How messages name each service: "cannot reach the results service at ...". */
export const SERVICE_LABELS: Record<ServiceName, string> = {
  catalog: "catalog",
  runner: "runner",
  results: "results service",
};

function readinessOf(status: number | undefined): Readiness {
  if (status === undefined) return "down";
  return status === 200 ? "ok" : "degraded";
}

const URL_OF = { catalog: "catalogUrl", runner: "runnerUrl", results: "resultsUrl" } as const;

/** An HTTP client of one service, with the CLI's URL, token and timeout for it. */
export function serviceHttpClient(config: CliConfig, service: ServiceName): HttpClient {
  return createHttpClient({
    service: SERVICE_LABELS[service],
    baseUrl: config[URL_OF[service]],
    token: config.apiToken,
    timeoutMs: config.httpTimeoutMs,
  });
}

export function createClients(config: CliConfig): Clients {
  const catalogHttp = serviceHttpClient(config, "catalog");
  const runnerHttp = serviceHttpClient(config, "runner");
  const resultsHttp = serviceHttpClient(config, "results");
  return {
    catalog: createCatalogClient(catalogHttp),
    runner: createRunnerClient(runnerHttp),
    results: createResultsClient(resultsHttp),
    async readiness() {
      const [catalog, runner, results] = await Promise.all(
        [catalogHttp, runnerHttp, resultsHttp].map((client) => client.probe("/readyz")),
      );
      return { catalog: readinessOf(catalog), runner: readinessOf(runner), results: readinessOf(results) };
    },
  };
}
