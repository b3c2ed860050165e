/**
 * The catalog's configuration: read once from the environment by `main.ts`, failing fast with
 * every problem listed. The library folders default to `scenarios/` and `environments/` of the
 * repository the catalog is started in (found by walking up from the working directory).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadConfig, parsers, variable } from "@paddock/shared/config";

export const CATALOG_VARIABLES = {
  host: variable("PADDOCK_CATALOG_HOST", parsers.string, "Address the catalog binds", "127.0.0.1"),
  port: variable("PADDOCK_CATALOG_PORT", parsers.port, "Port of the catalog", 7401),
  scenarios: variable(
    "PADDOCK_SCENARIOS",
    parsers.string,
    "Folder of the scenario library (scenarios/<service>/*.yaml); relative to the working directory",
    "",
  ),
  environments: variable(
    "PADDOCK_ENVIRONMENTS",
    parsers.string,
    "Folder of the environments (environments/<name>.yaml); relative to the working directory",
    "",
  ),
  contexts: variable(
    "PADDOCK_CONTEXTS",
    parsers.string,
    "Folder of the context presets (<name>.yaml); default _contexts/ inside the scenario library",
    "",
  ),
  scenarioMaxBytes: variable(
    "PADDOCK_SCENARIO_MAX_BYTES",
    parsers.positiveInteger,
    "Largest scenario file the catalog saves, in bytes",
    512 * 1024,
  ),
  apiToken: variable(
    "PADDOCK_API_TOKEN",
    parsers.string,
    "Bearer token required on every route but health (required for a non-loopback bind)",
    "",
  ),
  logLevel: variable("PADDOCK_LOG_LEVEL", parsers.logLevel, "Log level", "info"),
} as const;

export interface CatalogConfig {
  readonly host: string;
  readonly port: number;
  /** Absolute folder of the scenario library. */
  readonly scenarios: string;
  /** Absolute folder of the environments. */
  readonly environments: string;
  /** Absolute folder of the context presets. */
  readonly contexts: string;
  /** Largest scenario text a save accepts, in bytes. */
  readonly scenarioMaxBytes: number;
  readonly apiToken?: string | undefined;
  readonly logLevel: string;
}

/** The repository holding `cwd`: the nearest folder up with an npm-workspaces package.json. */
export function findRepositoryRoot(cwd: string): string {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { workspaces?: unknown }).workspaces)
          return folder;
      } catch {
        // An unreadable package.json is not the repository's; keep looking.
      }
    }
    if (dirname(folder) === folder) return resolve(cwd);
  }
}

/** Reads the configuration from `env`; relative folders are resolved against `cwd`. */
export function loadCatalogConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): CatalogConfig {
  const raw = loadConfig(CATALOG_VARIABLES, env);
  const folder = (value: string, fallback: string) =>
    value === "" ? join(findRepositoryRoot(cwd), fallback) : resolve(cwd, value);
  const scenarios = folder(raw.scenarios, "scenarios");
  return {
    host: raw.host,
    port: raw.port,
    scenarios,
    environments: folder(raw.environments, "environments"),
    contexts: raw.contexts === "" ? join(scenarios, "_contexts") : resolve(cwd, raw.contexts),
    scenarioMaxBytes: raw.scenarioMaxBytes,
    apiToken: raw.apiToken === "" ? undefined : raw.apiToken,
    logLevel: raw.logLevel,
  };
}
