/**
 * The coordinating side of a distributed workload: the runner that runs the task splits the
 * workload's load into shares (`Runner.split`), keeps share 0, hands the others to idle replicas
 * through `PADDOCK_SHARES`, and until every share has ended:
 *
 * - starts its own share(s) at the common start time (`startAt`, a moment ahead, so the shares'
 *   schedules line up);
 * - follows the shares' reports (accepted, refused, progress, finished) and their iterations on
 *   the task's iterations subject, feeding every iteration to the workload's SLA (exact, as with
 *   one runner) and to `abort_on_sla_failure`;
 * - publishes the merged `ProgressReported` about once a second;
 * - answers a runner's acceptance with `go`, which it waits for before it starts;
 * - runs a share itself when its runner refuses it or does not accept it in time (a takeover),
 *   and revokes it there, so a late acceptance never starts it twice;
 * - marks a share lost (`ShareLost`) when its runner stops heart-beating, and goes on;
 * - passes aborts on to every share at once (core NATS).
 *
 * The workload's totals are what the stream holds: the coordinator's own iterations plus every
 * iteration of the other runners it saw on the stream, once it caught up with it — so
 * `WorkloadFinished` counts exactly what results stores.
 */
import { describeError } from "@paddock/shared/errors";
import type { EventDataOf, IterationRecord } from "@paddock/shared/events";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { ProgressWindow } from "../progress-window.js";
import type { RunnerConfig, ShareSlice } from "../runners/index.js";
import type { SlaMonitor } from "../sla/index.js";
import type { PreparedWorkload } from "../task-validator.js";
import type { WorkloadLoad } from "../workload-load.js";
import type { ShareNetwork } from "./share-network.js";
import { mergeProgress, type ShareState, type ShareView } from "./share-progress.js";
import { type ShareFigures, type ShareReport, shareFiguresOf, shareIdOf } from "./share-protocol.js";

/** Timings of the hand-out, milliseconds. */
export interface DistributionTiming {
  /** From the hand-out to the common start. Default 250. */
  readonly leadMs?: number;
  /** From the common start to the moment a runner must have accepted its share. Default 2000. */
  readonly acceptMs?: number;
  /** Extra wait for an acceptance already sent before the coordinator takes a share over. Default 2000. */
  readonly takeoverGraceMs?: number;
  /** How often shares are checked for lost runners and overdue acceptances. Default 200. */
  readonly checkMs?: number;
  /**
   * How long a workload asking for n replicas waits for n − 1 to be idle before it is split
   * across fewer (a replica that just ended a task says so with its next heartbeat). Default 2500.
   */
  readonly waitForReplicasMs?: number;
}

/** One load running in the coordinator's process. */
export interface LocalLoad {
  readonly load: WorkloadLoad;
  readonly progress: ProgressWindow;
  /** Resolves when the load ended: undefined, or the runner strategy's error message. */
  readonly done: Promise<string | undefined>;
}

/** What the coordinator's executor lends it. */
export interface CoordinatorContext {
  readonly network: ShareNetwork;
  readonly runnerId: string;
  readonly taskId: string;
  readonly title: string;
  readonly environment: string;
  readonly workload: PreparedWorkload;
  readonly workloadId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sla: SlaMonitor;
  readonly progressIntervalMs: number;
  readonly timing?: DistributionTiming | undefined;
  /** Starts a load of one share in this process (its batches are published as this runner's). */
  startLocal(config: RunnerConfig, slice: ShareSlice): LocalLoad;
  /** Called with each iteration another runner ran (SLA, hooks, abort on SLA failure). */
  onRemoteRecord(record: IterationRecord): void;
  /** Publishes the merged live figures. */
  publishProgress(merged: ReturnType<typeof mergeProgress>, elapsed: number): void;
  /** Publishes `ShareLost`. */
  publishLost(data: EventDataOf<"ShareLost">): void;
  /** Registers the stop/interrupt the task's aborts reach; returns the unregister function. */
  attach(control: { stop(): void; interrupt(): void }): () => void;
}

/** Totals of the whole distributed load. */
export interface DistributedSummary {
  readonly completed: number;
  readonly failed: number;
  readonly inFlight: number;
  /** Epoch seconds. */
  readonly firstStart: number | undefined;
  readonly lastEnd: number | undefined;
}

interface Seen {
  count: number;
  failed: number;
  late: number;
  firstStart: number;
  lastEnd: number;
  readonly errorsByType: Record<string, number>;
}

interface Share {
  readonly index: number;
  readonly shareId: string;
  readonly config: RunnerConfig;
  /** The runner that was handed the share (the coordinator for share 0). */
  readonly runnerId: string;
  state: ShareState;
  /** Set when this process runs it (share 0, or a takeover). */
  local: LocalLoad | undefined;
  /** The windows reported since the coordinator's last progress report. */
  windows: ShareFigures[];
  /** The latest reported totals. */
  reported: ShareFigures | undefined;
  finished: Extract<ShareReport, { kind: "finished" }> | undefined;
}

const LATE_SECONDS = 0.001;

/**
 * Runs `workload` split across this runner and `helpers` (idle replicas, in order of preference).
 * Resolves when every share has ended and every iteration the others published was seen.
 */
export async function runDistributedLoad(
  ctx: CoordinatorContext,
  helpers: readonly string[],
): Promise<DistributedSummary> {
  const { network, clock, logger, workload, taskId, workloadId } = ctx;
  const timing = {
    leadMs: ctx.timing?.leadMs ?? 250,
    acceptMs: ctx.timing?.acceptMs ?? 2000,
    takeoverGraceMs: ctx.timing?.takeoverGraceMs ?? 2000,
    checkMs: ctx.timing?.checkMs ?? 200,
  };
  const configs = workload.runner.split(workload.spec.runner.config, helpers.length + 1);
  const count = configs.length;
  const shares: Share[] = configs.map((config, index) => ({
    index,
    shareId: shareIdOf(workloadId, index),
    config,
    runnerId: index === 0 ? ctx.runnerId : (helpers[index - 1] as string),
    state: index === 0 ? "running" : "assigned",
    local: undefined,
    windows: [],
    reported: undefined,
    finished: undefined,
  }));
  const byRunner = new Map(shares.slice(1).map((share) => [share.runnerId, share]));
  const seen = new Map<string, Seen>();
  const log = { taskId, workloadId };
  let mode: "soft" | "hard" | undefined;
  let settle: (() => void) | undefined;
  const check = () => {
    if (
      settle !== undefined &&
      shares.every((share) => share.state === "finished" || share.state === "lost")
    ) {
      settle();
    }
  };

  const onReport = (report: ShareReport) => {
    if (report.workloadId !== workloadId) return;
    const share = shares[report.shareIndex];
    if (share === undefined || share.index === 0) return;
    if (report.runnerId !== share.runnerId || share.local !== undefined) {
      if (report.kind === "accepted") {
        // Too late: this runner already runs the share itself. The other one waits for a go: revoke it.
        revoke(share, report.runnerId, "the coordinator took it over before the acceptance arrived");
        logger.warn(log, `share ${share.shareId}: ${report.runnerId} accepted it after it was taken over`);
      }
      return;
    }
    switch (report.kind) {
      case "accepted":
        if (share.state === "assigned") {
          share.state = "running";
          const go = { ...refOf(share), decision: "go" as const };
          network.decide(go).catch((error: unknown) => {
            // Not stored, or stored without an answer. Unless the share evidently started (it
            // reported progress) or ended meanwhile, run it here (takeOver revokes it there).
            if (share.state !== "running" || share.local !== undefined || share.reported !== undefined)
              return;
            share.state = "assigned";
            takeOver(share, `the go to ${share.runnerId} could not be sent: ${describeError(error)}`);
          });
        }
        break;
      case "refused":
        logger.info(log, `share ${share.shareId} refused by ${share.runnerId}: ${report.reason}`);
        if (share.state === "assigned") takeOver(share, `refused by ${share.runnerId}: ${report.reason}`);
        break;
      case "progress":
        share.windows.push(report.figures);
        share.reported = report.figures;
        break;
      case "finished":
        if (share.state === "lost") break;
        share.state = "finished";
        share.finished = report;
        if (report.error !== undefined) {
          ctx.sla.setUnexpectedFailure(
            `share ${share.index + 1}/${count} on ${share.runnerId}: ${report.error}`,
          );
        }
        check();
        break;
    }
  };

  const onBatch = (batch: {
    workloadId: string;
    runnerId: string;
    iterations: readonly IterationRecord[];
  }) => {
    if (batch.workloadId !== workloadId) return;
    let entry = seen.get(batch.runnerId);
    if (entry === undefined) {
      entry = {
        count: 0,
        failed: 0,
        late: 0,
        firstStart: Number.POSITIVE_INFINITY,
        lastEnd: Number.NEGATIVE_INFINITY,
        errorsByType: {},
      };
      seen.set(batch.runnerId, entry);
    }
    for (const record of batch.iterations) {
      entry.count += 1;
      const type = record.error[0];
      if (type !== undefined) {
        entry.failed += 1;
        entry.errorsByType[type] = (entry.errorsByType[type] ?? 0) + 1;
      }
      if ((record.schedule_lag ?? 0) > LATE_SECONDS) entry.late += 1;
      if (record.timestamp < entry.firstStart) entry.firstStart = record.timestamp;
      const end = record.timestamp + record.duration + record.idle_duration;
      if (end > entry.lastEnd) entry.lastEnd = end;
      ctx.onRemoteRecord(record);
    }
  };

  const reports = await network.followReports(taskId, onReport);
  const iterations = await network.followIterations(taskId, ctx.runnerId, onBatch);
  const startAt = clock.now() * 1000 + timing.leadMs;
  const origin = clock.monotonic() + timing.leadMs;
  const acceptBy = startAt + timing.acceptMs;
  const takeoverAt = origin + timing.acceptMs + timing.takeoverGraceMs;
  const locals: Promise<string | undefined>[] = [];

  const startLocal = (share: Share, slice: ShareSlice) => {
    const local = ctx.startLocal(share.config, slice);
    share.local = local;
    if (mode === "hard") local.load.interrupt();
    else if (mode === "soft") local.load.stop();
    const done = local.done.then((error) => {
      if (error !== undefined) {
        ctx.sla.setUnexpectedFailure(`share ${share.index + 1}/${count} on ${ctx.runnerId}: ${error}`);
      }
      share.state = "finished";
      check();
      return error;
    });
    locals.push(done);
  };

  function refOf(share: Share) {
    return { shareId: share.shareId, taskId, workloadId, runnerId: share.runnerId, shareIndex: share.index };
  }

  function revoke(share: Share, runnerId: string, reason: string): void {
    network
      .decide({ ...refOf(share), runnerId, decision: "revoked", reason })
      .catch((error: unknown) =>
        logger.warn(log, `share ${share.shareId}: the revocation was not sent: ${describeError(error)}`),
      );
  }

  function takeOver(share: Share, why: string): void {
    if (share.state !== "assigned") return;
    // Its runner may have accepted it already, or do so later: it must not start it.
    revoke(share, share.runnerId, `the coordinator runs it itself (${why})`);
    if (mode !== undefined) {
      share.state = "finished";
      check();
      return;
    }
    // A share that starts late keeps its place in the numbering but gets a schedule of its own from now.
    const late = clock.monotonic() > origin;
    logger.info(log, `share ${share.shareId} runs on ${ctx.runnerId} instead (${why})`);
    share.state = "running";
    startLocal(share, { index: share.index, count, origin: late ? clock.monotonic() : origin });
  }

  const lose = (share: Share, reason: string) => {
    if (share.state === "lost" || share.state === "finished") return;
    share.state = "lost";
    const mine = seen.get(share.runnerId);
    const completed = mine?.count ?? 0;
    logger.warn(
      log,
      `share ${share.shareId} on ${share.runnerId} lost after ${completed} iterations: ${reason}`,
    );
    ctx.sla.setUnexpectedFailure(
      `share ${share.index + 1}/${count} on runner ${share.runnerId} was lost after ${completed} iterations (${reason})`,
    );
    network.control({ taskId, mode: "hard", shareId: share.shareId });
    ctx.publishLost({
      workloadId,
      runnerId: share.runnerId,
      shareIndex: share.index,
      shares: count,
      completed,
      failed: mine?.failed ?? 0,
      reason,
    });
    check();
  };

  const detach = ctx.attach({
    stop() {
      if (mode !== undefined) return;
      mode = "soft";
      network.control({ taskId, mode: "soft" });
      for (const share of shares) share.local?.load.stop();
    },
    interrupt() {
      if (mode === "hard") return;
      mode = "hard";
      network.control({ taskId, mode: "hard" });
      for (const share of shares) share.local?.load.interrupt();
    },
  });

  for (const share of shares.slice(1)) {
    network.directory.claim(share.runnerId, taskId);
    network
      .assign({
        shareId: share.shareId,
        taskId,
        workloadId,
        runnerId: share.runnerId,
        shareIndex: share.index,
        shareCount: count,
        coordinatorId: ctx.runnerId,
        title: ctx.title,
        workload: workload.spec,
        subtaskIndex: workload.subtaskIndex,
        position: workload.position,
        environment: ctx.environment,
        startAt,
        acceptBy,
      })
      .catch((error: unknown) => takeOver(share, `it could not be handed out: ${(error as Error).message}`));
  }
  logger.info(
    log,
    `workload ${workloadId} split into ${count} shares: ${shares.map((share) => share.runnerId).join(", ")}`,
  );

  const loadStarted = origin;
  const report = () => {
    const views: ShareView[] = shares.map((share) => {
      const remote = share.local === undefined;
      const windows = remote
        ? share.windows
        : [
            shareFiguresOf(
              (share.local as LocalLoad).progress.take(clock.monotonic()),
              (share.local as LocalLoad).load.inFlight,
            ),
          ];
      share.windows = [];
      const mine = remote ? seen.get(share.runnerId) : undefined;
      const totals = remote ? share.reported : windows[0];
      return {
        runnerId: remote ? share.runnerId : ctx.runnerId,
        state: share.state,
        windows,
        // Another runner's totals: what it reported, or what the stream shows when that is more.
        completed: Math.max(totals?.completed ?? 0, mine?.count ?? 0),
        failed: Math.max(totals?.failed ?? 0, mine?.failed ?? 0),
        inFlight: share.state === "lost" ? 0 : (totals?.inFlight ?? 0),
        errorsByType: totals?.errorsByType ?? mine?.errorsByType ?? {},
        late: totals?.scheduleLag?.late ?? mine?.late ?? 0,
      };
    });
    ctx.publishProgress(mergeProgress(views), Math.max(0, clock.monotonic() - loadStarted) / 1000);
  };

  let lastOrder = 0;
  const checker = setInterval(() => {
    const now = clock.monotonic();
    // A stop order travels once over core NATS; while shares still run, say it again each second.
    if (mode !== undefined && now - lastOrder >= 1000) {
      if (lastOrder > 0 && shares.some((share) => share.local === undefined && share.state === "running")) {
        network.control({ taskId, mode });
      }
      lastOrder = now;
    }
    for (const share of shares.slice(1)) {
      if (share.local !== undefined || share.state === "finished" || share.state === "lost") continue;
      const status = network.directory.status(share.runnerId);
      const dead = status !== undefined && !network.directory.isAlive(share.runnerId);
      if (share.state === "assigned") {
        if (dead || now >= takeoverAt) {
          takeOver(
            share,
            dead ? `${share.runnerId} stopped heart-beating` : `${share.runnerId} did not accept it in time`,
          );
        }
      } else if (dead) {
        const silent = network.directory.silentFor(share.runnerId).toFixed(1);
        lose(share, `runner ${share.runnerId} sent no heartbeat for ${silent} s (ttl ${status?.ttl} s)`);
      }
    }
  }, timing.checkMs);
  const ticker = setInterval(report, ctx.progressIntervalMs);

  try {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, origin - clock.monotonic())));
    const own = shares[0] as Share;
    if (mode === undefined) startLocal(own, { index: 0, count, origin });
    else {
      own.state = "finished";
      check();
    }
    await new Promise<void>((resolve) => {
      settle = resolve;
      check();
    });
    await Promise.all(locals);
    if (!(await iterations.caughtUp(30_000))) {
      logger.warn(log, `workload ${workloadId}: not every iteration of the other runners was seen in 30 s`);
    }
  } finally {
    clearInterval(checker);
    clearInterval(ticker);
    detach();
    await Promise.all([reports.stop(), iterations.stop()]);
  }
  report();

  let completed = 0;
  let failed = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const share of shares) {
    const local = share.local;
    if (local === undefined) continue;
    completed += local.progress.completed;
    failed += local.progress.failed;
    if (local.load.firstStart !== undefined) firstStart = Math.min(firstStart, local.load.firstStart);
    if (local.load.lastEnd !== undefined) lastEnd = Math.max(lastEnd, local.load.lastEnd);
  }
  for (const [runnerId, entry] of seen) {
    completed += entry.count;
    failed += entry.failed;
    firstStart = Math.min(firstStart, entry.firstStart);
    const finished = byRunner.get(runnerId)?.finished;
    lastEnd = Math.max(lastEnd, entry.lastEnd, finished?.lastEnd ?? Number.NEGATIVE_INFINITY);
  }
  return {
    completed,
    failed,
    inFlight: 0,
    firstStart: Number.isFinite(firstStart) ? firstStart : undefined,
    lastEnd: Number.isFinite(lastEnd) ? lastEnd : undefined,
  };
}
