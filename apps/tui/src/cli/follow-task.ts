/**
 * `task start --wait`: prints the task's events as they happen (replayed first when joining
 * late), then the results service's report once the task has ended. Without NATS it falls back
 * to polling the results service.
 */
import type { Following } from "@paddock/bus";
import type { TaskDetail } from "@paddock/shared/api";
import { describeError } from "@paddock/shared/errors";
import type { ResultsApi } from "../api/results-client.js";
import { taskReport, verdictOf } from "../format/task-report.js";
import { lifecycleLine, progressLine } from "../live/event-lines.js";
import type { LiveBus } from "../live/live-bus.js";
import { applyEvent, initialLiveTask, isEnded } from "../live/live-task-state.js";
import { isFinal, waitForTaskDetail } from "../live/task-detail-waiter.js";
import type { CliIo } from "./io.js";

export interface FollowDeps {
  readonly io: CliIo;
  readonly bus: LiveBus;
  readonly results: ResultsApi;
  /** Milliseconds to wait for the results service's final report once the task has ended. */
  readonly resultsTimeoutMs: number;
  /** Milliseconds between status polls of the results service. Default 2000. */
  readonly pollIntervalMs?: number;
  readonly signal: AbortSignal;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Polls the results service until `done(detail)`; errors (not there yet, unreachable) are
 * retried. Resolves when done or when `signal` aborts.
 */
async function pollResults(
  results: ResultsApi,
  taskId: string,
  done: (detail: TaskDetail) => boolean,
  intervalMs: number,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      if (done(await results.getTask(taskId))) return;
    } catch {
      // Not stored yet, or the results service is restarting: ask again.
    }
    await delay(intervalMs, signal);
  }
}

/** Follows the task to its end; returns the final report (or undefined when interrupted). */
export async function followTaskToEnd(deps: FollowDeps, taskId: string): Promise<TaskDetail | undefined> {
  const { io } = deps;
  let state = initialLiveTask(taskId);
  let ended!: () => void;
  const endedPromise = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const stopPolling = new AbortController();
  const onInterrupt = () => stopPolling.abort();
  deps.signal.addEventListener("abort", onInterrupt, { once: true });

  let following: Following | undefined;
  try {
    following = await deps.bus.follow(taskId, (event) => {
      const wasEnded = isEnded(state);
      state = applyEvent(state, event);
      if (event.type === "ProgressReported") {
        const workload = state.workloads.find((item) => item.workloadId === event.data.workloadId);
        if (workload && !wasEnded) (io.stdoutIsTty ? io.status : io.out)(progressLine(workload));
      } else {
        const line = lifecycleLine(event, state);
        if (line !== undefined) io.out(line);
      }
      if (isEnded(state)) ended();
    });
  } catch (error) {
    io.err(`paddock: ${describeError(error)}; waiting for the results service instead`);
  }

  // With live events, the poll only catches a task whose runner died (no end event will come);
  // without them, it is how the end is noticed.
  const done = following
    ? (detail: TaskDetail) => detail.status === "crashed"
    : (detail: TaskDetail) => isFinal(detail);
  try {
    await Promise.race([
      endedPromise,
      pollResults(deps.results, taskId, done, deps.pollIntervalMs ?? 2000, stopPolling.signal),
    ]);
  } finally {
    stopPolling.abort();
    deps.signal.removeEventListener("abort", onInterrupt);
    await following?.stop();
  }
  if (deps.signal.aborted) return undefined;
  return waitForTaskDetail(deps.results, taskId, { timeoutMs: deps.resultsTimeoutMs, signal: deps.signal });
}

/** Prints the report and the closing verdict line. */
export function printReport(io: CliIo, detail: TaskDetail): void {
  for (const line of taskReport(detail)) io.out(line);
  io.out(`Task ${detail.id}: ${verdictOf(detail)}`);
}
