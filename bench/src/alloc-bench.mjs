/**
 * `alloc`: what the runner allocates per iteration, everything included (the load loop, the
 * records, batching and publishing them). The runner runs with its young generation fixed at
 * 1 MB (`--min-semi-space-size=1 --max-semi-space-size=1`) and `--trace-gc`, so each minor
 * collection it prints stands for about 1 MB allocated; collections per task × 1 MB / iterations
 * gives bytes per iteration (an estimate: what survives a collection is not counted again, and a
 * task's last partial megabyte is not counted at all). Throughput on this shared 2-core machine
 * moves by a few per cent between identical runs; this figure moves far less, so it shows
 * changes to the hot path that the `http` rounds cannot. `PADDOCK_BENCH_BEFORE_RUNNER=<an older
 * build's services/runner/dist/main.js>` measures that build too, first.
 */
import { existsSync } from "node:fs";
import { httpTask, median, startTarget } from "./http-bench.mjs";
import { startPaddock } from "./lib/paddock-stack.mjs";
import { fmt, heading, line } from "./lib/report.mjs";

const ITERATIONS = 50_000;
const RUNS = 3;
const SEMI_SPACE_MB = 1;
const GC_FLAGS = [
  `--min-semi-space-size=${SEMI_SPACE_MB}`,
  `--max-semi-space-size=${SEMI_SPACE_MB}`,
  "--trace-gc",
];
/** A young-generation collection in `--trace-gc` output (Scavenger, or minor mark-sweep). */
const MINOR_GC = /: (Scavenge|Minor Mark-Sweep)\b/g;

const dummyTask = (times) => ({
  version: 2,
  title: "bench alloc dummy",
  subtasks: [
    {
      title: "Dummy.dummy",
      workloads: [
        { scenario: { "Dummy.dummy": { sleep: 0 } }, runner: { constant: { times, concurrency: 10 } } },
      ],
    },
  ],
});

/** Bytes per iteration of `task(ITERATIONS)`, median of `RUNS` after one warm-up, for one runner build. */
async function measure(runnerMain, workloads) {
  let collections = 0;
  const paddock = await startPaddock({
    runnerMain,
    runnerNodeArgs: GC_FLAGS,
    onRunnerStdout: (chunk) => {
      collections += chunk.toString().match(MINOR_GC)?.length ?? 0;
    },
  });
  try {
    const figures = [];
    for (const { name, task } of workloads) {
      await paddock.runTask(task(ITERATIONS));
      const perIteration = [];
      for (let run = 0; run < RUNS; run += 1) {
        const before = collections;
        const result = await paddock.runTask(task(ITERATIONS));
        const workload = result.workloads[0];
        if (workload.failedIterationCount !== 0)
          throw new Error(`${name}: ${workload.failedIterationCount} failed`);
        perIteration.push(((collections - before) * SEMI_SPACE_MB * 1024 * 1024) / ITERATIONS);
      }
      figures.push({ name, bytes: median(perIteration), runs: perIteration });
    }
    return figures;
  } finally {
    await paddock.stop();
  }
}

export async function benchAlloc() {
  heading("alloc: bytes the runner allocates per iteration (minor GCs of a 1 MB young generation)");
  const before = process.env.PADDOCK_BENCH_BEFORE_RUNNER;
  if (before !== undefined && !existsSync(before)) {
    throw new Error(`PADDOCK_BENCH_BEFORE_RUNNER: ${before} does not exist`);
  }
  const server = await startTarget();
  try {
    const workloads = [
      { name: "Dummy.dummy, concurrency 10", task: dummyTask },
      { name: "HttpRequests.check_request, concurrency 20", task: (times) => httpTask(server.url, times) },
    ];
    const builds =
      before === undefined
        ? [["", undefined]]
        : [
            ["before: ", before],
            ["", undefined],
          ];
    for (const [label, main] of builds) {
      for (const figure of await measure(main, workloads)) {
        line(
          `${label}${figure.name}`,
          `${fmt(figure.bytes)} B/iteration (runs: ${figure.runs.map((bytes) => fmt(bytes)).join(", ")})`,
        );
      }
    }
  } finally {
    await server.stop();
  }
}
