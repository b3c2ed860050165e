/**
 * Errors of the results service. Each is a coded `PaddockError`, mapped to its HTTP status by the
 * shared error handler.
 */
import { PaddockError } from "@paddock/shared/errors";

export class WorkloadNotFound extends PaddockError {
  readonly code = "WORKLOAD_NOT_FOUND";
  readonly status = 404;
  constructor(
    readonly taskId: string,
    readonly workloadId: string,
  ) {
    super(`Task '${taskId}' has no workload '${workloadId}'`);
  }
}

/** The store's file was written by a newer results service, or cannot be used at all. */
export class StoreIncompatible extends PaddockError {
  readonly code = "STORE_INCOMPATIBLE";
  readonly status = 500;
}

/** The store is closed or could not be opened. */
export class StoreUnavailable extends PaddockError {
  readonly code = "STORE_UNAVAILABLE";
  readonly status = 503;
}
