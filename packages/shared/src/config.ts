/**
 * Config loading shared by every deployable. Each deployable's own `config.ts` declares its
 * variables; this reads them once, coerces them, and fails fast listing every problem at once.
 */
import { ConfigInvalid, type ProblemDetail } from "./errors.js";

type Parser<T> = (raw: string) => T;

export interface Variable<T> {
  /** The environment variable's name, e.g. `PADDOCK_CATALOG_PORT`. */
  readonly name: string;
  readonly parse: Parser<T>;
  /** Used when the variable is unset or empty. Without a default, the variable is required. */
  readonly default?: T;
  readonly description: string;
}

export type Variables = Record<string, Variable<unknown>>;
export type ConfigOf<V extends Variables> = {
  readonly [K in keyof V]: V[K] extends Variable<infer T> ? T : never;
};

export function variable<T>(name: string, parse: Parser<T>, description: string, fallback?: T): Variable<T> {
  return fallback === undefined
    ? { name, parse, description }
    : { name, parse, description, default: fallback };
}

export const parsers = {
  string: (raw: string): string => raw,
  port: (raw: string): number => {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`'${raw}' is not a TCP port (0-65535)`);
    return port;
  },
  positiveInteger: (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`'${raw}' is not a positive integer`);
    return value;
  },
  url: (raw: string): string => {
    try {
      return new URL(raw).toString().replace(/\/$/, "");
    } catch {
      throw new Error(`'${raw}' is not a URL`);
    }
  },
  boolean: (raw: string): boolean => {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new Error(`'${raw}' is not a boolean (true/false)`);
  },
  list: (raw: string): string[] =>
    raw
      .split(/[,:]/)
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  logLevel: (raw: string): string => {
    const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
    if (!levels.includes(raw)) throw new Error(`'${raw}' is not one of ${levels.join(", ")}`);
    return raw;
  },
} as const;

/** Reads every variable from `env`, collecting all problems before throwing one `ConfigInvalid`. */
export function loadConfig<V extends Variables>(
  variables: V,
  env: Readonly<Record<string, string | undefined>>,
): ConfigOf<V> {
  const problems: ProblemDetail[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(variables)) {
    const raw = env[spec.name];
    if (raw === undefined || raw === "") {
      if ("default" in spec) config[key] = spec.default;
      else problems.push({ path: spec.name, message: `${spec.name} is required: ${spec.description}` });
      continue;
    }
    try {
      config[key] = spec.parse(raw);
    } catch (error) {
      problems.push({ path: spec.name, message: `${spec.name}: ${(error as Error).message}` });
    }
  }
  if (problems.length > 0) {
    throw new ConfigInvalid(`Invalid configuration:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`, {
      problems,
    });
  }
  return config as ConfigOf<V>;
}

/** True when `host` is a loopback address, the only kind a service binds without an API token. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Lines for `.env.example` and `docs/operations.md`, generated from the declared variables. */
export function describeVariables(variables: Variables): string[] {
  return Object.values(variables).map((spec) => {
    const fallback = "default" in spec ? ` (default: ${JSON.stringify(spec.default)})` : " (required)";
    return `${spec.name}: ${spec.description}${fallback}`;
  });
}
