/** Errors of the OpenStack client: each names the service, the call and the request id when one came back. */
import { PaddockError } from "@paddock/shared/errors";

/** Keystone refused the credentials (401 on `POST /v3/auth/tokens`). */
export class AuthenticationFailed extends PaddockError {
  readonly code = "OPENSTACK_AUTHENTICATION_FAILED";
  readonly status = 502;
}

/** The token's service catalog has no endpoint of the service type, interface and region asked for. */
export class EndpointNotFound extends PaddockError {
  readonly code = "OPENSTACK_ENDPOINT_NOT_FOUND";
  readonly status = 502;
}

/** A resource looked up by name does not exist (e.g. a domain). */
export class ResourceNotFound extends PaddockError {
  readonly code = "OPENSTACK_RESOURCE_NOT_FOUND";
  readonly status = 404;
}

/** An OpenStack service answered a call with an unexpected status (4xx/5xx). */
export class OpenStackApiError extends PaddockError {
  readonly code = "OPENSTACK_API_ERROR";
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

/** The environment's `spec` cannot be used for OpenStack (a field is missing or of the wrong kind). */
export class OpenStackSpecInvalid extends PaddockError {
  readonly code = "OPENSTACK_SPEC_INVALID";
  readonly status = 422;
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

/** The human part of an OpenStack error body (`{"error": {"message"}}`, `{"badRequest": {"message"}}`, text). */
export function serviceMessageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const value of Object.values(parsed)) {
      if (typeof value === "object" && value !== null) {
        const message = (value as Record<string, unknown>).message;
        if (typeof message === "string") return message;
      }
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  return body
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

/** `409 Conflict from Keystone on POST /v3/users: Duplicate entry ... (request id req-…)`. */
export function describeFailure(
  service: string,
  method: string,
  path: string,
  status: number,
  body: string,
  requestId: string | undefined,
): string {
  const detail = serviceMessageOf(body);
  const id = requestId === undefined ? "" : ` (request id ${requestId})`;
  return `${service} answered ${method} ${path} with ${status}${detail === "" ? "" : `: ${detail}`}${id}`;
}
