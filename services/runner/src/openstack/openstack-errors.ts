/**
 * Errors of the OpenStack client: each names the service, the call and the request id when one
 * came back. An unexpected HTTP status becomes a subclass of `OpenStackApiError` named as
 * keystoneauth names it (`Conflict`, `RequestEntityTooLarge`, `ServiceUnavailable`...), so an
 * iteration's error type reads the same as in Rally.
 */
import { PaddockError } from "@paddock/shared/errors";

/** Keystone refused the credentials (401 on `POST /v3/auth/tokens`). */
export class AuthenticationFailed extends PaddockError {
  readonly code = "OPENSTACK_AUTHENTICATION_FAILED";
  readonly status = 502;
  constructor(
    message: string,
    /** Keystone's own explanation, when it gave one. */
    readonly detail: string,
    /** `x-openstack-request-id` of the answer, when it had one. */
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** The token's service catalog has no endpoint of the service type, interface and region asked for. */
export class EndpointNotFound extends PaddockError {
  readonly code = "OPENSTACK_ENDPOINT_NOT_FOUND";
  readonly status = 502;
}

/** A resource looked up by name does not exist (e.g. a domain, a role, a service). */
export class ResourceNotFound extends PaddockError {
  readonly code = "OPENSTACK_RESOURCE_NOT_FOUND";
  readonly status = 404;
}

/** A service got no request through: refused, reset, unknown host, TLS failure, timeout. */
export class ConnectionError extends PaddockError {
  readonly code = "OPENSTACK_UNREACHABLE";
  readonly status = 502;
}

/** A resource did not reach the status waited for (e.g. an image that never becomes `active`). */
export class ResourceStatusTimeout extends PaddockError {
  readonly code = "OPENSTACK_STATUS_TIMEOUT";
  readonly status = 504;
}

/** A scenario's own check failed (Rally's `assertIn`, `assertEqual`...). */
export class ScenarioAssertionFailed extends PaddockError {
  readonly code = "OPENSTACK_ASSERTION_FAILED";
  readonly status = 500;
}

/** An image location (file or URL) cannot be read. */
export class ImageSourceUnreadable extends PaddockError {
  readonly code = "OPENSTACK_IMAGE_SOURCE_UNREADABLE";
  readonly status = 422;
}

/** An OpenStack service answered a call with an unexpected status (4xx/5xx). */
export class OpenStackApiError extends PaddockError {
  readonly code: string = "OPENSTACK_API_ERROR";
  readonly status = 502;
  constructor(
    message: string,
    /** The HTTP status the service answered with. */
    readonly httpStatus: number,
    /** `x-openstack-request-id` (or another request id header) of the answer, when it had one. */
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** 400 */
export class BadRequest extends OpenStackApiError {}
/** 401 on a call made with a token (after one re-authentication). */
export class Unauthorized extends OpenStackApiError {}
/** 403 */
export class Forbidden extends OpenStackApiError {}
/** 404 */
export class NotFound extends OpenStackApiError {}
/** 409: a duplicate name or id, or a resource in a state that forbids the call. */
export class Conflict extends OpenStackApiError {}
/** 413: a request body or an image over a limit or quota of the service. */
export class RequestEntityTooLarge extends OpenStackApiError {}
/** 500 */
export class InternalServerError extends OpenStackApiError {}
/** 503: the service (or one it depends on, such as Keystone for token validation) is unavailable. */
export class ServiceUnavailable extends OpenStackApiError {}

const BY_STATUS: Readonly<Record<number, typeof OpenStackApiError>> = {
  400: BadRequest,
  401: Unauthorized,
  403: Forbidden,
  404: NotFound,
  409: Conflict,
  413: RequestEntityTooLarge,
  500: InternalServerError,
  503: ServiceUnavailable,
};

/** Reason phrases of the statuses OpenStack services answer with, for messages. */
const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** How messages name a service of the catalog: `Keystone`, `Glance`, or `The 'x' service`. */
export function serviceTitleOf(type: string): string {
  if (type === "identity") return "Keystone";
  if (type === "image") return "Glance";
  return `The '${type}' service`;
}

const REQUEST_ID_HEADERS = ["x-openstack-request-id", "x-compute-request-id", "x-request-id"];

/** The request id an OpenStack service put on its answer, if any. */
export function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value !== null && value !== "") return value;
  }
  return undefined;
}

function htmlText(body: string): string {
  return body
    .replace(/<head>[\s\S]*?<\/head>/gi, " ")
    .replace(/<h1>[\s\S]*?<\/h1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/**
 * The human part of an OpenStack error body: `{"error": {"message"}}` (Keystone),
 * `{"badRequest": {"message"}}`, webob's HTML page (Glance) without its title, or the text.
 */
export function serviceMessageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const value of Object.values(parsed)) {
      if (typeof value === "object" && value !== null) {
        const message = (value as Record<string, unknown>).message;
        if (typeof message === "string") return message.trim();
      }
    }
  } catch {
    // not JSON: the text itself
  }
  // webob's pages (Glance) start with the status line the message already has.
  const text = /<\/?[a-z][\s\S]*>/i.test(body) ? htmlText(body) : body.replace(/^\d{3} [A-Za-z -]+\n\n/, "");
  return text.replace(/\s+/g, " ").trim().slice(0, 400);
}

/**
 * `Keystone answered POST /v3/users with 409 Conflict: Duplicate entry found... (request id req-…)`.
 */
export function describeFailure(
  service: string,
  method: string,
  path: string,
  status: number,
  body: string,
  requestId: string | undefined,
): string {
  const detail = serviceMessageOf(body);
  const reason = REASONS[status];
  const id = requestId === undefined ? "" : ` (request id ${requestId})`;
  return `${service} answered ${method} ${path} with ${status}${reason === undefined ? "" : ` ${reason}`}${
    detail === "" ? "" : `: ${detail}`
  }${id}`;
}

/** The error for an unexpected answer: the subclass for its status, with a readable message. */
export function apiErrorOf(
  service: string,
  method: string,
  path: string,
  status: number,
  body: string,
  headers: Headers,
): OpenStackApiError {
  const requestId = requestIdOf(headers);
  const ErrorClass = BY_STATUS[status] ?? OpenStackApiError;
  return new ErrorClass(describeFailure(service, method, path, status, body, requestId), status, requestId);
}

/** The environment's `spec` cannot be used for OpenStack (a field is missing or of the wrong kind). */
export class OpenStackSpecInvalid extends PaddockError {
  readonly code = "OPENSTACK_SPEC_INVALID";
  readonly status = 422;
}
