import type { IterationRecord } from "@paddock/shared/events";
import { describe, expect, it } from "vitest";
import { estimateBytes, IterationBatcher } from "./iteration-batcher.js";

const record = (seq: number, output = false): IterationRecord => ({
  seq,
  timestamp: 1,
  duration: 0,
  idle_duration: 0,
  error: [],
  output: output
    ? { additive: [], complete: [{ title: "x".repeat(5000), chart_plugin: "TextArea", data: [] }] }
    : { additive: [], complete: [] },
  atomic_actions: [
    {
      name: "foo",
      children: [{ name: "bar", children: [], started_at: 1, finished_at: 2 }],
      started_at: 1,
      finished_at: 2,
    },
  ],
});

describe("IterationBatcher", () => {
  it("emits a batch as soon as it holds maxRecords", () => {
    const batches: number[][] = [];
    const batcher = new IterationBatcher((records) => batches.push(records.map((r) => r.seq)), {
      maxRecords: 3,
    });
    for (let seq = 0; seq < 7; seq += 1) batcher.push(record(seq));
    expect(batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    batcher.flush();
    expect(batches[2]).toEqual([6]);
  });

  it("emits what it holds after maxDelayMs", async () => {
    const batches: number[][] = [];
    const batcher = new IterationBatcher((records) => batches.push(records.map((r) => r.seq)), {
      maxDelayMs: 20,
    });
    batcher.push(record(0));
    batcher.push(record(1));
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(batches).toEqual([[0, 1]]);
  });

  it("keeps batches of large records under maxBytes", () => {
    const batches: number[][] = [];
    const batcher = new IterationBatcher((records) => batches.push(records.map((r) => r.seq)), {
      maxBytes: 16_000,
    });
    for (let seq = 0; seq < 10; seq += 1) batcher.push(record(seq, true));
    batcher.flush();
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.length).toBeGreaterThan(2);
    expect(estimateBytes(record(0, true))).toBeGreaterThan(JSON.stringify(record(0, true)).length);
  });
});
