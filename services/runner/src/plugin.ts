/**
 * The scenario plugin API (`@paddock/runner/plugin`). Writing a plugin needs this one import:
 *
 * ```ts
 * import { defineScenario, Type } from "@paddock/runner/plugin";
 * export default defineScenario({
 *   name: "MyService.list_things",
 *   args: Type.Object({ limit: Type.Integer({ default: 10 }) }),
 *   async run(ctx, { limit }) {
 *     await ctx.atomic("things.list", () => ctx.http.get(`/things?limit=${limit}`));
 *   },
 * });
 * ```
 *
 * The runner validates a workload's `args` against `args` (defaults applied, unknown keys
 * rejected unless the schema sets `additionalProperties: true`) before anything runs, and calls
 * `run` once per iteration. A thrown error fails the iteration; its Rally error type is the
 * error's `name` (or its class name).
 */
import Type, { type Static, type TObject, type TSchema } from "typebox";

export type { Static, TObject, TSchema };
export { Type };

/** One chart of Rally's scenario output (`StatsTable`, `Lines`, `StackedArea`, `Pie`, `Table`, `TextArea`). */
export interface ChartOutput {
  readonly title: string;
  readonly chart_plugin: string;
  readonly data: unknown;
  readonly description?: string;
  readonly label?: string;
  readonly axis_label?: string;
}

/** What `ctx.addOutput` takes: an `additive` chart (merged across iterations) and/or a `complete` one. */
export interface ScenarioOutput {
  readonly additive?: ChartOutput;
  readonly complete?: ChartOutput;
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; any other value as JSON. */
  readonly body?: unknown;
  /** Seconds before the request is abandoned; default none (the iteration's timeout still applies). */
  readonly timeout?: number;
  /** Follow redirects (default true); false returns the 3xx response itself. */
  readonly followRedirects?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The whole body, read so the connection can be reused. */
  readonly body: string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

/** HTTP over keep-alive connections; relative URLs resolve against the client's base URL. */
export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  get(url: string, options?: Omit<HttpRequestOptions, "method" | "body">): Promise<HttpResponse>;
  post(
    url: string,
    body?: unknown,
    options?: Omit<HttpRequestOptions, "method" | "body">,
  ): Promise<HttpResponse>;
}

/**
 * The environment a task runs against (`environments/<name>.yaml`), its `${VAR}` references
 * resolved from the runner's process environment. It holds secrets: never log or output it.
 */
export interface ScenarioEnvironment {
  /** The environment's name, e.g. `local`. */
  readonly name: string;
  /** `generic`, `http`, `openstack`, ... */
  readonly platform: string;
  /** The platform's settings with secrets resolved (OpenStack `auth_url` and users, HTTP `base_url`...). */
  readonly spec: Readonly<Record<string, unknown>>;
}

/** What a scenario sees during one iteration. */
export interface ScenarioContext {
  /** The iteration's number within its workload, from 1 (Rally's `context["iteration"]`). */
  readonly iteration: number;
  /** Aborted when the iteration times out or the task is hard-aborted; pass it to anything that waits. */
  readonly signal: AbortSignal;
  /**
   * Keep-alive HTTP client bound to `signal`. In an `http` environment relative URLs resolve
   * against its `base_url` and its headers are sent with every request.
   */
  readonly http: HttpClient;
  /** The environment the task runs against (secrets resolved). */
  readonly environment: ScenarioEnvironment;
  /**
   * Times `fn` as an atomic action named `name`. Atomic actions started inside `fn` (awaited or
   * not) nest under it; one that throws is marked `failed` and the error propagates.
   */
  atomic<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  /** Sleeps `seconds`, counted as idle time: excluded from the iteration's `duration` (Rally's `sleep_between`). */
  sleep(seconds: number): Promise<void>;
  /** Waits `seconds` as part of the work: counted in `duration` (Rally's `interruptable_sleep`). */
  wait(seconds: number): Promise<void>;
  /** Adds charts to the iteration's `output`. */
  addOutput(output: ScenarioOutput): void;
}

const SCENARIO = Symbol.for("paddock.scenario-plugin");

export interface ScenarioDefinition<A extends TObject = TObject> {
  /** Rally's `Group.method` name, e.g. `Dummy.dummy`. */
  readonly name: string;
  readonly description?: string;
  /** The arguments' schema; `default`s fill missing arguments. */
  readonly args: A;
  /**
   * Contexts every workload of this scenario runs with unless it sets them itself, name → config
   * (Rally's `@scenario.configure(context=...)`, e.g. `{ admin_cleanup: ["keystone"] }`).
   */
  readonly contexts?: Readonly<Record<string, unknown>>;
  run(ctx: ScenarioContext, args: Static<A>): void | Promise<void>;
}

export interface ScenarioPlugin<A extends TObject = TObject> extends ScenarioDefinition<A> {
  readonly description: string;
  readonly [SCENARIO]: true;
}

const PLUGIN_NAME = /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_.-]+$/;

/** Declares a scenario plugin. Throws when the name is not `Group.method`. */
export function defineScenario<A extends TObject>(definition: ScenarioDefinition<A>): ScenarioPlugin<A> {
  if (!PLUGIN_NAME.test(definition.name)) {
    throw new TypeError(
      `Scenario plugin name '${definition.name}' must look like 'Group.method' (letters, digits, '_')`,
    );
  }
  return Object.freeze({
    ...definition,
    description: definition.description ?? "",
    [SCENARIO]: true as const,
  });
}

export function isScenarioPlugin(value: unknown): value is ScenarioPlugin {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SCENARIO] === true;
}
