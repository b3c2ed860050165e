/**
 * Rally's `HttpRequests.*` scenarios: one request per iteration inside the atomic action
 * `requests.check_request`, failing with Rally's `ValueError` when the status differs. Paddock
 * keeps connections alive (Rally opens one per request). Of the `requests` library's options,
 * `headers`, `params`, `data`, `json`, `cookies`, `timeout` and `allow_redirects` are supported;
 * any other is rejected when the task is validated rather than silently ignored.
 */
import { type ScenarioContext, type Static, Type } from "../../plugin.js";

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

function targetOf(request: CheckedRequest): string {
  if (request.params === undefined) return request.url;
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(request.params)) url.searchParams.append(name, String(value));
  return url.toString();
}

/** Sends `request` inside `requests.check_request` and checks its status code. */
export async function checkRequest(ctx: ScenarioContext, request: CheckedRequest): Promise<void> {
  await ctx.atomic("requests.check_request", async () => {
    const headers: Record<string, string> = { ...request.headers };
    let body: unknown;
    if (request.json !== undefined) body = request.json;
    else if (typeof request.data === "string") body = request.data;
    else if (request.data !== undefined) {
      body = new URLSearchParams(
        Object.entries(request.data).map(([name, value]): [string, string] => [name, String(value)]),
      ).toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded";
    }
    if (request.cookies !== undefined) {
      headers.cookie = Object.entries(request.cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join("; ");
    }
    const response = await ctx.http.request(targetOf(request), {
      method: request.method.toUpperCase(),
      headers,
      ...(body === undefined ? {} : { body }),
      ...(request.timeout === undefined ? {} : { timeout: request.timeout }),
      ...(request.allow_redirects === undefined ? {} : { followRedirects: request.allow_redirects }),
    });
    if (response.status !== request.status_code) {
      throw new ValueError(
        `Expected HTTP request code is \`${request.status_code}\` actual \`${response.status}\``,
      );
    }
  });
}

export { Request as CheckedRequestSchema };
