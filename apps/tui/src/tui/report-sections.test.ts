import type { IterationRecord } from "@paddock/shared/events";
import { loadRenderedTask } from "@paddock/tasks";
import { describe, expect, it } from "vitest";
import { rallyDemoDetail } from "../../test/fixtures/index.js";
import { rallyIterations } from "../../test/fixtures/reports.js";
import { columnChart } from "./components/charts.js";
import { parseCommand, suggest } from "./palette-commands.js";
import { durationSeries, failureLines, hookLines, loadProfile, taskLines } from "./report-sections.js";
import { yamlLines } from "./yaml-text.js";

const iteration = (seq: number, timestamp: number, duration: number): IterationRecord => ({
  seq,
  timestamp,
  duration,
  idle_duration: 0,
  error: [],
  output: { additive: [], complete: [] },
  atomic_actions: [],
});

describe("loadProfile", () => {
  it("is the average number of iterations in flight per slice of the load", () => {
    // Two overlapping iterations over [0, 2): one on [0, 2), one on [1, 2).
    const profile = loadProfile([iteration(0, 100, 2), iteration(1, 101, 1)], 4);
    expect(profile).toEqual([1, 1, 2, 2]);
  });

  it("peaks at the runner's concurrency for Rally's constant runner with 4 at a time", () => {
    const detail = rallyDemoDetail();
    const profile = loadProfile(rallyIterations(detail.workloads[0]?.id ?? ""), 40);
    expect(Math.max(...profile)).toBeGreaterThan(3.5);
    expect(Math.max(...profile)).toBeLessThanOrEqual(4.0001);
  });
});

describe("durationSeries", () => {
  it("keeps the longest duration of each bucket, in start order", () => {
    const series = durationSeries(
      [3, 1, 4, 1, 5, 9].map((value, seq) => iteration(seq, seq, value)),
      3,
    );
    expect(series).toEqual([3, 4, 9]);
  });
});

describe("columnChart", () => {
  it("draws columns bottom up with eighth-row tops", () => {
    expect(columnChart([0, 1, 2], 2)).toEqual(["  █", " ██"]);
    expect(columnChart([1, 0.5], 1)).toEqual(["█▄"]);
  });
});

describe("failureLines", () => {
  it("counts failures by type and shows each one's traceback", () => {
    const detail = rallyDemoDetail();
    const workload = detail.workloads[2];
    if (workload === undefined) throw new Error("fixture changed");
    const iterations = rallyIterations(workload.id);
    const text = failureLines(workload, { iterations, total: iterations.length }).map((line) => line.text);
    expect(text[0]).toBe("8 of 20 iterations failed");
    expect(text).toContain("  8 × KeyError");
    expect(text.filter((line) => line === "  Traceback (most recent call last):")).toHaveLength(8);
  });
});

describe("hookLines", () => {
  it("lists each configured hook with its runs", () => {
    const workload = rallyDemoDetail().workloads[0];
    if (workload === undefined) throw new Error("fixture changed");
    const text = hookLines(workload).map((line) => line.text);
    expect(text[0]).toMatch(/^Hook 1: sys_call on event \{"unit":"iteration","at":\[5,10\]\} — \d run\(s\)$/);
    expect(text.some((line) => line.includes("StdOut: hook-ran"))).toBe(true);
  });
});

describe("yamlLines and taskLines", () => {
  it("quotes only the scalars YAML would read as something else", () => {
    const value = { a: "yes", b: [1, { c: "x: y", d: [] }], e: {}, f: null, g: "plain text", h: "7" };
    expect(yamlLines(value)).toEqual([
      'a: "yes"',
      "b:",
      "  - 1",
      '  - c: "x: y"',
      "    d: []",
      "e: {}",
      "f: null",
      "g: plain text",
      'h: "7"',
    ]);
  });

  it("shows the task as a Rally v2 document the task loader accepts", () => {
    const detail = rallyDemoDetail();
    const text = taskLines(detail)
      .map((line) => line.text)
      .join("\n");
    expect(text.startsWith("version: 2\n")).toBe(true);
    expect(loadRenderedTask(text).task).toEqual(detail.task);
  });
});

describe(":compare in the palette", () => {
  it("needs two or more task ids and completes the last one", () => {
    expect(parseCommand(":compare a b")).toEqual({ ok: true, name: "compare", argument: "a b" });
    expect(parseCommand(":compare a")).toEqual({ ok: false, message: ":compare needs two or more task ids" });
    const tasks = [
      { id: "aaaa-1", title: "first" },
      { id: "bbbb-2", title: "second" },
    ];
    expect(suggest("compare aaaa-1 bb", { scenarios: [], tasks })).toEqual([
      { line: "compare aaaa-1 bbbb-2", hint: "second" },
    ]);
  });
});
