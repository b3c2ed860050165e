/**
 * Live task: follows one task on NATS — per workload a progress bar, iterations/s, errors,
 * p50/p95/p99 and elapsed time — and once it has ended, its report from the results service.
 * `a` aborts it softly after a confirmation.
 */
import { describeError } from "@paddock/shared/errors";
import { Box, Text, useInput } from "ink";
import { useEffect, useState } from "react";
import type { LiveTask, TaskOutcome } from "../../live/live-task-state.js";
import { statusColor } from "../components/status-colors.js";
import { orderedWorkloads, TaskReport } from "../components/TaskReport.js";
import { WorkloadProgress } from "../components/WorkloadProgress.js";
import { useLiveTask } from "../hooks/use-live-task.js";
import { useReportCrumbs, useReportMode } from "../hooks/use-report-mode.js";
import { useTaskDetail } from "../hooks/use-task-detail.js";
import { actionOf, MODE_BINDINGS, type Mode } from "../keymap.js";
import type { ScreenProps } from "./screen-props.js";

export interface LiveTaskScreenProps extends ScreenProps {
  /** The task to follow; none yet until one is started or opened. */
  readonly taskId: string | undefined;
  /** Esc: back to where the user came from. */
  onBack(): void;
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

function LiveHeader({ task, width }: { task: LiveTask; width: number }) {
  const total = task.workloadTotal ?? task.workloads.length;
  const done = task.workloads.filter((workload) => workload.status === "finished").length;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold>Task {task.taskId}</Text> <Text color={statusColor(task.status)}>{task.status}</Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        {task.title || "untitled"} · env {task.environment ?? "…"} · workloads {done}/{total} · runner{" "}
        {task.runnerId ?? "…"}
      </Text>
    </Box>
  );
}

export function LiveTaskScreen(props: LiveTaskScreenProps) {
  const { deps, isActive, width, height, taskId, onMessage, onBack } = props;
  const live = useLiveTask(deps.bus, taskId, deps.frameMs ?? 100);
  const task = live.task;
  const ended = task?.outcome !== null && task?.outcome !== undefined;
  const report = useTaskDetail(deps.clients.results, taskId, {
    enabled: ended,
    waitUntilSettledMs: deps.resultsWaitMs,
  });
  const [confirming, setConfirming] = useState(false);
  const [workloadIndex, setWorkloadIndex] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new task starts with a fresh view.
  useEffect(() => {
    setConfirming(false);
    setWorkloadIndex(0);
  }, [taskId]);

  const summary =
    ended && report.value !== undefined && report.value.id === taskId ? report.value : undefined;
  const mode: Mode =
    taskId === undefined
      ? "live.idle"
      : confirming
        ? "live.confirm"
        : summary
          ? "live.summary"
          : ended
            ? "live.ended"
            : "live.following";
  useReportMode(mode, isActive, props.onMode);
  useReportCrumbs(taskId === undefined ? [] : [task?.title || taskId.slice(0, 8)], isActive, props.onCrumbs);

  useInput(
    (input, key) => {
      const action = actionOf(MODE_BINDINGS[mode], input, key);
      if (action === "back") onBack();
      if (action === "reload") report.reload();
      if (action === "abort") setConfirming(true);
      if (action === "cancel") setConfirming(false);
      if (action === "confirm" && taskId !== undefined) {
        setConfirming(false);
        deps.clients.runner.abortTask(taskId, true).then(
          () => onMessage({ tone: "info", text: `Soft abort of task ${taskId} requested` }),
          (error: unknown) => onMessage({ tone: "error", text: `Cannot abort: ${describeError(error)}` }),
        );
      }
      const count = summary ? orderedWorkloads(summary).length : 0;
      if (action === "previous-workload") setWorkloadIndex((index) => Math.max(0, index - 1));
      if (action === "next-workload")
        setWorkloadIndex((index) => Math.min(Math.max(0, count - 1), index + 1));
    },
    { isActive },
  );

  if (taskId === undefined || task === undefined) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text>No task is followed yet.</Text>
        <Text dimColor>
          Start one from Scenarios (1, then s) or open a running one from Tasks (3, then Enter).
        </Text>
      </Box>
    );
  }

  if (summary) {
    return <TaskReport detail={summary} workloadIndex={workloadIndex} width={width} height={height} />;
  }

  const extraLines = (live.error ? 1 : 0) + (ended ? 2 : 0) + (confirming ? 3 : 0);
  const room = Math.max(1, Math.floor((height - 3 - extraLines) / 2));
  const firstRunning = task.workloads.findIndex((workload) => workload.status === "running");
  const anchor = firstRunning < 0 ? task.workloads.length - room : firstRunning;
  const firstShown = Math.max(0, Math.min(task.workloads.length - room, anchor));
  const shown = task.workloads.slice(firstShown, firstShown + room);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <LiveHeader task={task} width={width} />
      {live.error ? (
        <Text color="yellow" wrap="truncate-end">
          Live events unavailable ({live.error}); retrying…
        </Text>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {shown.length === 0 ? (
          <Text dimColor>
            {task.status === "init" ? "Waiting for the task's events…" : "Waiting for the first workload…"}
          </Text>
        ) : (
          shown.map((workload) => (
            <WorkloadProgress key={workload.workloadId} workload={workload} width={width} />
          ))
        )}
      </Box>
      {ended && task.outcome ? (
        <Box flexDirection="column" marginTop={0}>
          <Text
            bold
            wrap="truncate-end"
            color={statusColor(task.status, task.outcome.kind !== "finished" || task.outcome.passSla)}
          >
            {outcomeText(task.outcome)}
          </Text>
          <Text dimColor wrap="truncate-end">
            {report.error
              ? `Report not available: ${report.error}`
              : "Fetching the report from the results service…"}
          </Text>
        </Box>
      ) : null}
      {confirming ? (
        <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
          <Text>
            Abort task {taskId.slice(0, 8)}… softly (iterations in flight finish)? <Text bold>y</Text>/
            <Text bold>n</Text>
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
