/**
 * Paddock's errors: named, coded and chained. Every error that crosses a process boundary is a
 * `PaddockError` with a stable `code` (clients switch on it) and the HTTP status it maps to.
 */

/** Details a client can act on: the file, field or line a problem is in. */
export interface ProblemDetail {
  /** Where: a file path, a JSON pointer, `subtasks[0].workloads[1].runner`, ... */
  readonly path?: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  readonly message: string;
}

export interface PaddockErrorOptions {
  readonly cause?: unknown;
  readonly problems?: readonly ProblemDetail[];
}

export abstract class PaddockError extends Error {
  /** Stable machine-readable code, e.g. `SCENARIO_NOT_FOUND`. */
  abstract readonly code: string;
  /** The HTTP status a service answers with when this error ends a request. */
  abstract readonly status: number;
  readonly problems: readonly ProblemDetail[];

  constructor(message: string, options: PaddockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.problems = options.problems ?? [];
  }
}

export class ConfigInvalid extends PaddockError {
  readonly code = "CONFIG_INVALID";
  readonly status = 500;
}

export class RequestInvalid extends PaddockError {
  readonly code = "REQUEST_INVALID";
  readonly status = 400;
}

export class ScenarioNotFound extends PaddockError {
  readonly code = "SCENARIO_NOT_FOUND";
  readonly status = 404;
  constructor(readonly scenarioId: string) {
    super(`There is no scenario '${scenarioId}' in the catalog`);
  }
}

export class TaskNotFound extends PaddockError {
  readonly code = "TASK_NOT_FOUND";
  readonly status = 404;
  constructor(readonly taskId: string) {
    super(`There is no task '${taskId}'`);
  }
}

export class EnvironmentNotFound extends PaddockError {
  readonly code = "ENVIRONMENT_NOT_FOUND";
  readonly status = 404;
  constructor(readonly environment: string) {
    super(`There is no environment '${environment}'`);
  }
}

/** The task file could not be read or rendered (Rally's exit code 117). */
export class TaskFileUnloadable extends PaddockError {
  readonly code = "TASK_FILE_UNLOADABLE";
  readonly status = 422;
}

/** The task file was read but its content is not a valid task (Rally's exit code 114). */
export class TaskFileInvalid extends PaddockError {
  readonly code = "TASK_FILE_INVALID";
  readonly status = 422;
}

export class PluginNotFound extends PaddockError {
  readonly code = "PLUGIN_NOT_FOUND";
  readonly status = 422;
}

/** A dependency (NATS, the store, another service) does not answer. */
export class DependencyUnavailable extends PaddockError {
  readonly code = "DEPENDENCY_UNAVAILABLE";
  readonly status = 503;
}

export class Conflict extends PaddockError {
  readonly code = "CONFLICT";
  readonly status = 409;
}

/** The body every service answers an error with. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly problems?: readonly ProblemDetail[];
  };
}

export function isPaddockError(value: unknown): value is PaddockError {
  return value instanceof PaddockError;
}

/** The message of an error and of every error in its `cause` chain, outermost first. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    const message = current instanceof Error ? current.message : String(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ");
}
