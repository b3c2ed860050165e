/**
 * A finished task's report in sections (`]`/`[` switch): Rally's tables, load profile and
 * duration charts, failures with tracebacks, SLA detail, hooks and the task that ran (YAML).
 * Each section but the tables scrolls (↑/↓, PgUp/PgDn); ←/→ pick the workload.
 */
import type { TaskDetail } from "@paddock/shared/api";
import { Box, Text } from "ink";
import { truncate } from "../../format/numbers.js";
import { workloadNumber } from "../../format/task-report.js";
import type { AsyncState } from "../hooks/use-async.js";
import {
  chartLines,
  failureLines,
  hookLines,
  type IterationSample,
  REPORT_SECTIONS,
  type ReportSection,
  type SectionLine,
  slaSectionLines,
  taskLines,
} from "../report-sections.js";
import { orderedWorkloads, TaskReport } from "./TaskReport.js";

export interface ReportViewProps {
  readonly detail: TaskDetail;
  readonly workloadIndex: number;
  readonly section: ReportSection;
  readonly scroll: number;
  /** The shown workload's iterations (charts and failures). */
  readonly iterations: AsyncState<IterationSample>;
  readonly width: number;
  readonly height: number;
}

const TONES: Record<
  NonNullable<SectionLine["tone"]>,
  { color?: string; dimColor?: boolean; bold?: boolean }
> = {
  title: { bold: true, color: "cyan" },
  good: { color: "green" },
  bad: { color: "red" },
  dim: { dimColor: true },
};

/** Lines a scrolled section shows: the body height minus the tab bar and the workload line. */
export function sectionRows(height: number): number {
  return Math.max(1, height - 3);
}

export function ReportView(props: ReportViewProps) {
  const { detail, section, width, height } = props;
  const workloads = orderedWorkloads(detail);
  const index = Math.max(0, Math.min(workloads.length - 1, props.workloadIndex));
  const workload = workloads[index];
  const tabs = (
    <Text wrap="truncate-end">
      {REPORT_SECTIONS.map((item) => (
        <Text key={item.id}>
          <Text inverse={item.id === section} bold={item.id === section}>
            {` ${item.title} `}
          </Text>{" "}
        </Text>
      ))}
      <Text dimColor> ]/[ section</Text>
    </Text>
  );
  if (section === "tables") {
    return (
      <Box flexDirection="column" width={width} height={height}>
        {tabs}
        <TaskReport detail={detail} workloadIndex={index} width={width} height={height - 1} />
      </Box>
    );
  }
  const rows = sectionRows(height);
  const lines = sectionBody(props, workload, rows);
  const scroll = Math.max(0, Math.min(props.scroll, lines.length - rows));
  const more =
    lines.length > rows
      ? ` · lines ${scroll + 1}-${Math.min(lines.length, scroll + rows)} of ${lines.length}, ↑/↓`
      : "";
  const where =
    section === "task"
      ? `The task as it ran: ${detail.id}`
      : workload === undefined
        ? "No workload ran."
        : `Workload ${workloadNumber(workload)} (${index + 1} of ${workloads.length}${workloads.length > 1 ? ", ←/→" : ""}) ${workload.spec.scenario}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {tabs}
      <Text wrap="truncate-end">
        <Text bold>{truncate(where, width - more.length)}</Text>
        <Text dimColor>{more}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {lines.slice(scroll, scroll + rows).map((line, offset) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional.
          <Text key={scroll + offset} wrap="truncate-end" {...(line.tone ? TONES[line.tone] : {})}>
            {line.text === "" ? " " : line.text}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

function sectionBody(
  { detail, section, iterations, width }: ReportViewProps,
  workload: ReturnType<typeof orderedWorkloads>[number] | undefined,
  rows: number,
): SectionLine[] {
  if (section === "task") return taskLines(detail);
  if (workload === undefined) return [];
  if (section === "sla") return slaSectionLines(workload);
  if (section === "hooks") return hookLines(workload);
  const sample = iterations.value;
  if (sample === undefined || iterations.loading) {
    return iterations.error
      ? [{ text: `Cannot read the iterations: ${iterations.error}`, tone: "bad" }]
      : [{ text: "Reading the iterations…", tone: "dim" }];
  }
  if (section === "charts")
    return chartLines(sample, width, Math.max(3, Math.min(12, Math.floor((rows - 6) / 2))));
  return failureLines(workload, sample);
}
