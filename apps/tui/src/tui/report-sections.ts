/**
 * The report's sections besides Rally's tables, as plain lines a section view scrolls through:
 * load profile and duration charts from a workload's iterations, failures with tracebacks, SLA
 * detail, hook results and the exact task that ran (YAML).
 */
import type { TaskDetail, WorkloadView } from "@paddock/shared/api";
import type { IterationRecord } from "@paddock/shared/events";
import { taskSpecDocument } from "@paddock/tasks";
import { formatLatency, formatSeconds } from "../format/numbers.js";
import { bucketOf, columnChart } from "./components/charts.js";
import { yamlLines } from "./yaml-text.js";

export type ReportSection = "tables" | "charts" | "failures" | "sla" | "hooks" | "task";

export const REPORT_SECTIONS: readonly { readonly id: ReportSection; readonly title: string }[] = [
  { id: "tables", title: "Tables" },
  { id: "charts", title: "Charts" },
  { id: "failures", title: "Failures" },
  { id: "sla", title: "SLA" },
  { id: "hooks", title: "Hooks" },
  { id: "task", title: "Task" },
];

/** One line of a section; `tone` colours it. */
export interface SectionLine {
  readonly text: string;
  readonly tone?: "title" | "good" | "bad" | "dim";
}

/** Iterations a section was drawn from: all stored ones, or an even sample of them. */
export interface IterationSample {
  readonly iterations: readonly IterationRecord[];
  /** Iterations stored for the workload. */
  readonly total: number;
}

/**
 * Load profile: the average number of iterations in flight in each of `width` slices of the load
 * (Rally's "Load Profile"), from the first start to the last end.
 */
export function loadProfile(iterations: readonly IterationRecord[], width: number): number[] {
  if (iterations.length === 0 || width <= 0) return [];
  const start = Math.min(...iterations.map((item) => item.timestamp));
  const end = Math.max(...iterations.map((item) => item.timestamp + item.duration + item.idle_duration));
  const span = Math.max(end - start, 1e-9);
  const slice = span / width;
  const busy = new Array<number>(width).fill(0);
  for (const item of iterations) {
    const from = item.timestamp - start;
    const to = from + item.duration + item.idle_duration;
    for (let index = Math.floor(from / slice); index < width && index * slice < to; index += 1) {
      const overlap = Math.min(to, (index + 1) * slice) - Math.max(from, index * slice);
      if (overlap > 0) busy[index] = (busy[index] ?? 0) + overlap;
    }
  }
  return busy.map((seconds) => seconds / slice);
}

/** Iteration durations in start order, the longest of each of `width` buckets. */
export function durationSeries(iterations: readonly IterationRecord[], width: number): number[] {
  if (iterations.length === 0 || width <= 0) return [];
  const columns = Math.min(width, iterations.length);
  const series = new Array<number>(columns).fill(0);
  const ordered = [...iterations].sort((a, b) => a.seq - b.seq);
  ordered.forEach((item, index) => {
    const bucket = bucketOf(index, ordered.length, columns);
    series[bucket] = Math.max(series[bucket] ?? 0, item.duration);
  });
  return series;
}

function chartBlock(
  title: string,
  values: number[],
  height: number,
  unit: (value: number) => string,
): SectionLine[] {
  const max = Math.max(0, ...values);
  const rows = columnChart(values, height, max);
  return [
    { text: `${title} (max ${unit(max)})`, tone: "title" },
    ...rows.map((row, index) => ({ text: `${index === 0 ? "┤" : "│"}${row}` })),
    { text: `└${"─".repeat(values.length)}` },
  ];
}

export function chartLines(sample: IterationSample, width: number, chartHeight: number): SectionLine[] {
  if (sample.iterations.length === 0)
    return [{ text: "No iterations stored for this workload.", tone: "dim" }];
  const columns = Math.max(10, width - 2);
  const note =
    sample.iterations.length < sample.total
      ? `An even sample of ${sample.iterations.length} of ${sample.total} iterations.`
      : `${sample.total} iterations.`;
  return [
    ...chartBlock(
      "Load profile: iterations in flight over time",
      loadProfile(sample.iterations, columns),
      chartHeight,
      (value) => value.toFixed(1),
    ),
    { text: "" },
    ...chartBlock(
      "Duration of each iteration, in start order",
      durationSeries(sample.iterations, columns),
      chartHeight,
      formatLatency,
    ),
    { text: note, tone: "dim" },
  ];
}

export function failureLines(workload: WorkloadView, sample: IterationSample): SectionLine[] {
  if (workload.failedIterationCount === 0) return [{ text: "No iteration failed.", tone: "good" }];
  const failed = sample.iterations.filter((item) => item.error.length === 3);
  const byType = new Map<string, number>();
  for (const item of failed)
    byType.set(item.error[0] as string, (byType.get(item.error[0] as string) ?? 0) + 1);
  const lines: SectionLine[] = [
    {
      text: `${workload.failedIterationCount} of ${workload.totalIterationCount} iterations failed`,
      tone: "bad",
    },
    ...[...byType].map(([type, count]) => ({ text: `  ${count} × ${type}` })),
  ];
  if (failed.length < workload.failedIterationCount) {
    lines.push({
      text: `Tracebacks of the ${failed.length} failures among the iterations read.`,
      tone: "dim",
    });
  }
  for (const item of failed) {
    const [type, message, traceback] = item.error as [string, string, string];
    lines.push({ text: "" }, { text: `Iteration ${item.seq + 1}: ${type}: ${message}`, tone: "bad" });
    for (const line of traceback.replace(/\n$/, "").split("\n"))
      lines.push({ text: `  ${line}`, tone: "dim" });
  }
  return lines;
}

export function slaSectionLines(workload: WorkloadView): SectionLine[] {
  if (workload.slaResults.length === 0) return [{ text: "No SLA criteria were set.", tone: "dim" }];
  return [
    { text: `SLA ${workload.passSla ? "passed" : "failed"}`, tone: workload.passSla ? "good" : "bad" },
    ...workload.slaResults.flatMap((result) => [
      {
        text: `${result.success ? "PASS" : "FAIL"} ${result.criterion}`,
        tone: result.success ? "good" : "bad",
      } as const,
      ...result.detail.split("\n").map((line) => ({ text: `  ${line.trim()}` })),
      {
        text: `  configured: ${JSON.stringify((workload.spec.sla as Record<string, unknown>)[result.criterion] ?? null)}`,
        tone: "dim",
      } as const,
    ]),
  ];
}

export function hookLines(workload: WorkloadView): SectionLine[] {
  if (workload.spec.hooks.length === 0 && workload.hookResults.length === 0)
    return [{ text: "No hooks were configured.", tone: "dim" }];
  const lines: SectionLine[] = [];
  workload.spec.hooks.forEach((hook, index) => {
    const results = workload.hookResults.filter((entry) => entry.hookIndex === index);
    lines.push({
      text: `Hook ${index + 1}: ${hook.action.name} on ${hook.trigger.name} ${JSON.stringify(hook.trigger.args)} — ${results.length} run(s)`,
      tone: "title",
    });
    for (const { result } of results) {
      const took = formatSeconds(result.finished_at - result.started_at);
      lines.push({
        text: `  ${result.status.padEnd(17)} at ${result.triggered_by.event_type} ${result.triggered_by.value}, took ${took}`,
        tone: result.status === "success" ? "good" : "bad",
      });
      if (result.error !== undefined)
        lines.push({ text: `    ${JSON.stringify(result.error)}`, tone: "bad" });
      for (const item of [...(result.output?.additive ?? []), ...(result.output?.complete ?? [])])
        lines.push({ text: `    ${JSON.stringify(item)}`, tone: "dim" });
    }
  });
  return lines;
}

export function taskLines(detail: TaskDetail): SectionLine[] {
  return yamlLines(taskSpecDocument(detail.task)).map((text) => ({ text }));
}
