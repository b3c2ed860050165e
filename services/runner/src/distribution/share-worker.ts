/**
 * The other side of a distributed workload: a runner holding a share. It receives the shares
 * handed to it, accepts one only while it has a free slot (tasks and shares together stay within
 * `PADDOCK_RUNNER_MAX_TASKS`) and before the share's deadline, validates the workload with its
 * own plugins, resolves the environment itself, and once the coordinator answers its acceptance
 * with `go` (never before: a share the coordinator took over meanwhile is `revoked` instead, so
 * it never runs twice) runs its part from the common start time:
 * iterations numbered k, k + n, ... published as `IterationsRecorded` under the task (with its
 * runner id on each record), its figures reported to the coordinator about once a second, and a
 * `finished` report once every batch is stored. Contexts, hooks and SLA stay with the coordinator.
 *
 * It stops the share on the coordinator's order (soft or hard), and hard when the coordinator
 * stops heart-beating (nobody would follow the share any more).
 */
import type { EventPublisher } from "@paddock/bus";
import { describeError } from "@paddock/shared/errors";
import { createEvent } from "@paddock/shared/event-codec";
import type { TaskSpec } from "@paddock/shared/task-model";
import type { Logger } from "pino";
import { type Clock, delay } from "../clock.js";
import type { ResolveEnvironment } from "../environments/environment-resolver.js";
import { type BatchLimits, IterationBatcher } from "../iteration-batcher.js";
import { NO_ENVIRONMENT } from "../iteration-context.js";
import type { ScenarioEnvironment } from "../plugin.js";
import { ProgressWindow } from "../progress-window.js";
import { PublishQueue, type PublishQueueOptions } from "../publish-queue.js";
import type { Preparation, PreparedWorkload } from "../task-validator.js";
import { WorkloadLoad } from "../workload-load.js";
import type { Following, ShareNetwork } from "./share-network.js";
import {
  type ShareAssignment,
  type ShareControl,
  type ShareReport,
  shareFiguresOf,
} from "./share-protocol.js";

export interface ShareWorkerOptions {
  readonly network: ShareNetwork;
  readonly publisher: EventPublisher;
  readonly runnerId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Validates a task against this runner's plugins. */
  readonly prepare: (task: TaskSpec) => Preparation;
  /** True while this runner may take one more task or share. */
  readonly hasFreeSlot: () => boolean;
  /** Called when a share is taken or released (send a heartbeat, wake the task queue). */
  readonly onChange?: () => void;
  readonly resolveEnvironment?: ResolveEnvironment | undefined;
  /** Milliseconds between progress reports. Default 1000. */
  readonly progressIntervalMs?: number;
  readonly batch?: BatchLimits | undefined;
  readonly queue?: PublishQueueOptions | undefined;
  readonly now?: (() => Date) | undefined;
  /**
   * Milliseconds after which a coordinator never heard from counts as gone (it is normally
   * heard within one heartbeat interval). Default 10000.
   */
  readonly unknownCoordinatorMs?: number;
}

interface Held {
  readonly assignment: ShareAssignment;
  abortMode: "soft" | "hard" | undefined;
  /** Why the share stopped before its end when this runner, not the coordinator, stopped it. */
  cut: string | undefined;
  load: WorkloadLoad | undefined;
  progress: ProgressWindow | undefined;
  readonly stopping: AbortController;
  done: Promise<void>;
  /** The coordinator's decision once it came (`stopped` when the share was stopped first). */
  readonly decided: Promise<"go" | "revoked" | "stopped">;
  decide: (decision: "go" | "revoked" | "stopped") => void;
  revokedBecause: string | undefined;
}

type Refusal = { readonly refused: string };

/** A share running here, as `GET /tasks/active` lists it. */
export interface ActiveShare {
  readonly taskId: string;
  readonly workloadId: string;
  readonly shareIndex: number;
  readonly shares: number;
  readonly coordinatorId: string;
  readonly completed: number;
  readonly failed: number;
  readonly inFlight: number;
}

export class ShareWorker {
  private readonly held = new Map<string, Held>();
  private assignments: Following | undefined;
  private controls: Following | undefined;
  private closing = false;

  constructor(private readonly options: ShareWorkerOptions) {}

  /** Shares running here now. */
  get size(): number {
    return this.held.size;
  }

  /** The shares running here, for `GET /tasks/active`. */
  active(): ActiveShare[] {
    return [...this.held.values()].map(({ assignment, load, progress }) => ({
      taskId: assignment.taskId,
      workloadId: assignment.workloadId,
      shareIndex: assignment.shareIndex,
      shares: assignment.shareCount,
      coordinatorId: assignment.coordinatorId,
      completed: progress?.completed ?? 0,
      failed: progress?.failed ?? 0,
      inFlight: load?.inFlight ?? 0,
    }));
  }

  /** The tasks whose shares run here (for the heartbeat). */
  taskIds(): string[] {
    return [...new Set([...this.held.values()].map((held) => held.assignment.taskId))];
  }

  async start(): Promise<void> {
    const { network, runnerId } = this.options;
    this.controls = network.receiveControls((message) => this.control(message));
    this.assignments = await network.receiveAssignments(
      runnerId,
      (assignment) => {
        void this.take(assignment);
      },
      (decision) => {
        const held = this.held.get(decision.shareId);
        if (held === undefined || held.assignment.taskId !== decision.taskId) return;
        if (decision.decision === "go") {
          held.decide("go");
          return;
        }
        held.revokedBecause = decision.reason ?? "no reason given";
        held.decide("revoked");
        // Also when it came after a go (stored although its publish failed at the coordinator):
        // the share must not start, or stops at once if it did.
        this.stop(held, "hard");
      },
    );
  }

  /** Takes no more shares, stops the running ones softly (hard after `graceMs`), waits for them. */
  async close(graceMs = 8000): Promise<void> {
    this.closing = true;
    await this.assignments?.stop();
    await this.controls?.stop();
    const running = [...this.held.values()];
    for (const held of running) {
      held.cut ??= `runner ${this.options.runnerId} shut down before the share ended`;
      this.stop(held, "soft");
    }
    const all = Promise.allSettled(running.map((held) => held.done));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), graceMs);
    });
    if ((await Promise.race([all, late])) === "late") for (const held of running) this.stop(held, "hard");
    clearTimeout(timer);
    await all;
  }

  private control(message: ShareControl): void {
    for (const held of this.held.values()) {
      if (held.assignment.taskId !== message.taskId) continue;
      if (message.shareId !== undefined && message.shareId !== held.assignment.shareId) continue;
      this.stop(held, message.mode);
    }
  }

  private stop(held: Held, mode: "soft" | "hard"): void {
    if (held.abortMode !== "hard") held.abortMode = mode;
    held.stopping.abort();
    held.decide("stopped");
    if (mode === "hard") held.load?.interrupt();
    else held.load?.stop();
  }

  private async report(report: ShareReport): Promise<void> {
    await this.options.network.report(report);
  }

  private refusal(assignment: ShareAssignment): Refusal | PreparedWorkload {
    if (this.closing) return { refused: `runner ${this.options.runnerId} is shutting down` };
    if (this.options.clock.now() * 1000 > assignment.acceptBy) {
      return { refused: "it arrived after its acceptance deadline" };
    }
    if (!this.options.hasFreeSlot()) return { refused: `runner ${this.options.runnerId} has no free slot` };
    const task: TaskSpec = {
      title: assignment.title,
      description: "",
      tags: [],
      subtasks: [
        { title: "", description: "", tags: [], runInParallel: false, workloads: [assignment.workload] },
      ],
    };
    const preparation = this.options.prepare(task);
    if (!preparation.ok) {
      const problems = preparation.problems.map((problem) => `${problem.path}: ${problem.message}`);
      return { refused: `this runner cannot run the workload: ${problems.join("; ")}` };
    }
    const workload = preparation.task.subtasks[0]?.workloads[0] as PreparedWorkload;
    const shares = workload.runner.split(workload.spec.runner.config, assignment.shareCount).length;
    if (shares !== assignment.shareCount) {
      return {
        refused: `this runner splits the workload into ${shares} shares, not ${assignment.shareCount}`,
      };
    }
    return workload;
  }

  private async take(assignment: ShareAssignment): Promise<void> {
    const { logger } = this.options;
    const ref = {
      shareId: assignment.shareId,
      taskId: assignment.taskId,
      workloadId: assignment.workloadId,
      runnerId: this.options.runnerId,
      shareIndex: assignment.shareIndex,
    };
    const log = { taskId: assignment.taskId, workloadId: assignment.workloadId };
    if (this.held.has(assignment.shareId)) return;
    const checked = this.refusal(assignment);
    if ("refused" in checked) {
      logger.info(log, `share ${assignment.shareId} refused: ${checked.refused}`);
      await this.report({ ...ref, kind: "refused", reason: checked.refused }).catch(() => undefined);
      return;
    }
    let decide!: Held["decide"];
    const decided = new Promise<"go" | "revoked" | "stopped">((resolve) => {
      decide = resolve;
    });
    const held: Held = {
      assignment,
      abortMode: undefined,
      cut: undefined,
      load: undefined,
      progress: undefined,
      stopping: new AbortController(),
      done: Promise.resolve(),
      decided,
      decide,
      revokedBecause: undefined,
    };
    this.held.set(assignment.shareId, held);
    this.options.onChange?.();
    let release!: () => void;
    held.done = new Promise((resolve) => {
      release = resolve;
    });
    let environment: ScenarioEnvironment;
    try {
      environment =
        this.options.resolveEnvironment === undefined
          ? { ...NO_ENVIRONMENT, name: assignment.environment }
          : await this.options.resolveEnvironment(assignment.environment);
      await this.report({ ...ref, kind: "accepted" });
    } catch (error) {
      const reason = `it could not be started here: ${describeError(error)}`;
      logger.warn(log, `share ${assignment.shareId} refused: ${reason}`);
      this.held.delete(assignment.shareId);
      this.options.onChange?.();
      release();
      await this.report({ ...ref, kind: "refused", reason }).catch(() => undefined);
      return;
    }
    logger.info(
      log,
      `share ${assignment.shareIndex + 1}/${assignment.shareCount} of workload ${assignment.workloadId} accepted from ${assignment.coordinatorId}`,
    );
    let finished: ShareReport | undefined;
    try {
      finished = await this.run(held, checked, environment, ref);
    } finally {
      this.held.delete(assignment.shareId);
      this.options.onChange?.();
      release();
    }
    if (finished === undefined) {
      logger.info(log, `share ${assignment.shareId} revoked before it started: ${held.revokedBecause}`);
      return;
    }
    await this.report(finished).catch((error: unknown) => {
      logger.error(
        log,
        `share ${assignment.shareId}: the finished report was not stored: ${describeError(error)}`,
      );
    });
  }

  private async run(
    held: Held,
    workload: PreparedWorkload,
    environment: ScenarioEnvironment,
    ref: Omit<
      Extract<ShareReport, { kind: "finished" }>,
      "kind" | "completed" | "failed" | "firstStart" | "lastEnd"
    >,
  ): Promise<ShareReport | undefined> {
    const { clock, logger, network } = this.options;
    const { assignment } = held;
    const log = { taskId: assignment.taskId, workloadId: assignment.workloadId };
    const config = workload.runner.split(workload.spec.runner.config, assignment.shareCount)[
      assignment.shareIndex
    ] as Record<string, unknown>;
    const origin = clock.monotonic() + (assignment.startAt - clock.now() * 1000);
    const queue = new PublishQueue(this.options.publisher, { now: this.options.now, ...this.options.queue });
    const progress = new ProgressWindow(Math.max(origin, clock.monotonic()));
    held.progress = progress;
    const batcher = new IterationBatcher((iterations) => {
      queue.send(
        createEvent(
          "IterationsRecorded",
          assignment.taskId,
          { workloadId: assignment.workloadId, runnerId: this.options.runnerId, iterations },
          this.options.now,
        ),
      );
    }, this.options.batch);
    const load = new WorkloadLoad({
      scenario: workload.scenario,
      args: workload.args,
      timeout: workload.plan.timeout,
      clock,
      environment,
      share: { index: assignment.shareIndex, count: assignment.shareCount },
      runnerId: this.options.runnerId,
      onRecord(record) {
        progress.add(record);
        batcher.push(record);
      },
      backpressure: () => (queue.saturated ? queue.whenReady() : undefined),
    });
    const sendProgress = () => {
      const figures = progress.take(clock.monotonic());
      network
        .report({
          ...ref,
          kind: "progress",
          figures: shareFiguresOf(figures, load.inFlight),
        })
        .catch((error: unknown) => logger.debug(log, `progress report not sent: ${describeError(error)}`));
    };
    const takenAt = clock.monotonic();
    const watchdog = setInterval(() => {
      const coordinator = assignment.coordinatorId;
      const known = network.directory.status(coordinator) !== undefined;
      const gone = known
        ? !network.directory.isAlive(coordinator)
        : clock.monotonic() - takenAt > (this.options.unknownCoordinatorMs ?? 10_000);
      if (gone && held.abortMode !== "hard") {
        held.cut ??= `coordinator ${coordinator} stopped heart-beating`;
        logger.warn(
          log,
          `share ${assignment.shareId}: coordinator ${coordinator} stopped heart-beating; stopping`,
        );
        this.stop(held, "hard");
      }
    }, 250);
    let error: string | undefined;
    let ticker: NodeJS.Timeout | undefined;
    try {
      if ((await held.decided) === "revoked") return undefined;
      await delay(Math.max(0, origin - clock.monotonic()), held.stopping.signal).catch(() => undefined);
      held.load = load;
      if (held.abortMode === undefined) {
        ticker = setInterval(sendProgress, this.options.progressIntervalMs ?? 1000);
        await workload.runner.run(config, load, {
          index: assignment.shareIndex,
          count: assignment.shareCount,
          origin,
        });
      }
      if (held.cut !== undefined) error = `stopped early: ${held.cut}`;
    } catch (thrown) {
      error = `runner ${workload.runner.type} failed: ${describeError(thrown)}`;
      logger.error(log, `share ${assignment.shareId}: ${error}`);
    } finally {
      clearInterval(watchdog);
      if (ticker !== undefined) clearInterval(ticker);
    }
    batcher.flush();
    try {
      await queue.drain();
    } catch (thrown) {
      error = describeError(thrown);
    }
    sendProgress();
    return {
      ...ref,
      kind: "finished",
      completed: progress.completed,
      failed: progress.failed,
      firstStart: load.firstStart ?? null,
      lastEnd: load.lastEnd ?? null,
      ...(error === undefined ? {} : { error }),
    };
  }
}
