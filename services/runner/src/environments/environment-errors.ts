/** Errors of environments: a definition that cannot be used, a secret variable that is not set. */
import { PaddockError, type ProblemDetail } from "@paddock/shared/errors";

/** The catalog lists the environment with problems (a bad spec, a secret written in clear). */
export class EnvironmentInvalid extends PaddockError {
  readonly code = "ENVIRONMENT_INVALID";
  readonly status = 422;
  constructor(message: string, problems: readonly ProblemDetail[] = []) {
    super(message, { problems });
  }
}

/** A `${VAR}` reference of the environment names a variable the runner's process does not have. */
export class EnvironmentVariableMissing extends PaddockError {
  readonly code = "ENVIRONMENT_VARIABLE_MISSING";
  readonly status = 422;
  constructor(
    readonly environment: string,
    readonly file: string,
    readonly field: string,
    readonly variable: string,
  ) {
    super(
      `Environment '${environment}' (${file}): ${field} references \${${variable}}, but ${variable} is not set in the runner's environment`,
      { problems: [{ path: field, message: `${variable} is not set in the runner's environment` }] },
    );
  }
}
