/**
 * Colors of statuses and verdicts, the same on every screen.
 */
import type { TaskStatus } from "@paddock/shared/task-model";

export function statusColor(status: TaskStatus, passSla = true): string {
  switch (status) {
    case "finished":
      return passSla ? "green" : "red";
    case "running":
    case "queued":
    case "validating":
    case "validated":
    case "init":
      return "cyan";
    case "aborted":
    case "aborting":
    case "soft_aborting":
    case "paused":
      return "yellow";
    default:
      return "red";
  }
}
