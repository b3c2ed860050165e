/**
 * Crash detection: runners publish `RunnerHeartbeat` on `paddock.runner.<id>.heartbeat` (core
 * NATS). A task in `running` whose runner has not been heard from for the timeout becomes
 * `crashed`, keeping everything stored so far.
 *
 * The results service only knows heartbeats it received itself, so right after it starts it gives
 * every runner the full timeout before judging: a runner is "last heard" at the latest of its last
 * heartbeat, the monitor's start and the task's start.
 */
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { describeError } from "@paddock/shared/errors";
import { decodeEvent } from "@paddock/shared/event-codec";
import { ALL_HEARTBEATS } from "@paddock/shared/subjects";
import type { Logger } from "pino";
import type { ResultStore } from "../store/result-store.js";
import { markTaskCrashed } from "./apply-event.js";

export interface HeartbeatMonitorOptions {
  readonly store: ResultStore;
  readonly logger: Logger;
  /** Seconds without a heartbeat after which a runner's running tasks are crashed. */
  readonly timeoutSeconds: number;
  readonly now?: () => Date;
}

export interface HeartbeatMonitor {
  /** Notes that `runnerId` is alive now. */
  heard(runnerId: string): void;
  /** Crashes the running tasks whose runner is silent for too long; returns their ids. */
  check(): Promise<string[]>;
  /** Checks every `intervalMs` until stopped. */
  start(intervalMs?: number): void;
  /** Stops checking and waits for a check in progress. */
  stop(): Promise<void>;
}

export function createHeartbeatMonitor(options: HeartbeatMonitorOptions): HeartbeatMonitor {
  const { store, logger, timeoutSeconds } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now().getTime();
  const lastHeard = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const check = async (): Promise<string[]> => {
    const crashed: string[] = [];
    const at = now();
    for (const task of await store.listRunningTasks()) {
      if (task.runnerId === null) continue;
      const taskStart = task.startedAt === null ? 0 : Date.parse(task.startedAt) || 0;
      const baseline = Math.max(lastHeard.get(task.runnerId) ?? 0, startedAt, taskStart);
      const silentMs = at.getTime() - baseline;
      if (silentMs <= timeoutSeconds * 1000) continue;
      const silent = Number((silentMs / 1000).toFixed(1));
      const reason = `runner ${task.runnerId} sent no heartbeat for ${silent} s (timeout ${timeoutSeconds} s)`;
      const changed = await store.write((tx) => markTaskCrashed(tx, task.id, reason, at.toISOString()));
      if (changed) {
        crashed.push(task.id);
        logger.warn({ taskId: task.id, runnerId: task.runnerId }, `task ${task.id} crashed: ${reason}`);
      }
    }
    return crashed;
  };

  return {
    heard(runnerId) {
      lastHeard.set(runnerId, now().getTime());
    },
    check() {
      const run = check();
      inFlight = run.catch(() => undefined);
      return run;
    },
    start(intervalMs = 2000) {
      if (timer) return;
      timer = setInterval(() => {
        const run = check().catch((error: unknown) => {
          logger.error({ err: error }, `heartbeat check failed: ${describeError(error)}`);
        });
        inFlight = run;
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  };
}

/** Feeds the monitor from `paddock.runner.*.heartbeat`; a malformed heartbeat is logged and skipped. */
export function subscribeHeartbeats(
  nc: NatsConnection,
  monitor: HeartbeatMonitor,
  logger: Logger,
): Subscription {
  return nc.subscribe(ALL_HEARTBEATS, {
    callback: (error, message) => {
      if (error) {
        logger.error({ err: error }, `heartbeat subscription failed: ${describeError(error)}`);
        return;
      }
      try {
        const event = decodeEvent(message.data);
        if (event.type !== "RunnerHeartbeat")
          throw new Error(`expected a RunnerHeartbeat, got ${event.type}`);
        monitor.heard(event.data.runnerId);
      } catch (invalid) {
        logger.warn(
          { subject: message.subject },
          `ignored a malformed heartbeat on ${message.subject}: ${describeError(invalid)}`,
        );
      }
    },
  });
}
