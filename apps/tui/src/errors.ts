/**
 * Errors of the CLI and TUI. Each is a `PaddockError` with a stable code; the CLI prints its
 * message on one line (and its problems one per line), never a stack trace.
 */
import { PaddockError, type PaddockErrorOptions } from "@paddock/shared/errors";

/** The command line is wrong: unknown command or option, missing argument. */
export class UsageError extends PaddockError {
  readonly code = "USAGE";
  readonly status = 400;
  constructor(
    message: string,
    /** The command whose `--help` explains the right usage, e.g. `task start`. */
    readonly command = "",
  ) {
    super(message);
  }
}

/** A service did not answer at all (refused, unknown host, timed out). */
export class ServiceUnreachable extends PaddockError {
  readonly code = "SERVICE_UNREACHABLE";
  readonly status = 503;
  constructor(
    readonly service: string,
    readonly url: string,
    readonly reason: string,
    options: PaddockErrorOptions = {},
  ) {
    super(`cannot reach the ${service} at ${url} (${reason}) — is the stack running? (npm start)`, options);
  }
}

/** A service answered with an error body `{error: {code, message, problems}}`. */
export class ServiceError extends PaddockError {
  readonly status: number;
  readonly code: string;
  constructor(
    readonly service: string,
    status: number,
    code: string,
    message: string,
    options: PaddockErrorOptions = {},
  ) {
    super(message, options);
    this.status = status;
    this.code = code;
  }
}

/** `--task-args` or `--task-args-file` cannot be read or is not a mapping. */
export class TaskArgsInvalid extends PaddockError {
  readonly code = "TASK_ARGS_INVALID";
  readonly status = 400;
}

/** A local file named on the command line cannot be read. */
export class FileUnreadable extends PaddockError {
  readonly code = "FILE_UNREADABLE";
  readonly status = 400;
}

/** The results service did not hold a finished task's statistics in time. */
export class ResultsNotReady extends PaddockError {
  readonly code = "RESULTS_NOT_READY";
  readonly status = 504;
}
