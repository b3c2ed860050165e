/**
 * The contract every `ResultStore` adapter satisfies. Call `describeStoreContract` from an
 * adapter's test file with a factory that opens a fresh, empty store.
 */
import type { IterationRecord } from "@paddock/shared/events";
import type { AtomicAction } from "@paddock/shared/task-model";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeWorkloadFigures } from "../src/statistics/workload-figures.js";
import { type RallyIterationText, rallyIterationJson } from "../src/store/iteration-lines.js";
import {
  ITERATION_CHUNK_SIZE,
  type ResultStore,
  type ResultStoreFactory,
  type TaskRecord,
  type WorkloadRecord,
} from "../src/store/result-store.js";
import { makeIteration, RALLY_ITERATION_KEYS, taskSpec, WORKLOAD_SPEC } from "./fixtures/task-events.js";

/** A `RallyIterationText` with its bytes decoded, for comparisons. */
function asText(text: RallyIterationText): { seq: number; timestamp: number; json: string } {
  return { seq: text.seq, timestamp: text.timestamp, json: Buffer.from(text.json).toString("utf8") };
}

export function sampleTask(id: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  const at = overrides.createdAt ?? "2026-11-23T10:00:00.000Z";
  return {
    id,
    title: `Task ${id}`,
    description: "authentication under load",
    tags: ["nightly"],
    environment: "local",
    source: { kind: "scenario", scenarioId: "dummy/dummy.yaml", hash: "f".repeat(64) },
    args: { times: 20 },
    input: "version: 2\n",
    task: taskSpec(`Task ${id}`, ["nightly"]),
    status: "finished",
    passSla: true,
    runnerId: "runner-a",
    reason: null,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    finishedAt: at,
    scenarios: ["Dummy.dummy"],
    iterations: 0,
    failedIterations: 0,
    placeholder: false,
    ...overrides,
  };
}

export function sampleWorkload(
  id: string,
  taskId: string,
  overrides: Partial<WorkloadRecord> = {},
): WorkloadRecord {
  return {
    id,
    taskId,
    subtaskIndex: 0,
    position: 0,
    subtaskTitle: "Dummy",
    spec: WORKLOAD_SPEC,
    expectedIterations: 20,
    status: "running",
    startTime: null,
    loadDuration: 0,
    fullDuration: 0,
    totalIterationCount: 0,
    failedIterationCount: 0,
    storedIterationCount: 0,
    storedFailedCount: 0,
    minDuration: null,
    maxDuration: null,
    passSla: true,
    slaResults: [],
    contextsResults: [],
    hookResults: [],
    statistics: null,
    placeholder: false,
    createdAt: "2026-11-23T10:00:00.000Z",
    updatedAt: "2026-11-23T10:00:00.000Z",
    ...overrides,
  };
}

const iterations = (seqs: readonly number[]): IterationRecord[] =>
  seqs.map((seq) => makeIteration(seq, 1795473562));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

async function allIterations(store: ResultStore, workloadId: string): Promise<readonly IterationRecord[]> {
  return store.readIterations(workloadId, 0, Number.MAX_SAFE_INTEGER);
}

export function describeStoreContract(name: string, open: ResultStoreFactory): void {
  describe(`ResultStore contract: ${name}`, () => {
    let store: ResultStore;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe("tasks", () => {
      it("keeps a task exactly as written and changes only the given fields", async () => {
        const task = sampleTask("t1", { args: { nested: { list: [1, "two", null] } } });
        await store.write(async (tx) => tx.insertTask(task));
        expect(await store.getTask("t1")).toEqual(task);

        await store.write(async (tx) =>
          tx.updateTask("t1", { status: "crashed", reason: "runner gone", passSla: false, finishedAt: null }),
        );
        expect(await store.getTask("t1")).toEqual({
          ...task,
          status: "crashed",
          reason: "runner gone",
          passSla: false,
          finishedAt: null,
        });
        expect(await store.getTask("nope")).toBeUndefined();
      });

      it("lists newest first without the heavy fields, and pages with a cursor", async () => {
        await store.write(async (tx) => {
          for (let i = 0; i < 7; i += 1) {
            await tx.insertTask(sampleTask(`t${i}`, { createdAt: `2026-11-23T10:00:0${i}.000Z` }));
          }
          // Same creation time as t6: the id breaks the tie.
          await tx.insertTask(sampleTask("t6b", { createdAt: "2026-11-23T10:00:06.000Z" }));
        });
        const first = await store.listTasks({ limit: 3 });
        expect(first.tasks.map((t) => t.id)).toEqual(["t6b", "t6", "t5"]);
        expect(first.tasks[0]).not.toHaveProperty("input");
        expect(first.tasks[0]).not.toHaveProperty("task");
        expect(first.tasks[0]).toMatchObject({
          title: "Task t6b",
          tags: ["nightly"],
          scenarios: ["Dummy.dummy"],
        });

        const seen = [...first.tasks.map((t) => t.id)];
        let cursor = first.next;
        while (cursor) {
          const page = await store.listTasks({ limit: 3, after: cursor });
          seen.push(...page.tasks.map((t) => t.id));
          cursor = page.next;
        }
        expect(seen).toEqual(["t6b", "t6", "t5", "t4", "t3", "t2", "t1", "t0"]);
        expect((await store.listTasks({ limit: 8 })).next).toBeUndefined();
      });

      it("filters by status, tag, scenario, environment and free text, all together", async () => {
        await store.write(async (tx) => {
          await tx.insertTask(
            sampleTask("a", {
              status: "running",
              tags: ["smoke", "keystone"],
              scenarios: ["Authenticate.keystone"],
            }),
          );
          await tx.insertTask(
            sampleTask("b", {
              status: "finished",
              tags: ["smoke"],
              environment: "staging",
              title: "Boot 100% VMs",
            }),
          );
          await tx.insertTask(
            sampleTask("c", {
              status: "finished",
              tags: [],
              description: "Nightly NOVA boot",
              createdAt: "2026-11-24T08:00:00.000Z",
            }),
          );
        });
        const ids = async (query: Parameters<ResultStore["listTasks"]>[0]) =>
          (await store.listTasks(query)).tasks.map((t) => t.id).sort();

        expect(await ids({ limit: 10, status: "finished" })).toEqual(["b", "c"]);
        expect(await ids({ limit: 10, tag: "smoke" })).toEqual(["a", "b"]);
        expect(await ids({ limit: 10, tag: "keystone" })).toEqual(["a"]);
        expect(await ids({ limit: 10, scenario: "Authenticate.keystone" })).toEqual(["a"]);
        expect(await ids({ limit: 10, environment: "staging" })).toEqual(["b"]);
        expect(await ids({ limit: 10, text: "nova BOOT" })).toEqual(["c"]);
        expect(await ids({ limit: 10, text: "boot" })).toEqual(["b", "c"]);
        expect(await ids({ limit: 10, text: "100%" })).toEqual(["b"]);
        expect(await ids({ limit: 10, text: "_" })).toEqual([]);
        expect(await ids({ limit: 10, text: "keystone" })).toEqual(["a"]);
        expect(await ids({ limit: 10, status: "finished", tag: "smoke", text: "boot" })).toEqual(["b"]);
        expect(await ids({ limit: 10, createdFrom: "2026-11-24T00:00:00.000Z" })).toEqual(["c"]);
        expect(await ids({ limit: 10, createdTo: "2026-11-24T00:00:00.000Z" })).toEqual(["a", "b"]);
        expect(
          await ids({
            limit: 10,
            createdFrom: "2026-11-24T08:00:00.000Z",
            createdTo: "2026-11-24T08:00:00.001Z",
          }),
        ).toEqual(["c"]);
        expect(await ids({ limit: 10, createdFrom: "2026-11-25T00:00:00.000Z" })).toEqual([]);
      });

      it("follows tag and scenario changes in the filters", async () => {
        await store.write(async (tx) => tx.insertTask(sampleTask("a", { tags: ["old"] })));
        await store.write(async (tx) =>
          tx.updateTask("a", { tags: ["new"], scenarios: ["Dummy.failure"], title: "Renamed" }),
        );
        expect((await store.listTasks({ limit: 5, tag: "old" })).tasks).toEqual([]);
        expect((await store.listTasks({ limit: 5, tag: "new" })).tasks.map((t) => t.id)).toEqual(["a"]);
        expect(
          (await store.listTasks({ limit: 5, scenario: "Dummy.failure" })).tasks.map((t) => t.id),
        ).toEqual(["a"]);
        expect((await store.listTasks({ limit: 5, text: "renamed" })).tasks.map((t) => t.id)).toEqual(["a"]);
      });

      it("lists running tasks with their runner", async () => {
        await store.write(async (tx) => {
          await tx.insertTask(
            sampleTask("run", { status: "running", runnerId: "r9", startedAt: "2026-11-23T10:00:01.000Z" }),
          );
          await tx.insertTask(sampleTask("done", { status: "finished" }));
        });
        expect(await store.listRunningTasks()).toEqual([
          { id: "run", runnerId: "r9", startedAt: "2026-11-23T10:00:01.000Z" },
        ]);
      });
    });

    describe("transactions", () => {
      it("keeps nothing of a write that throws", async () => {
        await expect(
          store.write(async (tx) => {
            await tx.insertTask(sampleTask("doomed"));
            await tx.markApplied("e1", "doomed", "2026-11-23T10:00:00.000Z");
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        expect(await store.getTask("doomed")).toBeUndefined();
        expect(await store.write(async (tx) => tx.isApplied("e1"))).toBe(false);
      });

      it("records applied events in the transaction", async () => {
        await store.write(async (tx) => tx.markApplied("e1", "t1", "2026-11-23T10:00:00.000Z"));
        await store.write(async (tx) => tx.markApplied("e1", "t1", "2026-11-23T10:00:01.000Z"));
        expect(await store.write(async (tx) => [await tx.isApplied("e1"), await tx.isApplied("e2")])).toEqual(
          [true, false],
        );
      });

      it("runs writes one at a time and hides an open write from readers", async () => {
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const order: string[] = [];
        const first = store.write(async (tx) => {
          await tx.insertTask(sampleTask("slow"));
          order.push("first inserted");
          await gate;
          order.push("first done");
        });
        const second = store.write(async (tx) => {
          order.push("second started");
          expect(await tx.getTask("slow")).toBeDefined();
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await store.getTask("slow")).toBeUndefined();
        release();
        await Promise.all([first, second]);
        expect(order).toEqual(["first inserted", "first done", "second started"]);
        expect(await store.getTask("slow")).toBeDefined();
      });
    });

    describe("workloads and iterations", () => {
      beforeEach(async () => {
        await store.write(async (tx) => {
          await tx.insertTask(sampleTask("t1"));
          await tx.insertWorkload(sampleWorkload("w2", "t1", { subtaskIndex: 1, position: 0 }));
          await tx.insertWorkload(sampleWorkload("w1", "t1", { subtaskIndex: 0, position: 1 }));
          await tx.insertWorkload(sampleWorkload("w0", "t1", { subtaskIndex: 0, position: 0 }));
        });
      });

      it("lists a task's workloads in subtask and position order and updates fields", async () => {
        expect((await store.listWorkloads("t1")).map((w) => w.id)).toEqual(["w0", "w1", "w2"]);
        const statistics = {
          durations: {
            total: {
              name: "total",
              display_name: "total",
              count_per_iteration: 1,
              children: [],
              data: {
                iteration_count: 0,
                min: "n/a" as const,
                median: "n/a" as const,
                "90%ile": "n/a" as const,
                "95%ile": "n/a" as const,
                max: "n/a" as const,
                avg: "n/a" as const,
                success: "n/a",
              },
            },
            atomics: [],
          },
        };
        await store.write(async (tx) =>
          tx.updateWorkload("w0", { status: "finished", statistics, minDuration: 0.25, slaResults: [] }),
        );
        expect(await store.getWorkload("w0")).toEqual({
          ...sampleWorkload("w0", "t1"),
          status: "finished",
          statistics,
          minDuration: 0.25,
        });
      });

      it("stores iterations once per seq and reads them back in seq order, paged", async () => {
        const target = { taskId: "t1", workloadId: "w0", runnerId: "runner-a" };
        const results = await store.write(async (tx) => [
          await tx.appendIterations(target, iterations([0, 1, 3, 6])),
          await tx.appendIterations(target, iterations([2, 5, 4, 7, 9])),
          await tx.appendIterations(target, iterations([3, 8, 9, 8])),
        ]);
        expect(results).toEqual([
          { stored: 4, failed: 1 },
          { stored: 5, failed: 0 },
          { stored: 1, failed: 0 },
        ]);
        expect(await allIterations(store, "w0")).toEqual(iterations(range(0, 10)));
        expect(await store.readIterations("w0", 3, 4)).toEqual(iterations([3, 4, 5, 6]));
        expect(await store.readIterations("w0", 8, 10)).toEqual(iterations([8, 9]));
        expect(await store.readIterations("w0", 10, 10)).toEqual([]);
        expect(await store.readIterations("w1", 0, 10)).toEqual([]);
      });

      it("reads a workload by seq cursor across overlapping chunks of several runners, before and after compaction", async () => {
        // Two runners sharing a workload (interleaved seqs), batches arriving out of order.
        const seqs = range(0, 2500);
        const byRunner = [seqs.filter((seq) => seq % 3 !== 0), seqs.filter((seq) => seq % 3 === 0)];
        await store.write(async (tx) => {
          for (const [index, mine] of byRunner.entries()) {
            const target = { taskId: "t1", workloadId: "w0", runnerId: `runner-${index}` };
            const shuffled = [...mine].sort((a, b) => ((a * 7919) % 1013) - ((b * 7919) % 1013));
            for (let at = 0; at < shuffled.length; at += 700)
              await tx.appendIterations(target, iterations(shuffled.slice(at, at + 700)));
          }
        });
        const expected = iterations(seqs);
        async function readAll(page: number): Promise<IterationRecord[]> {
          const all: IterationRecord[] = [];
          for (let afterSeq = -1; ; ) {
            const got = await store.readIterationsAfter("w0", afterSeq, page);
            all.push(...got);
            if (got.length < page) return all;
            afterSeq = (got[got.length - 1] as IterationRecord).seq;
          }
        }
        expect(await readAll(1000)).toEqual(expected);
        expect(await readAll(333)).toEqual(expected);
        expect(await store.readIterationsAfter("w0", 1234, 5)).toEqual(
          iterations([1235, 1236, 1237, 1238, 1239]),
        );
        expect(await store.readIterationsAfter("w0", 2499, 5)).toEqual([]);
        expect(await store.readIterationsAfter("w0", -1, 0)).toEqual([]);
        expect(await store.readIterationsAfter("w9", -1, 10)).toEqual([]);

        await store.write(async (tx) => tx.compactIterations("w0"));
        expect(await readAll(1000)).toEqual(expected);
        expect(await store.readIterationsAfter("w0", 999, 3)).toEqual(iterations([1000, 1001, 1002]));
      });

      it("reads iterations as Rally's report text by seq cursor, the same records readIterationsAfter gives, before and after compaction", async () => {
        const seqs = range(0, 2300);
        // Every form a record takes: rate-driven fields, a distributed runner id, whole numbers,
        // an unfinished action, scenario output, and keys outside the schema (kept, not exported).
        const varied = (seq: number): IterationRecord => {
          const base = makeIteration(seq, 1_700_000_000);
          switch (seq % 6) {
            case 1:
              return { ...base, intended_start: base.timestamp - 0.001, schedule_lag: 0.001 };
            case 2:
              return { ...base, runner_id: `runner-${seq % 2}`, duration: 2, timestamp: 1_700_000_100 + seq };
            case 3:
              return {
                ...base,
                output: { additive: [{ title: "t", data: [["a", seq]], meta: { a: 1, seq } }], complete: [] },
                atomic_actions: [
                  { name: "open", started_at: base.timestamp, finished_at: null, children: [] },
                ],
              };
            case 4:
              return { ...base, extra: { seq: 1, note: ',"seq":' } } as IterationRecord;
            case 5:
              return {
                ...base,
                atomic_actions: [{ ...(base.atomic_actions[0] as AtomicAction), probe: 1 } as AtomicAction],
              };
            default:
              return base;
          }
        };
        const byRunner = [seqs.filter((seq) => seq % 3 !== 0), seqs.filter((seq) => seq % 3 === 0)];
        await store.write(async (tx) => {
          for (const [index, mine] of byRunner.entries()) {
            const target = { taskId: "t1", workloadId: "w0", runnerId: `runner-${index}` };
            const shuffled = [...mine].sort((a, b) => ((a * 7919) % 1013) - ((b * 7919) % 1013));
            for (let at = 0; at < shuffled.length; at += 600)
              await tx.appendIterations(target, shuffled.slice(at, at + 600).map(varied));
          }
        });
        const expected = seqs.map(varied);
        async function readAll(page: number) {
          const records: IterationRecord[] = [];
          const texts: RallyIterationText[] = [];
          for (let afterSeq = -1; ; ) {
            const got = await store.readIterationsAfter("w0", afterSeq, page);
            const text = await store.readRallyIterationsAfter("w0", afterSeq, page);
            records.push(...got);
            texts.push(...text);
            if (got.length < page) return { records, texts };
            afterSeq = (got[got.length - 1] as IterationRecord).seq;
          }
        }
        for (const compacted of [false, true]) {
          if (compacted) await store.write(async (tx) => tx.compactIterations("w0"));
          for (const page of [1000, 417]) {
            const { records, texts } = await readAll(page);
            expect(records).toEqual(expected);
            expect(texts.map(asText)).toEqual(
              expected.map((record) => ({
                seq: record.seq,
                timestamp: record.timestamp,
                json: rallyIterationJson(record),
              })),
            );
          }
        }
        // Rally's text: its six keys in its order, floats written as floats, Paddock's fields gone.
        const [plain, rated, whole] = (await store.readRallyIterationsAfter("w0", -1, 3)).map(
          (text) => asText(text).json,
        );
        expect(Object.keys(JSON.parse(plain as string))).toEqual(RALLY_ITERATION_KEYS);
        expect(rated).not.toMatch(/seq|intended_start|schedule_lag/);
        expect(whole).toMatch(/^\{"duration":2\.0,"timestamp":1700000102\.0,/);
        expect(await store.readRallyIterationsAfter("w0", 2299, 5)).toEqual([]);
        expect(await store.readRallyIterationsAfter("w0", -1, 0)).toEqual([]);
        expect(await store.readRallyIterationsAfter("w9", -1, 10)).toEqual([]);
      });

      it("handles batches larger than a chunk, and compaction keeps content and order", async () => {
        const target = { taskId: "t1", workloadId: "w0", runnerId: "runner-a" };
        const evens = range(0, 1300).map((i) => i * 2);
        const odds = range(0, 1300).map((i) => i * 2 + 1);
        await store.write(async (tx) => {
          await tx.appendIterations(target, iterations(evens));
          await tx.appendIterations(target, iterations(odds.slice(0, 700)));
          await tx.appendIterations(target, iterations(odds.slice(700)));
        });
        const expected = iterations(range(0, 2600));
        expect(await allIterations(store, "w0")).toEqual(expected);
        expect(await store.readIterations("w0", 995, 10)).toEqual(expected.slice(995, 1005));

        await store.write(async (tx) => tx.compactIterations("w0"));
        expect(await allIterations(store, "w0")).toEqual(expected);
        expect(await store.readIterations("w0", 1995, 10)).toEqual(expected.slice(1995, 2005));

        const scanned: number[] = [];
        await store.write(async (tx) =>
          tx.scanIterations("w0", (chunk) => {
            expect(chunk.length).toBeLessThanOrEqual(ITERATION_CHUNK_SIZE);
            scanned.push(...chunk.map((record) => record.seq));
          }),
        );
        expect(scanned.sort((a, b) => a - b)).toEqual(range(0, 2600));

        const again = await store.write(async (tx) =>
          tx.appendIterations(target, iterations([5, 2599, 2600])),
        );
        expect(again).toEqual({ stored: 1, failed: 0 });
      });

      it("computes a workload's figures from its chunks as from its iterations, before and after compaction", async () => {
        const target = { taskId: "t1", workloadId: "w0", runnerId: "runner-a" };
        const seqs = range(0, 2300);
        const shuffled = [
          ...seqs.filter((seq) => seq % 3 === 0),
          ...seqs.filter((seq) => seq % 3 !== 0).reverse(),
        ];
        const expected = computeWorkloadFigures(iterations(seqs));
        expect(expected.failedIterationCount).toBeGreaterThan(0);
        const before = await store.write(async (tx) => {
          await tx.appendIterations(target, iterations(shuffled.slice(0, 1500)));
          await tx.appendIterations(target, iterations(shuffled.slice(1500)));
          return tx.workloadFigures("w0");
        });
        expect(before).toEqual(expected);
        const after = await store.write(async (tx) => {
          await tx.compactIterations("w0");
          return tx.workloadFigures("w0");
        });
        expect(after).toEqual(expected);
        expect(await store.write(async (tx) => tx.workloadFigures("w1"))).toEqual(computeWorkloadFigures([]));
      });
    });

    describe("parked events and deletion", () => {
      it("parks a message once per stream sequence, oldest first", async () => {
        const parked = {
          streamSeq: 42,
          subject: "paddock.task.t1.lifecycle",
          eventId: null,
          reason: "event is not JSON",
          raw: "{not json",
          parkedAt: "2026-11-23T10:00:00.000Z",
        };
        await store.write(async (tx) => {
          await tx.park(parked);
          await tx.park({ ...parked, reason: "again" });
          await tx.park({ ...parked, streamSeq: 7, eventId: "e7" });
        });
        expect(await store.listParked(10)).toEqual([{ ...parked, streamSeq: 7, eventId: "e7" }, parked]);
      });

      it("deletes a task with everything it holds and remembers the deletion", async () => {
        await store.write(async (tx) => {
          await tx.insertTask(sampleTask("gone", { tags: ["x"] }));
          await tx.insertTask(sampleTask("kept", { tags: ["x"] }));
          await tx.insertWorkload(sampleWorkload("wg", "gone"));
          await tx.insertWorkload(sampleWorkload("wk", "kept"));
          await tx.appendIterations({ taskId: "gone", workloadId: "wg", runnerId: "r" }, iterations([0, 1]));
          await tx.appendIterations({ taskId: "kept", workloadId: "wk", runnerId: "r" }, iterations([0, 1]));
          await tx.markApplied("eg", "gone", "2026-11-23T10:00:00.000Z");
          await tx.markApplied("ek", "kept", "2026-11-23T10:00:00.000Z");
        });
        expect(await store.deleteTask("gone", "2026-11-23T11:00:00.000Z")).toBe(true);
        expect(await store.deleteTask("gone", "2026-11-23T11:00:00.000Z")).toBe(false);
        expect(await store.getTask("gone")).toBeUndefined();
        expect(await store.listWorkloads("gone")).toEqual([]);
        expect(await store.getWorkload("wg")).toBeUndefined();
        expect(await allIterations(store, "wg")).toEqual([]);
        expect((await store.listTasks({ limit: 10, tag: "x" })).tasks.map((t) => t.id)).toEqual(["kept"]);
        expect(
          await store.write(async (tx) => [
            await tx.isApplied("eg"),
            await tx.isDeleted("gone"),
            await tx.isApplied("ek"),
            await tx.isDeleted("kept"),
          ]),
        ).toEqual([false, true, true, false]);
        expect(await allIterations(store, "wk")).toHaveLength(2);
      });
    });

    it("reports when it is closed and refuses work after", async () => {
      expect(store.isOpen()).toBe(true);
      await store.close();
      expect(store.isOpen()).toBe(false);
      await expect(store.getTask("t1")).rejects.toThrow(/closed/);
      await expect(store.write(async (tx) => tx.getTask("t1"))).rejects.toThrow(/closed/);
    });
  });
}
