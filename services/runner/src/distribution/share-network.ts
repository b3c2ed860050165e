/**
 * The port through which runners hand out, hold and follow shares of distributed workloads.
 * `createNatsShareNetwork` (nats-share-network.ts) is its adapter: shares and reports travel
 * through the JetStream stream `PADDOCK_SHARES`, stop orders over core NATS, liveness comes from
 * the runners' heartbeats.
 */
import type { IterationRecord } from "@paddock/shared/events";
import type { RunnerDirectory } from "./runner-directory.js";
import type { ShareAssignment, ShareControl, ShareDecision, ShareReport } from "./share-protocol.js";

export interface Following {
  stop(): Promise<void>;
}

/** One `IterationsRecorded` batch as the coordinator follows it. */
export interface IterationBatch {
  readonly workloadId: string;
  readonly runnerId: string;
  readonly iterations: readonly IterationRecord[];
}

export interface IterationFollowing extends Following {
  /**
   * Resolves true once every batch the stream holds for the task at the time of the call has
   * been handed to the follower, false after `timeoutMs` without that.
   */
  caughtUp(timeoutMs: number): Promise<boolean>;
}

export interface ShareNetwork {
  /** The replicas alive by their heartbeats. */
  readonly directory: RunnerDirectory;
  /** Hands a share to its runner; resolves once stored. */
  assign(assignment: ShareAssignment): Promise<void>;
  /** Answers a runner that accepted a share (`go` or `revoked`); resolves once stored. */
  decide(decision: ShareDecision): Promise<void>;
  /** Publishes a report about a share held here; resolves once stored. */
  report(report: ShareReport): Promise<void>;
  /** Sends a stop order to the runners holding shares of a task (at most once, right away; never throws). */
  control(message: ShareControl): void;
  /** Follows the reports about a task's shares published from now on. */
  followReports(taskId: string, onReport: (report: ShareReport) => void): Promise<Following>;
  /**
   * Follows a task's `IterationsRecorded` batches published from now on, except those of
   * `skipRunnerId` (the follower's own).
   */
  followIterations(
    taskId: string,
    skipRunnerId: string,
    onBatch: (batch: IterationBatch) => void,
  ): Promise<IterationFollowing>;
  /** Receives the shares handed to `runnerId` from now on, and the decisions about them. */
  receiveAssignments(
    runnerId: string,
    onAssignment: (assignment: ShareAssignment) => void,
    onDecision: (decision: ShareDecision) => void,
  ): Promise<Following>;
  /** Receives every stop order. */
  receiveControls(onControl: (message: ShareControl) => void): Following;
  /** Stops following heartbeats. */
  close(): Promise<void>;
}
