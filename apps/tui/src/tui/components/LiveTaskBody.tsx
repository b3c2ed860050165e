/**
 * The live view of one task: who/where it runs, its workloads (progress, rate, in flight,
 * errors, p95, ETA), the selected workload in detail, how it ended, and the abort question.
 * The detail panel grows with the terminal: 11 rows at 80×24; on a tall one whatever the
 * workloads' rows leave, at least 55 %.
 */
import { Box, Text } from "ink";
import type { LiveTask, TaskOutcome } from "../../live/live-task-state.js";
import type { LiveSection } from "../live-sections.js";
import { statusColor } from "./status-colors.js";
import { WorkloadDetail } from "./WorkloadDetail.js";
import { WorkloadProgress } from "./WorkloadProgress.js";

export interface LiveTaskBodyProps {
  readonly task: LiveTask;
  /** Index in `task.workloads` of the workload shown in detail. */
  readonly selected: number;
  /** Why live events are not coming, while that is so. */
  readonly liveError: string | undefined;
  /** Set once the task has ended and the report is not there yet: why, or undefined while asking. */
  readonly reportError: string | undefined;
  /** The abort being confirmed. */
  readonly confirming: "soft" | "hard" | null;
  /** The detail section shown (`]`/`[`). */
  readonly section: LiveSection;
  readonly width: number;
  readonly height: number;
}

function outcomeText(outcome: TaskOutcome): string {
  switch (outcome.kind) {
    case "finished":
      return `Finished, SLA ${outcome.passSla ? "passed" : "failed"}`;
    case "aborted":
      return `Aborted (${outcome.mode}): ${outcome.reason}`;
    case "failed":
      return `${outcome.validation ? "Validation failed" : "Failed"}: ${outcome.message}`;
  }
}

/** The rows of the detail panel for a body of `available` rows and `workloads` workloads (two rows each). */
export function detailRows(available: number, workloads: number): number {
  if (available >= 30) return Math.max(Math.floor(available * 0.55), available - 2 * Math.max(1, workloads));
  return Math.max(0, Math.min(11, available - 2));
}

export function LiveTaskBody({
  task,
  selected,
  liveError,
  reportError,
  confirming,
  section,
  width,
  height,
}: LiveTaskBodyProps) {
  const total = task.workloadTotal ?? task.workloads.length;
  const done = task.workloads.filter((workload) => workload.status === "finished").length;
  const ended = task.outcome !== null;
  const extraLines = (liveError ? 1 : 0) + (ended ? 2 : 0) + (confirming ? 3 : 0);
  const available = Math.max(0, height - 3 - extraLines);
  const current = task.workloads[selected];
  const detail = current ? detailRows(available, task.workloads.length) : 0;
  const room = Math.max(1, Math.floor((available - detail) / 2));
  const firstShown = Math.max(0, Math.min(task.workloads.length - room, selected - Math.floor(room / 2)));
  const shown = task.workloads.slice(firstShown, firstShown + room);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold>Task {task.taskId}</Text> <Text color={statusColor(task.status)}>{task.status}</Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        {task.title || "untitled"} · env {task.environment ?? "…"} · workloads {done}/{total} · runner{" "}
        {task.runnerId ?? "…"}
      </Text>
      {liveError ? (
        <Text color="yellow" wrap="truncate-end">
          Live events unavailable ({liveError}); retrying…
        </Text>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {shown.length === 0 ? (
          <Text dimColor>
            {task.status === "init" ? "Waiting for the task's events…" : "Waiting for the first workload…"}
          </Text>
        ) : (
          shown.map((workload) => (
            <WorkloadProgress
              key={workload.workloadId}
              workload={workload}
              width={width}
              selected={task.workloads.length > 1 && workload === current}
            />
          ))
        )}
      </Box>
      {current && detail > 0 ? (
        <WorkloadDetail workload={current} section={section} width={width} height={detail} />
      ) : null}
      {ended && task.outcome ? (
        <Box flexDirection="column">
          <Text
            bold
            wrap="truncate-end"
            color={statusColor(task.status, task.outcome.kind !== "finished" || task.outcome.passSla)}
          >
            {outcomeText(task.outcome)}
          </Text>
          <Text dimColor wrap="truncate-end">
            {reportError
              ? `Report not available: ${reportError}`
              : "Fetching the report from the results service…"}
          </Text>
        </Box>
      ) : null}
      {confirming ? (
        <Box
          flexDirection="column"
          borderStyle="round"
          borderColor={confirming === "hard" ? "red" : "yellow"}
          paddingX={1}
        >
          <Text wrap="truncate-end">
            {confirming === "hard"
              ? `Abort task ${task.taskId.slice(0, 8)}… HARD (iterations in flight are interrupted)? `
              : `Abort task ${task.taskId.slice(0, 8)}… softly (iterations in flight finish)? `}
            <Text bold>y</Text>/<Text bold>n</Text>
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
