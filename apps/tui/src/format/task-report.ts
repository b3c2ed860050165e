/**
 * The CLI's text report of a task: a header, then per workload Rally's response-time table,
 * load and full duration, iteration count, failures and the SLA verdicts.
 */
import type { TaskDetail, WorkloadView } from "@paddock/shared/api";
import { formatDuration, formatSeconds, formatTime } from "./numbers.js";
import { SUMMARY_COLUMNS, SUMMARY_TITLE, summaryRows } from "./summary-table.js";
import { renderBorderedTable } from "./text-table.js";

const RULE = "-".repeat(80);

/** `finished, SLA passed`, `finished, SLA failed`, `aborted`, ... */
export function verdictOf(detail: Pick<TaskDetail, "status" | "passSla">): string {
  if (detail.status === "finished") return `finished, SLA ${detail.passSla ? "passed" : "failed"}`;
  return detail.status.replace(/_/g, " ");
}

/** `1.2` — subtask and workload numbers, 1-based, as the reports show them. */
export function workloadNumber(workload: Pick<WorkloadView, "subtaskIndex" | "position">): string {
  return `${workload.subtaskIndex + 1}.${workload.position + 1}`;
}

function compactJson(value: unknown): string {
  return JSON.stringify(value ?? {});
}

/** The SLA lines of one workload: `  PASS failure_rate  Failure rate criteria ... - Passed`. */
export function slaLines(workload: Pick<WorkloadView, "slaResults">): string[] {
  if (workload.slaResults.length === 0) return ["SLA: no criteria"];
  const width = Math.max(...workload.slaResults.map((result) => result.criterion.length));
  return [
    "SLA:",
    ...workload.slaResults.flatMap((result) => {
      const [first = "", ...rest] = result.detail.split("\n");
      const lead = `  ${result.success ? "PASS" : "FAIL"}  ${result.criterion.padEnd(width)}  `;
      return [`${lead}${first}`, ...rest.map((line) => `${" ".repeat(lead.length)}${line}`)];
    }),
  ];
}

export function workloadReport(workload: WorkloadView): string[] {
  const { spec } = workload;
  const lines = [
    `Workload ${workloadNumber(workload)}: ${spec.scenario} — ${workload.subtaskTitle}`,
    `  args: ${compactJson(spec.args)}`,
    `  runner: ${spec.runner.type} ${compactJson(spec.runner.config)}`,
    "",
  ];
  if (workload.statistics === null) {
    lines.push("(no statistics: the workload has not finished or its iterations are not all stored yet)");
  } else {
    const rows = summaryRows(workload.statistics);
    lines.push(
      ...renderBorderedTable({
        title: SUMMARY_TITLE,
        headers: SUMMARY_COLUMNS.map((column) => column.title),
        rows: rows.map((row) => [row.label, ...row.cells]),
        align: SUMMARY_COLUMNS.map((column) => column.align),
      }),
    );
  }
  lines.push(
    "",
    `Load duration: ${formatSeconds(workload.loadDuration)}`,
    `Full duration: ${formatSeconds(workload.fullDuration)}`,
    `Iterations: ${workload.totalIterationCount}`,
    `Failures: ${workload.failedIterationCount}`,
    ...slaLines(workload),
  );
  return lines;
}

/** The whole report: header, then each workload in task order. */
export function taskReport(detail: TaskDetail): string[] {
  const lines = [RULE, `Task ${detail.id}: ${verdictOf(detail)}`];
  if (detail.title) lines.push(`Title: ${detail.title}`);
  lines.push(
    `Environment: ${detail.environment}   Tags: ${detail.tags.length > 0 ? detail.tags.join(", ") : "—"}`,
    `Started: ${formatTime(detail.createdAt)}   Duration: ${formatDuration(detail.duration)}`,
  );
  if (detail.reason) lines.push(`Reason: ${detail.reason}`);
  lines.push(RULE);
  const workloads = [...detail.workloads].sort(
    (a, b) => a.subtaskIndex - b.subtaskIndex || a.position - b.position,
  );
  if (workloads.length === 0) lines.push("", "No workload ran.");
  for (const workload of workloads) lines.push("", ...workloadReport(workload));
  lines.push("", RULE);
  return lines;
}
