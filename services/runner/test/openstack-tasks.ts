/**
 * Running a task file in-process against the cloud, as the runner does (validate with the
 * runner's plugins, execute, collect the events), for the OpenStack tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { WorkloadOverrides } from "@paddock/shared/api";
import type { IterationRecord, PaddockEvent } from "@paddock/shared/events";
import type { TaskSpec } from "@paddock/shared/task-model";
import { applyOverrides, loadTask } from "@paddock/tasks";
import pino from "pino";
import { expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import type { ScenarioEnvironment } from "../src/plugin.js";
import { createPluginRegistry } from "../src/plugins/index.js";
import { executeTask, type TaskOutcome, TaskRun } from "../src/task-executor.js";
import { type Preparation, prepareTask } from "../src/task-validator.js";
import { type Cloud, ROOT, snapshot } from "./openstack-cloud.js";
import { MemoryPublisher } from "./support/memory-publisher.js";

export const plugins = createPluginRegistry();

/** Loads (renders with `args`), applies `overrides`, and validates a task file's text. */
export function prepare(
  text: string,
  path: string,
  args: Record<string, unknown> = {},
  overrides: WorkloadOverrides = [],
): Preparation {
  const task = loadTask(text, { path, args }).task as TaskSpec;
  return prepareTask(overrides.length === 0 ? task : applyOverrides(task, overrides), plugins);
}

export interface TaskResult {
  readonly outcome: TaskOutcome;
  readonly iterations: IterationRecord[];
  readonly setups: PaddockEvent<"ContextSetUp">[];
  readonly cleanups: PaddockEvent<"ContextCleanedUp">[];
}

/** Runs a task file's text against `environment`; `onStart` may abort the run. */
export async function runTask(
  environment: ScenarioEnvironment,
  text: string,
  options: {
    readonly args?: Record<string, unknown>;
    readonly overrides?: WorkloadOverrides;
    readonly onStart?: (run: TaskRun, publisher: MemoryPublisher) => void;
  } = {},
): Promise<TaskResult> {
  const preparation = prepare(text, "openstack-test.yaml", options.args, options.overrides);
  if (!preparation.ok) throw new Error(JSON.stringify(preparation.problems, null, 2));
  const publisher = new MemoryPublisher();
  const run = new TaskRun("openstack-test", "openstack", systemClock, { environment: environment.name });
  options.onStart?.(run, publisher);
  const outcome = await executeTask(
    {
      publisher,
      clock: systemClock,
      runnerId: "runner-openstack",
      logger: pino({ level: "silent" }),
      resolveEnvironment: async () => environment,
    },
    preparation.task,
    run,
  );
  return {
    outcome,
    iterations: publisher.ofType("IterationsRecorded").flatMap((event) => event.data.iterations),
    setups: publisher.ofType("ContextSetUp") as PaddockEvent<"ContextSetUp">[],
    cleanups: publisher.ofType("ContextCleanedUp") as PaddockEvent<"ContextCleanedUp">[],
  };
}

/** What running one of the shipped scenario files gave; every field is compared in the tests. */
export interface ShippedRun {
  readonly file: string;
  readonly status: string;
  readonly ran: boolean;
  readonly failed: IterationRecord[];
}

/** Runs each of the library's `files` (below `scenarios/`) once: times 1, concurrency 1. */
export async function runShippedFiles(
  environment: ScenarioEnvironment,
  root: string,
  files: readonly string[],
): Promise<ShippedRun[]> {
  const runs: ShippedRun[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, "scenarios", file), "utf8");
    const { outcome, iterations } = await runTask(environment, text, { args: { times: 1, concurrency: 1 } });
    runs.push({
      file,
      status: outcome.status,
      ran: iterations.length > 0,
      failed: iterations.filter((iteration) => iteration.error.length > 0),
    });
  }
  return runs;
}

/** The runs `runShippedFiles` must give: each finished, ran, and no iteration failed. */
export function cleanRuns(files: readonly string[]): ShippedRun[] {
  return files.map((file) => ({ file, status: "finished", ran: true, failed: [] }));
}

/** A v2 task of one workload: `scenario` with `args`, constant `times` at concurrency 1. */
export function workload(
  scenario: string,
  args: Record<string, unknown>,
  contexts: Record<string, unknown>,
  times: number,
): string {
  return JSON.stringify({
    version: 2,
    title: "openstack test",
    subtasks: [
      {
        title: scenario,
        workloads: [
          {
            scenario: { [scenario]: args },
            runner: { constant: { times, concurrency: 1 } },
            contexts,
            sla: { failure_rate: { max: 0 } },
          },
        ],
      },
    ],
  });
}

interface AtomicNode {
  readonly name: string;
  readonly children?: readonly AtomicNode[];
}

/** An iteration's atomic actions as text: `a, b{c, d}` (children in braces). */
export function atomicTree(actions: readonly AtomicNode[]): string {
  return actions
    .map((action) =>
      action.children !== undefined && action.children.length > 0
        ? `${action.name}{${atomicTree(action.children)}}`
        : action.name,
    )
    .join(", ");
}

/**
 * Tests (inside a `describe`) that the shipped scenario `files` (relative to `scenarios/`)
 * render and validate with their defaults and together use every scenario of `scenarios`.
 */
export function itShipsEveryScenario(
  root: string,
  files: readonly string[],
  scenarios: readonly string[],
): void {
  it("cover every scenario of the group", () => {
    const used = new Set(
      files.flatMap((file) => {
        const preparation = prepare(readFileSync(join(root, "scenarios", file), "utf8"), file);
        return preparation.ok
          ? preparation.task.subtasks.flatMap((s) => s.workloads.map((w) => w.spec.scenario))
          : [];
      }),
    );
    expect(scenarios.filter((name) => !used.has(name))).toEqual([]);
  });

  for (const file of files) {
    it(`${file} renders and validates with its defaults`, () => {
      const preparation = prepare(readFileSync(join(root, "scenarios", file), "utf8"), file);
      expect(preparation.ok ? [] : preparation.problems).toEqual([]);
    });
  }
}

/**
 * A test (inside a `describe` against `cloud`) that every shipped file in `files` runs once
 * (times 1) with no failed iteration and leaves the cloud as it found it.
 */
export function itRunsEveryShippedFile(cloud: Cloud, files: readonly string[]): void {
  it("every shipped file runs once (times 1) with no failed iteration, and nothing is left", async () => {
    const before = await snapshot(cloud);
    expect(await runShippedFiles(cloud.environment(), ROOT, files)).toEqual(cleanRuns(files));
    expect(await snapshot(cloud)).toEqual(before);
  }, 300_000);
}
