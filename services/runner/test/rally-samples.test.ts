/**
 * The task files Rally ships (Debian package `rally`, `samples/tasks`): every generic sample
 * (only `Dummy.*` / `HttpRequests.*` scenarios and generic contexts, SLA, hooks) must load and
 * validate unchanged, JSON and YAML alike, and run when it runs in about ten seconds. None of
 * them declares template args, so the slower ones are validated only (their reasons are listed
 * below, and printed). Without the folder the suite prints one `SKIPPED rally samples` line.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { AnyPaddockEvent, PaddockEvent } from "@paddock/shared/events";
import type { TaskSpec } from "@paddock/shared/task-model";
import { loadTask } from "@paddock/tasks";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { createPluginRegistry } from "../src/plugins/index.js";
import { executeTask, TaskRun } from "../src/task-executor.js";
import { type PreparedTask, prepareTask } from "../src/task-validator.js";
import { MemoryPublisher } from "./support/memory-publisher.js";

const SAMPLES = "/usr/share/rally/samples/tasks";
const GENERIC_SCENARIO = /^(Dummy|HttpRequests)\./;

/** How each generic sample is exercised: run as is, or validated only and why. */
const PLANS: Record<string, { readonly run: true } | { readonly run: false; readonly why: string }> = {
  "contexts/dummy-context": { run: true },
  "runners/constant/constant-for-duration": { run: false, why: "runs 30 s (duration: 30)" },
  "runners/constant/constant-timeout": {
    run: false,
    why: "runs about 20 s (20 iterations of sleep 10 cut at timeout 5, concurrency 5)",
  },
  "runners/rps/rps": { run: false, why: "runs about 12 s (20 iterations at 3/s, each sleeping 5 s)" },
  "runners/serial/serial": { run: false, why: "runs 100 s (20 serial iterations of sleep 5)" },
  "scenarios/dummy/dummy-exception-probability": { run: true },
  "scenarios/dummy/dummy-exception": { run: true },
  "scenarios/dummy/dummy-failure": { run: true },
  "scenarios/dummy/dummy-output": { run: true },
  "scenarios/dummy/dummy-random-action": { run: true },
  "scenarios/dummy/dummy-random-fail-in-atomic": { run: true },
  "scenarios/dummy/dummy-timed-atomic-actions": { run: true },
  "scenarios/dummy/dummy": { run: false, why: "runs 20 s (20 iterations of sleep 5, concurrency 5)" },
  "scenarios/requests/check-random-request": { run: true },
  "scenarios/requests/check-request": { run: true },
  "sla/dummy": { run: false, why: "runs 20 s (20 iterations of sleep 5, concurrency 5)" },
};

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const present = existsSync(SAMPLES);
if (!present) {
  console.log(`SKIPPED rally samples: ${SAMPLES} does not exist (install it with: apt-get install -y rally)`);
}

/** Sample name (path without extension) → its files, for the task files only. */
function samples(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of filesUnder(SAMPLES).filter((path) => /\.(json|ya?ml)$/.test(path))) {
    const name = relative(SAMPLES, file).replace(/\.(json|ya?ml)$/, "");
    byName.set(name, [...(byName.get(name) ?? []), file].sort());
  }
  return byName;
}

const load = (file: string): TaskSpec => loadTask(readFileSync(file, "utf8"), { path: file }).task;

const isGeneric = (task: TaskSpec): boolean =>
  task.subtasks.every((subtask) =>
    subtask.workloads.every((workload) => GENERIC_SCENARIO.test(workload.scenario)),
  );

const plugins = createPluginRegistry();

function prepare(task: TaskSpec): PreparedTask {
  const preparation = prepareTask(task, plugins);
  if (!preparation.ok) throw new Error(JSON.stringify(preparation.problems, null, 2));
  return preparation.task;
}

async function run(task: TaskSpec) {
  const publisher = new MemoryPublisher();
  const deps = {
    publisher,
    clock: systemClock,
    runnerId: "runner-samples",
    logger: pino({ level: "silent" }),
  };
  const outcome = await executeTask(deps, prepare(task), new TaskRun("rally-sample", "sample", systemClock));
  const finished = publisher.ofType("WorkloadFinished") as PaddockEvent<"WorkloadFinished">[];
  const iterations = publisher.ofType("IterationsRecorded").flatMap((event) => event.data.iterations);
  const types = publisher.events.map((event: AnyPaddockEvent) => event.type);
  return { outcome, finished, iterations, types, publisher };
}

const slaOf = (finished: PaddockEvent<"WorkloadFinished">[], criterion: string) =>
  finished[0]?.data.slaResults.find((result) => result.criterion === criterion);

describe.skipIf(!present)("Rally's sample tasks", () => {
  const all = present ? samples() : new Map<string, string[]>();
  const generic = [...all].filter(([, files]) => isGeneric(load(files[0] as string)));

  it("are all generic, and each has a plan here", () => {
    expect(generic.map(([name]) => name).sort()).toEqual(Object.keys(PLANS).sort());
    const validatedOnly = Object.entries(PLANS).flatMap(([name, plan]) =>
      plan.run ? [] : [`${name}: ${plan.why}`],
    );
    console.log(
      `rally samples validated only (no template args to shorten them):\n  ${validatedOnly.join("\n  ")}`,
    );
  });

  for (const [name, files] of generic) {
    it(`${name} validates, JSON and YAML alike`, () => {
      const [first, ...others] = files.map(load);
      expect(() => prepare(first as TaskSpec)).not.toThrow();
      for (const other of others) expect(other).toEqual(first);
    });
  }

  const runs = (name: string) => (PLANS[name]?.run === true ? it : it.skip);
  const yaml = (name: string) => load(join(SAMPLES, `${name}.yaml`));

  runs("contexts/dummy-context")(
    "contexts/dummy-context runs with dummy_context set up and cleaned up",
    async () => {
      const { outcome, finished, iterations, types } = await run(yaml("contexts/dummy-context"));
      expect(outcome).toEqual({ status: "finished", passSla: true });
      expect(iterations).toHaveLength(4);
      expect(types.filter((type) => type === "ContextSetUp" || type === "ContextCleanedUp")).toEqual([
        "ContextSetUp",
        "ContextCleanedUp",
      ]);
      expect(finished[0]?.data.totalIterationCount).toBe(4);
    },
  );

  runs("scenarios/dummy/dummy-exception-probability")(
    "scenarios/dummy/dummy-exception-probability runs 1000 iterations, about half failing",
    async () => {
      const { outcome, finished, iterations } = await run(
        yaml("scenarios/dummy/dummy-exception-probability"),
      );
      expect(outcome).toEqual({ status: "finished", passSla: false });
      expect(iterations).toHaveLength(1000);
      const failed = iterations.filter((iteration) => iteration.error.length > 0).length;
      expect(failed).toBeGreaterThan(300);
      expect(failed).toBeLessThan(700);
      expect(slaOf(finished, "failure_rate")?.success).toBe(false);
    },
  );

  runs("scenarios/dummy/dummy-exception")(
    "scenarios/dummy/dummy-exception fails every iteration with DummyScenarioException",
    async () => {
      const { outcome, iterations } = await run(yaml("scenarios/dummy/dummy-exception"));
      expect(outcome).toEqual({ status: "finished", passSla: false });
      expect(iterations).toHaveLength(20);
      expect(new Set(iterations.map((iteration) => iteration.error[0]))).toEqual(
        new Set(["DummyScenarioException"]),
      );
    },
    30_000,
  );

  runs("scenarios/dummy/dummy-failure")(
    "scenarios/dummy/dummy-failure fails iterations 6, 8 and 10",
    async () => {
      const { outcome, iterations } = await run(yaml("scenarios/dummy/dummy-failure"));
      expect(outcome).toEqual({ status: "finished", passSla: false });
      expect(iterations).toHaveLength(20);
      const failedNumbers = iterations
        .filter((iteration) => iteration.error.length > 0)
        .map((iteration) => iteration.seq + 1)
        .sort((a, b) => a - b);
      expect(failedNumbers).toEqual([6, 8, 10]);
    },
  );

  runs("scenarios/dummy/dummy-output")(
    "scenarios/dummy/dummy-output records additive and complete output",
    async () => {
      const { outcome, iterations } = await run(yaml("scenarios/dummy/dummy-output"));
      expect(outcome).toEqual({ status: "finished", passSla: true });
      expect(iterations).toHaveLength(50);
      for (const iteration of iterations) {
        expect(iteration.output.additive.length).toBeGreaterThan(0);
        expect(iteration.output.complete.length).toBeGreaterThan(0);
      }
    },
  );

  runs("scenarios/dummy/dummy-random-action")(
    "scenarios/dummy/dummy-random-action runs 5 iterations of 5 random actions",
    async () => {
      const { outcome, iterations } = await run(yaml("scenarios/dummy/dummy-random-action"));
      expect(outcome).toEqual({ status: "finished", passSla: true });
      expect(iterations).toHaveLength(5);
      for (const iteration of iterations) expect(iteration.atomic_actions).toHaveLength(5);
    },
    30_000,
  );

  runs("scenarios/dummy/dummy-random-fail-in-atomic")(
    "scenarios/dummy/dummy-random-fail-in-atomic runs 100 iterations, some failing in an atomic action",
    async () => {
      const { outcome, iterations } = await run(yaml("scenarios/dummy/dummy-random-fail-in-atomic"));
      expect(outcome.status).toBe("finished");
      expect(iterations).toHaveLength(100);
      const failed = iterations.filter((iteration) => iteration.error.length > 0);
      expect(failed.length).toBeGreaterThan(0);
      for (const iteration of failed) {
        expect(iteration.atomic_actions.some((action) => action.failed === true)).toBe(true);
      }
    },
  );

  runs("scenarios/dummy/dummy-timed-atomic-actions")(
    "scenarios/dummy/dummy-timed-atomic-actions passes its per-atomic SLA",
    async () => {
      const { outcome, finished, iterations } = await run(yaml("scenarios/dummy/dummy-timed-atomic-actions"));
      expect(outcome).toEqual({ status: "finished", passSla: true });
      expect(iterations).toHaveLength(5);
      expect(slaOf(finished, "max_avg_duration_per_atomic")?.success).toBe(true);
    },
  );

  // They target www.example.com / www.openstack.org: offline every iteration is a ConnectionError.
  for (const name of ["scenarios/requests/check-request", "scenarios/requests/check-random-request"]) {
    runs(name)(
      `${name} runs its 20 requests (online: responses; offline: ConnectionError)`,
      async () => {
        const { outcome, iterations } = await run(yaml(name));
        expect(outcome.status).toBe("finished");
        expect(iterations).toHaveLength(20);
        for (const iteration of iterations) {
          expect(["", "ConnectionError", "AssertionError", "TimeoutException"]).toContain(
            iteration.error[0] ?? "",
          );
        }
      },
      60_000,
    );
  }
});
