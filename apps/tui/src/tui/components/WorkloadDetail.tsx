/**
 * The selected workload in depth: its latency percentiles over the last window drawn as bars
 * (p50…max), a sparkline of recent p95 values, errors by type, hooks as they fired and the SLA
 * once it is known. Side by side from 120 columns on; sections drop from the bottom when
 * `height` is short.
 */
import { Box, Text } from "ink";
import { formatLatency, truncate } from "../../format/numbers.js";
import { workloadLabel } from "../../live/event-lines.js";
import type { LiveWorkload } from "../../live/live-task-state.js";
import { blockBar, sparkline } from "./charts.js";

export interface WorkloadDetailProps {
  readonly workload: LiveWorkload;
  readonly width: number;
  /** Rows it may use. */
  readonly height: number;
}

const PERCENTILES = ["p50", "p90", "p95", "p99", "max"] as const;

function LatencyBars({ workload, width, rows }: { workload: LiveWorkload; width: number; rows: number }) {
  const { latency } = workload;
  if (latency === null) return <Text dimColor>No latency yet: waiting for the first progress report.</Text>;
  const barWidth = Math.max(4, width - 16);
  const shown = PERCENTILES.slice(0, Math.max(0, rows - 1));
  const history = workload.p95History;
  const spark = sparkline(history, Math.max(4, width - 30));
  const low = history.length > 0 ? Math.min(...history) : latency.p95;
  const high = history.length > 0 ? Math.max(...history) : latency.p95;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text dimColor>p95 </Text>
        <Text color="cyan">{spark}</Text>
        <Text dimColor>
          {" "}
          {formatLatency(low)}–{formatLatency(high)} ({history.length} s)
        </Text>
      </Text>
      {shown.map((name) => (
        <Text key={name} wrap="truncate-end">
          <Text dimColor>{name.padEnd(4)}</Text>
          <Text color={name === "max" ? "yellow" : "green"}>
            {blockBar(latency[name], latency.max, barWidth).padEnd(barWidth)}
          </Text>{" "}
          {formatLatency(latency[name]).padStart(9)}
        </Text>
      ))}
    </Box>
  );
}

/** The lines of errors, hooks and SLA, most important first. */
function facts(workload: LiveWorkload, width: number): { key: string; text: string; color?: string }[] {
  const lines: { key: string; text: string; color?: string }[] = [];
  const errors = Object.entries(workload.errorsByType).sort((a, b) => b[1] - a[1]);
  lines.push(
    errors.length === 0
      ? { key: "errors", text: "No errors" }
      : {
          key: "errors",
          color: "red",
          text: `Errors: ${errors.map(([type, count]) => `${type} ×${count}`).join(" · ")}`,
        },
  );
  for (const result of workload.slaResults) {
    lines.push({
      key: `sla-${result.criterion}`,
      color: result.success ? "green" : "red",
      text: `SLA ${result.success ? "✓" : "✗"} ${result.criterion}: ${result.detail}`,
    });
  }
  if (workload.slaResults.length === 0) {
    lines.push({ key: "sla", text: "SLA: judged when the workload finishes" });
  }
  for (const [index, hook] of [...workload.hooks].reverse().entries()) {
    const mark = hook.status === "success" ? "✓" : "✗";
    lines.push({
      key: `hook-${index}`,
      color: hook.status === "success" ? undefined : "red",
      text: `Hook #${hook.hookIndex} ${hook.action || "hook"} ${mark} at ${hook.trigger} (${hook.duration.toFixed(2)} s)${hook.error ? `: ${hook.error}` : ""}`,
    });
  }
  return lines.map((line) => ({ ...line, text: truncate(line.text, width) }));
}

export function WorkloadDetail({ workload, width, height }: WorkloadDetailProps) {
  const wide = width >= 120;
  const title = `${workloadLabel(workload)} ${workload.scenario || "…"} · ${workload.runner || "…"}${workload.subtaskTitle ? ` — ${workload.subtaskTitle}` : ""}`;
  const shownTitle = truncate(title, width - 4);
  const body = Math.max(0, height - 1);
  const chartRows = wide ? body : Math.min(6, Math.max(0, body - 2));
  const leftWidth = wide ? Math.floor(width * 0.55) : width;
  const rightWidth = wide ? width - leftWidth - 2 : width;
  const lines = facts(workload, rightWidth).slice(0, wide ? body : Math.max(0, body - chartRows));
  const list = lines.map((line) => (
    <Text key={line.key} color={line.color} wrap="truncate-end">
      {line.text}
    </Text>
  ));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        ─ {shownTitle} {"─".repeat(Math.max(0, width - [...shownTitle].length - 3))}
      </Text>
      <Box flexDirection={wide ? "row" : "column"}>
        {chartRows > 0 ? <LatencyBars workload={workload} width={leftWidth} rows={chartRows} /> : null}
        {wide ? <Box width={2} /> : null}
        <Box flexDirection="column" width={rightWidth}>
          {list}
        </Box>
      </Box>
    </Box>
  );
}
