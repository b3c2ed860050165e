import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { IterationRecord } from "@paddock/shared/events";
import { eventually, type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeWorkloadFigures } from "../src/statistics/workload-figures.js";
import { rallyIterationJson } from "../src/store/iteration-lines.js";
import { ITERATION_CHUNK_SIZE } from "../src/store/result-store.js";
import { MIGRATIONS } from "../src/store/sqlite-schema.js";
import { COMPACTION_STEP_CHUNKS, openSqliteStore } from "../src/store/sqlite-store.js";
import { makeIteration } from "./fixtures/task-events.js";
import { describeStoreContract, sampleTask, sampleWorkload } from "./store-contract.js";

let dir: TempDir;
let opened = 0;

beforeAll(() => {
  dir = tempDir("paddock-results-sqlite-");
});

afterAll(() => {
  dir.remove();
});

describeStoreContract("SQLite", async () =>
  openSqliteStore(join(dir.path, `contract-${++opened}`, "results.sqlite")),
);

describe("SQLite store specifics", () => {
  it("creates its folder, uses WAL and records the schema version", async () => {
    const file = join(dir.path, "fresh", "nested", "results.sqlite");
    const store = openSqliteStore(file);
    await store.close();
    const db = new DatabaseSync(file);
    expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: MIGRATIONS.length });
    db.close();
  });

  it("keeps everything across a reopen", async () => {
    const file = join(dir.path, "reopen", "results.sqlite");
    const first = openSqliteStore(file);
    await first.write(async (tx) => {
      await tx.insertTask(sampleTask("t1"));
      await tx.insertWorkload(sampleWorkload("w1", "t1"));
      await tx.appendIterations({ taskId: "t1", workloadId: "w1", runnerId: "r" }, [makeIteration(0, 100)]);
      await tx.markApplied("e1", "t1", "2026-11-23T10:00:00.000Z");
    });
    await first.close();
    const second = openSqliteStore(file);
    expect(await second.getTask("t1")).toEqual(sampleTask("t1"));
    expect(await second.readIterations("w1", 0, 10)).toEqual([makeIteration(0, 100)]);
    expect(await second.write(async (tx) => tx.isApplied("e1"))).toBe(true);
    await second.close();
  });

  it("stores iterations in chunks of at most 1000 and compacts them into full, ordered chunks", async () => {
    const file = join(dir.path, "chunks", "results.sqlite");
    const store = openSqliteStore(file);
    const target = { taskId: "t1", workloadId: "w1", runnerId: "r" };
    await store.write(async (tx) => {
      await tx.insertTask(sampleTask("t1"));
      await tx.insertWorkload(sampleWorkload("w1", "t1"));
      // Small out-of-order batches, as a slow concurrent workload produces them.
      for (let batch = 0; batch < 250; batch += 1) {
        const seqs = [batch * 10 + 1, batch * 10, ...Array.from({ length: 8 }, (_, i) => batch * 10 + 2 + i)];
        await tx.appendIterations(
          target,
          seqs.map((seq) => makeIteration(seq, 100)),
        );
      }
      await tx.appendIterations(
        target,
        Array.from({ length: 2500 }, (_, i) => makeIteration(2500 + i, 100)),
      );
    });
    const chunks = () => {
      const db = new DatabaseSync(file, { readOnly: true });
      const rows = db
        .prepare(
          "SELECT first_seq, last_seq, record_count FROM iteration_chunks WHERE workload_id = 'w1' ORDER BY first_seq",
        )
        .all() as { first_seq: number; last_seq: number; record_count: number }[];
      db.close();
      return rows;
    };
    const before = chunks();
    expect(before).toHaveLength(250 + 3);
    expect(Math.max(...before.map((c) => c.record_count))).toBe(ITERATION_CHUNK_SIZE);

    await store.write(async (tx) => tx.compactIterations("w1"));
    expect(chunks()).toEqual([
      { first_seq: 0, last_seq: 999, record_count: 1000 },
      { first_seq: 1000, last_seq: 1999, record_count: 1000 },
      { first_seq: 2000, last_seq: 2999, record_count: 1000 },
      { first_seq: 3000, last_seq: 3999, record_count: 1000 },
      { first_seq: 4000, last_seq: 4999, record_count: 1000 },
    ]);
    const all = await store.readIterations("w1", 0, 10_000);
    expect(all.map((record) => record.seq)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    await store.close();
  });

  it("compacts a scheduled workload after the commit, and after a restart when it was left pending", async () => {
    const file = join(dir.path, "scheduled", "results.sqlite");
    const target = { taskId: "t1", workloadId: "w1", runnerId: "r" };
    const chunkCount = () => {
      const db = new DatabaseSync(file, { readOnly: true });
      const rows = db.prepare("SELECT first_seq FROM iteration_chunks WHERE workload_id = 'w1'").all();
      const pending = db.prepare("SELECT workload_id FROM pending_compactions").all();
      db.close();
      return { chunks: rows.length, pending: pending.length };
    };
    const fill = async (store: ReturnType<typeof openSqliteStore>, from: number) => {
      await store.write(async (tx) => {
        for (let batch = from; batch < from + 150; batch += 1) {
          const seqs = [batch * 10 + 9, ...Array.from({ length: 9 }, (_, i) => batch * 10 + i)];
          await tx.appendIterations(
            target,
            seqs.map((seq) => makeIteration(seq, 100)),
          );
        }
      });
    };
    const first = openSqliteStore(file);
    await first.write(async (tx) => {
      await tx.insertTask(sampleTask("t1"));
      await tx.insertWorkload(sampleWorkload("w1", "t1"));
    });
    await fill(first, 0);
    expect(chunkCount()).toEqual({ chunks: 150, pending: 0 });
    await first.write(async (tx) => tx.scheduleCompaction("w1"));
    await eventually(() => chunkCount().pending === 0, 10_000, "the compaction to finish");
    expect(chunkCount()).toEqual({ chunks: 2, pending: 0 });
    await fill(first, 150);
    await first.close();

    const db = new DatabaseSync(file);
    db.prepare("INSERT INTO pending_compactions (workload_id) VALUES ('w1')").run();
    db.close();
    expect(chunkCount()).toEqual({ chunks: 152, pending: 1 });
    const second = openSqliteStore(file);
    await eventually(() => chunkCount().pending === 0, 10_000, "the compaction to finish");
    expect(chunkCount()).toEqual({ chunks: 3, pending: 0 });
    const all = await second.readIterations("w1", 0, 10_000);
    expect(all.map((record) => record.seq)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    await second.close();
  });

  it("compacts in steps: other writes run between them, and every step leaves the workload whole", async () => {
    const file = join(dir.path, "steps", "results.sqlite");
    const store = openSqliteStore(file);
    const target = { taskId: "t1", workloadId: "w1", runnerId: "r" };
    const batches = COMPACTION_STEP_CHUNKS * 4;
    await store.write(async (tx) => {
      await tx.insertTask(sampleTask("t1"));
      await tx.insertWorkload(sampleWorkload("w1", "t1"));
      // Batches of 10 overlapping their neighbours (one late iteration each): nothing is compact.
      for (let batch = 0; batch < batches; batch += 1) {
        const seqs = [batch * 10 + 9, ...Array.from({ length: 9 }, (_, i) => batch * 10 + i)];
        await tx.appendIterations(
          target,
          seqs.map((seq) => makeIteration(seq, 100)),
        );
      }
      await tx.scheduleCompaction("w1");
    });
    const expected = Array.from({ length: batches * 10 }, (_, i) => i);
    const seen: { pending: boolean; whole: boolean }[] = [];
    // Each of these writes is queued behind one step of the compaction, not behind all of it.
    for (let round = 0; round < 10; round += 1) {
      const observed = await store.write(async (tx) => {
        await tx.markApplied(`probe-${round}`, "t1", "2026-01-01T00:00:00Z");
        return undefined;
      });
      expect(observed).toBeUndefined();
      const db = new DatabaseSync(file, { readOnly: true });
      const pending = db.prepare("SELECT 1 FROM pending_compactions").all().length > 0;
      db.close();
      const all = await store.readIterations("w1", 0, 10_000);
      seen.push({ pending, whole: JSON.stringify(all.map((r) => r.seq)) === JSON.stringify(expected) });
    }
    expect(seen.every((step) => step.whole)).toBe(true);
    expect(seen.filter((step) => step.pending).length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)?.pending).toBe(false);
    const db = new DatabaseSync(file, { readOnly: true });
    const counts = db
      .prepare("SELECT record_count FROM iteration_chunks WHERE workload_id = 'w1' ORDER BY first_seq")
      .all()
      .map((row) => Number(row.record_count));
    db.close();
    expect(counts).toEqual([1000, 280]);
    await store.close();
  });

  it("reads, digests and compacts chunks written before digests and one-record-per-line text", async () => {
    const file = join(dir.path, "legacy", "results.sqlite");
    const target = { taskId: "t1", workloadId: "w1", runnerId: "r" };
    const records = Array.from({ length: 1500 }, (_, i) => makeIteration(i, 100));
    const store = openSqliteStore(file);
    await store.write(async (tx) => {
      await tx.insertTask(sampleTask("t1"));
      await tx.insertWorkload(sampleWorkload("w1", "t1"));
      for (let start = 0; start < 1500; start += 100) {
        await tx.appendIterations(target, records.slice(start, start + 100).reverse());
      }
    });
    await store.close();
    const db = new DatabaseSync(file);
    const rows = db.prepare("SELECT first_seq, records FROM iteration_chunks").all() as {
      first_seq: number;
      records: string;
    }[];
    expect(rows.every((row) => row.records.startsWith("[\n"))).toBe(true);
    for (const [i, row] of rows.entries()) {
      const stored = JSON.parse(row.records) as IterationRecord[];
      if (i % 2 === 0) {
        // Before digests: one line of JSON, no digest.
        db.prepare(
          "UPDATE iteration_chunks SET records = ?, digest = NULL, digest_shapes = NULL, line_format = 0 WHERE first_seq = ?",
        ).run(JSON.stringify(stored), row.first_seq);
      } else {
        // Before Rally-first lines: one plain JSON record per line, in an imported record's key
        // order (`duration` first, integers without `.0`), digest kept.
        const lines = stored.map(({ seq, duration, ...rest }) => JSON.stringify({ duration, ...rest, seq }));
        db.prepare("UPDATE iteration_chunks SET records = ?, line_format = 0 WHERE first_seq = ?").run(
          `[\n${lines.join(",\n")}\n]`,
          row.first_seq,
        );
      }
    }
    db.close();
    const reopened = openSqliteStore(file);
    const expected = computeWorkloadFigures(records);
    const rally = records.map((record) => ({
      seq: record.seq,
      timestamp: record.timestamp,
      json: rallyIterationJson(record),
    }));
    expect(await reopened.write(async (tx) => tx.workloadFigures("w1"))).toEqual(expected);
    const readRally = async () =>
      (await reopened.readRallyIterationsAfter("w1", -1, 10_000)).map((text) => ({
        ...text,
        json: Buffer.from(text.json).toString("utf8"),
      }));
    expect(await readRally()).toEqual(rally);
    await reopened.write(async (tx) => tx.compactIterations("w1"));
    expect(await reopened.write(async (tx) => tx.workloadFigures("w1"))).toEqual(expected);
    expect(await reopened.readIterations("w1", 0, 10_000)).toEqual(records);
    expect(await readRally()).toEqual(rally);
    await reopened.close();
    // Compaction wrote every record again Rally-first.
    const compacted = new DatabaseSync(file);
    const formats = compacted.prepare("SELECT line_format, records FROM iteration_chunks").all() as {
      line_format: number;
      records: string;
    }[];
    compacted.close();
    expect(formats.map((row) => row.line_format)).toEqual([1, 1]);
    expect(formats.every((row) => row.records.startsWith('[\n{"duration":'))).toBe(true);
  });

  it("refuses a file written by a newer schema, naming the file and the fix", async () => {
    const file = join(dir.path, "newer", "results.sqlite");
    await openSqliteStore(file).close();
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} has schema version ${MIGRATIONS.length + 1}.*PADDOCK_DATA_DIR`,
      ),
    );
  });

  it("names the path when the file cannot be opened", () => {
    const notAFolder = join(dir.path, "plain-file");
    writeFileSync(notAFolder, "x");
    expect(() => openSqliteStore(join(notAFolder, "results.sqlite"))).toThrow(
      /Cannot open the results store .*plain-file\/results\.sqlite: EEXIST/,
    );
  });
});
