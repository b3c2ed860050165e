/**
 * Resolving an environment's `${VAR}` references from the runner's own process environment, at
 * execution time only. The resolved spec lives in memory for the run: it is never published,
 * stored, logged or returned (events carry the environment's name).
 */
import type { EnvironmentDefinition } from "@paddock/shared/api";
import type { ScenarioEnvironment } from "../plugin.js";
import type { FetchEnvironment } from "./environment-client.js";
import { EnvironmentVariableMissing } from "./environment-errors.js";

/** Variables the references are read from: the runner's process environment. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** Fetches environment `name` and resolves its references (throws a precise error otherwise). */
export type ResolveEnvironment = (name: string) => Promise<ScenarioEnvironment>;

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function fieldOf(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Returns `definition` with every `${VAR}` in its spec's strings replaced by the variable's
 * value; a variable that is not set throws `EnvironmentVariableMissing` naming it, the field and
 * the file.
 */
export function resolveEnvironment(
  definition: EnvironmentDefinition,
  variables: EnvironmentVariables,
): ScenarioEnvironment {
  const resolve = (value: unknown, field: string): unknown => {
    if (typeof value === "string") {
      return value.replace(REFERENCE, (_match, name: string) => {
        const resolved = Object.hasOwn(variables, name) ? variables[name] : undefined;
        if (resolved === undefined) {
          throw new EnvironmentVariableMissing(definition.name, definition.file, field, name);
        }
        return resolved;
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => resolve(item, fieldOf(field, index)));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, resolve(item, fieldOf(field, key))]),
      );
    }
    return value;
  };
  const spec = resolve(definition.spec, "spec") as Record<string, unknown>;
  return Object.freeze({ name: definition.name, platform: definition.platform, spec });
}

/** The usual resolver: the catalog's definition, then the references from `variables`. */
export function createEnvironmentResolver(
  fetchEnvironment: FetchEnvironment,
  variables: EnvironmentVariables,
): ResolveEnvironment {
  return async (name) => resolveEnvironment(await fetchEnvironment(name), variables);
}

/** Where `ctx.http` sends relative URLs, and the headers it adds, for an `http` environment. */
export interface HttpTarget {
  readonly baseUrl?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export function httpTargetOf(environment: ScenarioEnvironment | undefined): HttpTarget {
  if (environment?.platform !== "http") return {};
  const { base_url: baseUrl, headers } = environment.spec as { base_url?: unknown; headers?: unknown };
  const stringHeaders =
    typeof headers === "object" && headers !== null
      ? Object.fromEntries(
          Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
        )
      : undefined;
  return { baseUrl: typeof baseUrl === "string" ? baseUrl : undefined, headers: stringHeaders };
}
