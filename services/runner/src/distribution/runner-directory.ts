/**
 * The runner replicas this runner knows to be alive, from their `RunnerHeartbeat`s: a replica is
 * alive while its last heartbeat is younger than the heartbeat's own `ttl`, idle while it runs
 * fewer tasks (and shares) than its `capacity`. A coordinator picks the idle ones to hand shares
 * to and marks a share lost when its runner stops beating; a runner holding a share stops it when
 * the coordinator stops beating.
 */
import type { EventDataOf } from "@paddock/shared/events";

export type Heartbeat = EventDataOf<"RunnerHeartbeat">;

/** What the last heartbeat of a runner said. */
export interface RunnerStatus {
  readonly runnerId: string;
  /** Tasks it runs (a share of a task counts as that task). */
  readonly tasks: readonly string[];
  /** Tasks and shares it runs at once at most (1 when its heartbeat does not say). */
  readonly capacity: number;
  /** Seconds after `heardAt` the runner counts as dead. */
  readonly ttl: number;
  /** Epoch milliseconds of the last heartbeat. */
  readonly heardAt: number;
}

export class RunnerDirectory {
  private readonly runners = new Map<string, RunnerStatus>();

  /** `now`: epoch milliseconds. */
  constructor(private readonly now: () => number = Date.now) {}

  heard(heartbeat: Heartbeat): void {
    this.runners.set(heartbeat.runnerId, {
      runnerId: heartbeat.runnerId,
      tasks: heartbeat.tasks,
      capacity: heartbeat.capacity ?? 1,
      ttl: heartbeat.ttl,
      heardAt: this.now(),
    });
  }

  status(runnerId: string): RunnerStatus | undefined {
    return this.runners.get(runnerId);
  }

  /** True while the runner's last heartbeat is younger than its ttl. */
  isAlive(runnerId: string): boolean {
    const status = this.runners.get(runnerId);
    return status !== undefined && this.now() - status.heardAt <= status.ttl * 1000;
  }

  /** Seconds since the runner was last heard from (Infinity when never). */
  silentFor(runnerId: string): number {
    const status = this.runners.get(runnerId);
    return status === undefined ? Number.POSITIVE_INFINITY : (this.now() - status.heardAt) / 1000;
  }

  /**
   * The alive replicas other than `self` with a free slot, the least busy first (then by id, so
   * the choice is stable).
   */
  idle(self: string): string[] {
    return [...this.runners.values()]
      .filter(
        (status) =>
          status.runnerId !== self && this.isAlive(status.runnerId) && status.tasks.length < status.capacity,
      )
      .sort((a, b) => a.tasks.length - b.tasks.length || (a.runnerId < b.runnerId ? -1 : 1))
      .map((status) => status.runnerId);
  }

  /**
   * Counts `taskId` as running on `runnerId` until its next heartbeat says otherwise, so a share
   * just handed to it is not handed out twice in between.
   */
  claim(runnerId: string, taskId: string): void {
    const status = this.runners.get(runnerId);
    if (status !== undefined) this.runners.set(runnerId, { ...status, tasks: [...status.tasks, taskId] });
  }
}
