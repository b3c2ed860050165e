/**
 * Exit codes, Rally's: `task start` 0 ok / 1 error / 2 SLA failed or aborted; `task validate`
 * 0 valid / 114 invalid / 117 cannot load or render.
 */
import type { TaskStatus } from "@paddock/shared/task-model";

export const EXIT = {
  ok: 0,
  error: 1,
  slaFailedOrAborted: 2,
  taskInvalid: 114,
  taskUnloadable: 117,
  interrupted: 130,
} as const;

/** The exit code of `task start --wait` for a task that ended with `status` and `passSla`. */
export function exitCodeOfTask(status: TaskStatus, passSla: boolean): number {
  switch (status) {
    case "finished":
      return passSla ? EXIT.ok : EXIT.slaFailedOrAborted;
    case "sla_failed":
    case "aborted":
    case "aborting":
    case "soft_aborting":
      return EXIT.slaFailedOrAborted;
    default:
      return EXIT.error;
  }
}
