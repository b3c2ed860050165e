import { HistogramBuilder } from "@paddock/shared/histogram";
import { describe, expect, it } from "vitest";
import { distributedRpsEvents } from "../../test/fixtures/live.js";
import { applyEvent, initialLiveTask, type LiveWorkload } from "../live/live-task-state.js";
import { glanceLine, histogramRows, liveSectionLines, liveSections, stepSection } from "./live-sections.js";

const text = (lines: { segments: readonly { text: string }[] }[]) =>
  lines.map((line) => line.segments.map((segment) => segment.text).join(""));

function midRun(seconds = 3): LiveWorkload {
  const state = distributedRpsEvents("t", seconds).reduce(applyEvent, initialLiveTask("t"));
  return state.workloads[0] as LiveWorkload;
}

describe("histogramRows", () => {
  it("groups adjacent buckets into at most the rows given, counting every value once", () => {
    const builder = new HistogramBuilder();
    for (const value of [0.001, 0.001, 0.0011, 0.002, 0.004, 0.008]) builder.add(value);
    const histogram = builder.build();
    const rows = histogramRows(histogram, 4);
    expect(rows.length).toBeLessThanOrEqual(4);
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(6);
    expect(rows[0]?.low).toBeCloseTo(0.000992, 6);
    expect(rows.at(-1)?.high).toBeGreaterThan(0.008);
    for (const [index, row] of rows.entries()) {
      if (index > 0) expect(row.low).toBeCloseTo(rows[index - 1]?.high as number, 9);
    }
    expect(histogramRows(histogram, 100)).toHaveLength(
      (histogram.buckets.at(-1)?.[0] as number) - (histogram.buckets[0]?.[0] as number) + 1,
    );
    expect(histogramRows({ scheme: "log2x16-us", buckets: [] }, 4)).toEqual([]);
  });
});

describe("the live sections", () => {
  it("appear once the runner reports their data, and ]/[ cycle through them", () => {
    const workload = midRun();
    expect(liveSections(workload)).toEqual(["latency", "histogram", "atomics", "sla", "runners", "events"]);
    const bare = { ...workload, histogram: null, atomics: [], shares: [] };
    expect(liveSections(bare)).toEqual(["latency", "sla", "events"]);
    expect(stepSection(bare, "sla", 1)).toBe("events");
    expect(stepSection(bare, "events", 1)).toBe("latency");
    expect(stepSection(bare, "latency", -1)).toBe("events");
    expect(stepSection(bare, "histogram", 1)).toBe("sla");
  });

  it("draw the histogram, the atomic actions, the runners with the lost one, and the schedule lag", () => {
    const workload = midRun();
    const histogram = text(liveSectionLines(workload, "histogram", 80, 8));
    expect(histogram[0]).toMatch(/^6,000 iterations since the start · p50 [\d.]+ ms · p99 [\d.]+ ms$/);
    expect(histogram).toHaveLength(8);
    const counts = histogram
      .slice(1)
      .map((line) => Number(line.trim().split(/\s+/).at(-1)?.replace(/,/g, "")));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(6000);

    const atomics = text(liveSectionLines(workload, "atomics", 80, 8));
    expect(atomics[0]).toMatch(/^action\s+count\s+failed\s+p50\s+p95\s+max$/);
    expect(atomics[1]).toMatch(/^dummy_fail_test\s+6,000\s+114\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+ ms$/);

    const runners = text(liveSectionLines(workload, "runners", 80, 8));
    expect(runners[3]).toMatch(/^runner-c\s+✗ LOST\s+800\s+15\s+0\s+0\.0\/s$/);
    expect(runners[1]).toMatch(/^runner-a\s+● running\s+2,400\s+46\s+3\s+800\/s$/);

    const latency = text(liveSectionLines(workload, "latency", 80, 8));
    expect(latency[1]).toBe("lag p50 0.12 ms · p99 3.10 ms · max 9.40 ms · 123 started late");

    expect(text([glanceLine(workload)])[0]).toBe(
      "✗ runner runner-c LOST  SLA ● failure_rate ● max_avg_duration  · lag p99 3.10 ms",
    );
    expect(text([glanceLine(midRun(1))])[0]).toBe(
      "SLA ● failure_rate ● max_avg_duration  · 3 runners  · lag p99 3.10 ms",
    );
  });
});
