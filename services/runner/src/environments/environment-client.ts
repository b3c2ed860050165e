/**
 * Fetching an environment's definition from the catalog (`GET /environments/<name>`): its
 * platform and `spec`, with `${VAR}` references exactly as written in the file.
 */
import { EnvironmentDefinition } from "@paddock/shared/api";
import { DependencyUnavailable, describeError, EnvironmentNotFound } from "@paddock/shared/errors";
import Compile from "typebox/compile";
import { EnvironmentInvalid } from "./environment-errors.js";

/** Returns environment `name` as the catalog serves it (secrets unresolved). */
export type FetchEnvironment = (name: string) => Promise<EnvironmentDefinition>;

export interface EnvironmentClientOptions {
  /** Milliseconds before the catalog counts as down. Default 10000. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const checkDefinition = Compile(EnvironmentDefinition);

export function createEnvironmentClient(
  catalogUrl: string,
  options: EnvironmentClientOptions = {},
): FetchEnvironment {
  const doFetch = options.fetch ?? fetch;
  const base = catalogUrl.replace(/\/+$/, "");
  return async (name) => {
    const url = `${base}/environments/${encodeURIComponent(name)}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DependencyUnavailable(
        `The catalog is not reachable at ${base} (${describeError(error)}). Start it or set PADDOCK_CATALOG_URL.`,
        { cause: error },
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new EnvironmentNotFound(name);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new DependencyUnavailable(
        `The catalog at ${base} answered ${response.status} for environment '${name}': ${text.slice(0, 200)}`,
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!checkDefinition.Check(body)) {
      throw new DependencyUnavailable(
        `The catalog at ${base} sent environment '${name}' in an unknown shape`,
      );
    }
    if (body.error !== undefined) {
      throw new EnvironmentInvalid(
        `Environment '${name}' (${body.file}) is invalid: ${body.error.message}`,
        (body.problems ?? []).map((problem) => ({ path: problem.field, message: problem.message })),
      );
    }
    return body;
  };
}
