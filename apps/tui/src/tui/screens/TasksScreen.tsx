/**
 * Tasks: the history from the results service; Enter opens a finished task's report (or the
 * live view of a running one), `r` refreshes.
 */
import { Box, Text, useInput } from "ink";
import { useEffect, useState } from "react";
import { isFinal } from "../../live/task-detail-waiter.js";
import { orderedWorkloads, TaskReport } from "../components/TaskReport.js";
import { TaskTable } from "../components/TaskTable.js";
import { useReportMode } from "../hooks/use-report-mode.js";
import { useTaskDetail } from "../hooks/use-task-detail.js";
import { useTaskList } from "../hooks/use-task-list.js";
import { actionOf, MODE_BINDINGS } from "../keymap.js";
import type { ScreenProps } from "./screen-props.js";

export interface TasksScreenProps extends ScreenProps {
  /** Enter on a task that still runs: follow it on the live screen. */
  onFollow(taskId: string): void;
}

const clamp = (index: number, count: number) => Math.max(0, Math.min(count - 1, index));

export function TasksScreen(props: TasksScreenProps) {
  const { deps, isActive, width, height, onFollow } = props;
  const list = useTaskList(deps.clients.results);
  const [selected, setSelected] = useState(0);
  const [openId, setOpenId] = useState<string | undefined>(undefined);
  const [workloadIndex, setWorkloadIndex] = useState(0);
  const detail = useTaskDetail(deps.clients.results, openId, { enabled: openId !== undefined });
  const tasks = list.value?.tasks ?? [];
  const mode = openId === undefined ? "tasks.list" : "tasks.summary";
  useReportMode(mode, isActive, props.onMode);

  const { reload } = list;
  const refreshMs = deps.refreshMs ?? 5000;
  // Coming back to this screen, and every few seconds while it is shown, the list catches up.
  useEffect(() => {
    if (!isActive || openId !== undefined) return;
    reload();
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [isActive, openId, reload, refreshMs]);

  useInput(
    (input, key) => {
      const action = actionOf(MODE_BINDINGS[mode], input, key);
      if (mode === "tasks.summary") {
        const count = detail.value ? orderedWorkloads(detail.value).length : 0;
        if (action === "back") setOpenId(undefined);
        if (action === "reload") detail.reload();
        if (action === "previous-workload") setWorkloadIndex((index) => Math.max(0, index - 1));
        if (action === "next-workload")
          setWorkloadIndex((index) => Math.min(Math.max(0, count - 1), index + 1));
        return;
      }
      const page = Math.max(1, height - 3);
      if (action === "up") setSelected((index) => clamp(index - 1, tasks.length));
      if (action === "down") setSelected((index) => clamp(index + 1, tasks.length));
      if (action === "page-up") setSelected((index) => clamp(index - page, tasks.length));
      if (action === "page-down") setSelected((index) => clamp(index + page, tasks.length));
      if (action === "reload") list.reload();
      const task = tasks[clamp(selected, tasks.length)];
      if (action === "open" && task) {
        if (isFinal(task)) {
          setWorkloadIndex(0);
          setOpenId(task.id);
        } else {
          onFollow(task.id);
        }
      }
    },
    { isActive },
  );

  if (openId !== undefined) {
    if (detail.value && detail.value.id === openId) {
      return <TaskReport detail={detail.value} workloadIndex={workloadIndex} width={width} height={height} />;
    }
    return (
      <Box flexDirection="column" width={width} height={height}>
        {detail.error ? (
          <Text color="red" wrap="wrap">
            Cannot load task {openId}: {detail.error}
          </Text>
        ) : (
          <Text dimColor>Loading task {openId}…</Text>
        )}
      </Box>
    );
  }

  if (list.value === undefined) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        {list.error ? (
          <>
            <Text color="red" wrap="wrap">
              Cannot load the tasks: {list.error}
            </Text>
            <Text dimColor>Press r to try again.</Text>
          </>
        ) : (
          <Text dimColor>Loading tasks from the results service…</Text>
        )}
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      {tasks.length === 0 ? (
        <Text dimColor>No tasks yet. Start one from the Scenarios screen (1, then s).</Text>
      ) : (
        <TaskTable tasks={tasks} selected={clamp(selected, tasks.length)} width={width} height={height - 1} />
      )}
      {list.error ? (
        <Text color="red" wrap="truncate-end">
          Refresh failed: {list.error}
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          {tasks.length} task{tasks.length === 1 ? "" : "s"}
          {list.value.nextCursor ? " (more on the results service: paddock task list)" : ""}
        </Text>
      )}
    </Box>
  );
}
