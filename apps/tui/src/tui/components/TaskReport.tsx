/**
 * A finished task's report, one workload at a time (←/→ switch): the header, Rally's table,
 * load and full duration, iterations, failures and the SLA verdicts. Fits 80×24.
 */
import type { TaskDetail, WorkloadView } from "@paddock/shared/api";
import { Box, Text } from "ink";
import { formatDuration, formatSeconds, formatTime, truncate } from "../../format/numbers.js";
import { summaryRows } from "../../format/summary-table.js";
import { verdictOf, workloadNumber } from "../../format/task-report.js";
import { SummaryTable } from "./SummaryTable.js";
import { statusColor } from "./status-colors.js";

export interface TaskReportProps {
  readonly detail: TaskDetail;
  /** Index into the workloads in task order (clamped). */
  readonly workloadIndex: number;
  readonly width: number;
  readonly height: number;
}

export function orderedWorkloads(detail: TaskDetail): WorkloadView[] {
  return [...detail.workloads].sort((a, b) => a.subtaskIndex - b.subtaskIndex || a.position - b.position);
}

export function TaskReport({ detail, workloadIndex, width, height }: TaskReportProps) {
  const workloads = orderedWorkloads(detail);
  const index = Math.max(0, Math.min(workloads.length - 1, workloadIndex));
  const workload = workloads[index];
  const header = `Task ${detail.id} — ${detail.title || "untitled"}`;
  const meta = `${detail.environment} · ${detail.tags.length > 0 ? detail.tags.join(",") : "no tags"} · ${formatTime(detail.createdAt)} · ${formatDuration(detail.duration)}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold>{truncate(header, width - 24)}</Text>{" "}
        <Text color={statusColor(detail.status, detail.passSla)} bold>
          {verdictOf(detail)}
        </Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        {meta}
      </Text>
      {detail.reason ? (
        <Text color="yellow" wrap="truncate-end">
          {detail.reason}
        </Text>
      ) : null}
      {workload === undefined ? (
        <Text>No workload ran.</Text>
      ) : (
        <WorkloadSection
          workload={workload}
          position={index}
          count={workloads.length}
          width={width}
          height={height - (detail.reason ? 4 : 3)}
        />
      )}
    </Box>
  );
}

function WorkloadSection({
  workload,
  position,
  count,
  width,
  height,
}: {
  workload: WorkloadView;
  position: number;
  count: number;
  width: number;
  height: number;
}) {
  const sla = workload.slaResults;
  // Lines: margin, workload title, the table (title + header + rows), durations, SLA verdicts.
  const available = height - 3;
  const rowCount = workload.statistics ? summaryRows(workload.statistics).length : 0;
  const tableLines = workload.statistics
    ? Math.min(rowCount + 2, Math.max(4, available - Math.min(sla.length, 2)))
    : 1;
  const slaRoom = Math.max(0, available - tableLines);
  const slaRows = sla.length <= slaRoom ? sla.length : Math.max(0, slaRoom - 1);
  const tableRows = Math.max(1, tableLines - 2);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          Workload {workloadNumber(workload)}
        </Text>{" "}
        ({position + 1} of {count}
        {count > 1 ? ", ←/→" : ""}) <Text bold>{workload.spec.scenario}</Text> — {workload.subtaskTitle}
      </Text>
      {workload.statistics === null ? (
        <Text dimColor>Statistics are not stored yet.</Text>
      ) : (
        <SummaryTable statistics={workload.statistics} width={width} maxRows={tableRows} />
      )}
      <Text wrap="truncate-end">
        Load {formatSeconds(workload.loadDuration)} · Full {formatSeconds(workload.fullDuration)} · Iterations{" "}
        {workload.totalIterationCount} · Failures{" "}
        <Text color={workload.failedIterationCount > 0 ? "red" : undefined}>
          {workload.failedIterationCount}
        </Text>
      </Text>
      {sla.slice(0, slaRows).map((result) => (
        <Text key={result.criterion} wrap="truncate-end">
          <Text color={result.success ? "green" : "red"} bold>
            {result.success ? "PASS" : "FAIL"}
          </Text>{" "}
          {result.criterion}: {result.detail.replace(/\s*\n\s*/g, " ")}
        </Text>
      ))}
      {sla.length > slaRows ? <Text dimColor>… {sla.length - slaRows} more SLA criteria</Text> : null}
    </Box>
  );
}
