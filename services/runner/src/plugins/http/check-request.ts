/**
 * Rally's `HttpRequests.*` scenarios: one request per iteration inside the atomic action
 * `requests.check_request`, failing with Rally's `ValueError` when the status differs. Paddock
 * keeps connections alive (Rally opens one per request). Of the `requests` library's options,
 * `headers`, `params`, `data`, `json`, `cookies`, `timeout` and `allow_redirects` are supported;
 * any other is rejected when the task is validated rather than silently ignored.
 */
import { hasHeader } from "../../http-client.js";
import { type HttpRequestOptions, type ScenarioContext, type Static, Type } from "../../plugin.js";

export const RequestOptions = {
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Query string parameters. */
  params: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  ),
  /** A string body, or fields sent form-encoded. */
  data: Type.Optional(Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())])),
  /** A body sent as JSON. */
  json: Type.Optional(Type.Unknown()),
  cookies: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Seconds. */
  timeout: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  allow_redirects: Type.Optional(Type.Boolean()),
};

const Request = Type.Object(
  {
    url: Type.String({ minLength: 1, description: "URL of the request." }),
    method: Type.String({ minLength: 1, description: "HTTP method (GET, POST, ...)." }),
    status_code: Type.Integer({ default: 200, description: "Expected status code." }),
    ...RequestOptions,
  },
  { additionalProperties: false },
);
export type CheckedRequest = Static<typeof Request>;

/** ValueError, as `requests`-based Rally scenarios raise it. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** A request as `check_request` describes it, less the status code it expects. */
export type RequestSpec = Omit<CheckedRequest, "status_code">;

/** What `ctx.http.request` is given for a spec: the same for every iteration that sends it. */
interface PreparedRequest {
  readonly url: string;
  readonly init: Readonly<HttpRequestOptions>;
}

/** Specs already prepared: a workload's iterations send the same few over and over. */
const prepared = new WeakMap<RequestSpec, PreparedRequest>();

function urlOf(spec: RequestSpec): string {
  if (spec.params === undefined) return spec.url;
  const url = new URL(spec.url);
  for (const [name, value] of Object.entries(spec.params)) url.searchParams.append(name, String(value));
  return url.toString();
}

/** `data` as python-requests sends a mapping: form-encoded, a list value as repeated fields. */
function formBody(data: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(data)) {
    if (Array.isArray(value)) for (const item of value) form.append(name, String(item));
    else form.append(name, String(value));
  }
  return form.toString();
}

/**
 * The URL, headers and body of `spec`, worked out as python-requests does: a non-empty `data`
 * wins over `json`, a `json` of null sends no body, a `json` string is sent JSON-encoded.
 */
function prepare(spec: RequestSpec): PreparedRequest {
  let done = prepared.get(spec);
  if (done !== undefined) return done;
  const headers: Record<string, string> = { ...spec.headers };
  let body: string | undefined;
  const { data, json } = spec;
  if (typeof data === "string" && data !== "") body = data;
  else if (typeof data === "object" && Object.keys(data).length > 0) {
    body = formBody(data);
    if (!hasHeader(headers, "content-type")) headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (json !== undefined && json !== null) {
    body = JSON.stringify(json);
    if (!hasHeader(headers, "content-type")) headers["content-type"] = "application/json";
  }
  if (spec.cookies !== undefined) {
    headers.cookie = Object.entries(spec.cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join("; ");
  }
  const init: HttpRequestOptions = {
    method: spec.method.toUpperCase(),
    headers: Object.freeze(headers),
    ...(body === undefined ? {} : { body }),
    ...(spec.timeout === undefined ? {} : { timeout: spec.timeout }),
    ...(spec.allow_redirects === undefined ? {} : { followRedirects: spec.allow_redirects }),
  };
  done = { url: urlOf(spec), init: Object.freeze(init) };
  prepared.set(spec, done);
  return done;
}

/**
 * Sends `spec` inside `requests.check_request` and checks that it answers `expected`. The spec is
 * read once (kept while the object lives), so pass the same object for the same request.
 */
export function checkRequest(ctx: ScenarioContext, spec: RequestSpec, expected: number): Promise<void> {
  return ctx.atomic("requests.check_request", async () => {
    const { url, init } = prepare(spec);
    const response = await ctx.http.request(url, init);
    if (response.status !== expected) {
      throw new ValueError(`Expected HTTP request code is \`${expected}\` actual \`${response.status}\``);
    }
  });
}

export { Request as CheckedRequestSchema };
