/**
 * One workload while it runs: a progress bar (completed/expected), then iterations/s, errors,
 * p50/p95/p99 and elapsed time. Two lines.
 */
import { Box, Text } from "ink";
import { formatCount, formatLatency, formatRate, truncate } from "../../format/numbers.js";
import { workloadLabel } from "../../live/event-lines.js";
import type { LiveWorkload } from "../../live/live-task-state.js";
import { ProgressBar } from "./ProgressBar.js";

export interface WorkloadProgressProps {
  readonly workload: LiveWorkload;
  readonly width: number;
}

export function WorkloadProgress({ workload, width }: WorkloadProgressProps) {
  const count = formatCount(workload.completed, workload.expected);
  const name = `${workloadLabel(workload)} ${workload.scenario || "…"}${workload.runner ? ` (${workload.runner})` : ""}`;
  const nameWidth = Math.min(34, Math.max(12, Math.floor(width * 0.4)));
  const barWidth = Math.max(5, width - nameWidth - count.length - 3);
  const finished = workload.status === "finished";
  const barColor = finished ? (workload.passSla === false ? "red" : "green") : "cyan";
  const latency = workload.latency;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold>{truncate(name, nameWidth).padEnd(nameWidth)}</Text>{" "}
        <ProgressBar
          completed={workload.completed}
          expected={finished && workload.expected === null ? workload.completed : workload.expected}
          width={barWidth}
          color={barColor}
        />{" "}
        {count}
      </Text>
      <Text wrap="truncate-end">
        {"  "}
        {finished ? (
          <Text color={workload.passSla === false ? "red" : "green"} bold>
            SLA {workload.passSla === false ? "✗" : "✓"} ·{" "}
          </Text>
        ) : null}
        {formatRate(workload.rate)} ·{" "}
        <Text color={workload.failed > 0 ? "red" : undefined}>
          {workload.failed} error{workload.failed === 1 ? "" : "s"}
        </Text>
        {latency
          ? ` · p50 ${formatLatency(latency.p50)} · p95 ${formatLatency(latency.p95)} · p99 ${formatLatency(latency.p99)}`
          : ""}{" "}
        · {workload.elapsed.toFixed(1)} s
      </Text>
    </Box>
  );
}
