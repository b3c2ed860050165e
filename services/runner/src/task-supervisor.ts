/**
 * The tasks this runner executes now: starts them in the background, aborts them on request,
 * lists them, and on shutdown soft-aborts them (hard after a grace period) and waits until
 * their last events are published.
 */
import { TaskNotFound } from "@paddock/shared/errors";
import {
  type AbortMode,
  type ExecutorDeps,
  executeTask,
  type RunOptions,
  type TaskOutcome,
  TaskRun,
} from "./task-executor.js";
import type { PreparedTask } from "./task-validator.js";

interface Active {
  readonly run: TaskRun;
  readonly done: Promise<TaskOutcome>;
}

export class TaskSupervisor {
  private readonly active = new Map<string, Active>();
  private closing = false;

  /** `onChange`: called when a task starts or ends here (the heartbeat tells the other replicas at once). */
  constructor(
    private readonly deps: ExecutorDeps,
    private readonly onChange: () => void = () => {},
  ) {}

  /** Starts executing `task` in the background; resolves the outcome when it ended. */
  start(taskId: string, title: string, task: PreparedTask, options: RunOptions = {}): Promise<TaskOutcome> {
    const run = new TaskRun(taskId, title, this.deps.clock, options);
    const done = executeTask(this.deps, task, run).finally(() => {
      this.active.delete(taskId);
      this.onChange();
    });
    this.active.set(taskId, { run, done });
    this.onChange();
    return done;
  }

  get accepting(): boolean {
    return !this.closing;
  }

  /** Aborts a task running here; throws `TaskNotFound` for any other id. */
  abort(taskId: string, mode: AbortMode): TaskRun {
    const entry = this.active.get(taskId);
    if (entry === undefined) throw new TaskNotFound(taskId);
    entry.run.abort(mode);
    return entry.run;
  }

  /** Whether `taskId` runs here. */
  has(taskId: string): boolean {
    return this.active.has(taskId);
  }

  /** How many tasks run here now. */
  get size(): number {
    return this.active.size;
  }

  /** The runs in progress, oldest first. */
  runs(): TaskRun[] {
    return [...this.active.values()].map((entry) => entry.run);
  }

  taskIds(): string[] {
    return [...this.active.keys()];
  }

  /**
   * Soft-aborts every task, hard-aborts those still running after `graceMs`, and resolves when
   * all have published their last event.
   */
  async shutdown(graceMs = 8000): Promise<void> {
    this.closing = true;
    const entries = [...this.active.values()];
    for (const entry of entries) entry.run.abort("soft");
    const all = Promise.allSettled(entries.map((entry) => entry.done));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), graceMs);
    });
    if ((await Promise.race([all, grace])) === "late") {
      for (const entry of entries) entry.run.abort("hard");
    }
    clearTimeout(timer);
    await all;
  }
}
