/**
 * One workload while it runs: a progress bar (completed/expected, or elapsed/duration for a
 * runner bounded by time), then iterations/s, iterations in flight, errors, p95, elapsed time and
 * the ETA. Two lines; `›` marks the workload shown in detail.
 */
import { Box, Text } from "ink";
import { formatCount, formatLatency, formatRate, truncate } from "../../format/numbers.js";
import { workloadLabel } from "../../live/event-lines.js";
import { etaSeconds, type LiveWorkload } from "../../live/live-task-state.js";
import { ProgressBar } from "./ProgressBar.js";

export interface WorkloadProgressProps {
  readonly workload: LiveWorkload;
  readonly width: number;
  /** Marks the workload shown in detail below the list. */
  readonly selected?: boolean;
}

/** `12 s`, `3 min 05 s`. */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
}

function barFill(workload: LiveWorkload): { completed: number; expected: number | null } {
  if (workload.status === "finished" && workload.expected === null) {
    return { completed: workload.completed, expected: workload.completed };
  }
  if (workload.expected === null && workload.durationLimit !== null) {
    return { completed: workload.elapsed, expected: workload.durationLimit };
  }
  return { completed: workload.completed, expected: workload.expected };
}

export function WorkloadProgress({ workload, width, selected = false }: WorkloadProgressProps) {
  const count = formatCount(workload.completed, workload.expected);
  const name = `${selected ? "› " : ""}${workloadLabel(workload)} ${workload.scenario || "…"}${workload.runner ? ` (${workload.runner})` : ""}`;
  const nameWidth = Math.min(34, Math.max(12, Math.floor(width * 0.4)));
  const barWidth = Math.max(5, width - nameWidth - count.length - 3);
  const finished = workload.status === "finished";
  const barColor = finished ? (workload.passSla === false ? "red" : "green") : "cyan";
  const eta = etaSeconds(workload);
  const fill = barFill(workload);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold color={selected ? "cyan" : undefined}>
          {truncate(name, nameWidth).padEnd(nameWidth)}
        </Text>{" "}
        <ProgressBar completed={fill.completed} expected={fill.expected} width={barWidth} color={barColor} />{" "}
        {count}
      </Text>
      <Text wrap="truncate-end">
        {"  "}
        {finished ? (
          <Text color={workload.passSla === false ? "red" : "green"} bold>
            SLA {workload.passSla === false ? "✗" : "✓"} ·{" "}
          </Text>
        ) : null}
        {formatRate(workload.rate)} · {finished ? "" : `${workload.inFlight} in flight · `}
        <Text color={workload.failed > 0 ? "red" : undefined}>
          {workload.failed} error{workload.failed === 1 ? "" : "s"}
        </Text>
        {workload.latency ? ` · p95 ${formatLatency(workload.latency.p95)}` : ""} ·{" "}
        {workload.elapsed.toFixed(1)} s{!finished && eta !== null ? ` · ETA ${formatEta(eta)}` : ""}
      </Text>
    </Box>
  );
}
