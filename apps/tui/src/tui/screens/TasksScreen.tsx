/**
 * Tasks: the history from the results service; Enter opens a finished task's report (or the
 * live view of a running one), `/` filters as you type (id, title, status, environment, tags,
 * scenarios), `r` refreshes.
 */
import { Box, Text, useInput } from "ink";
import { useEffect, useState } from "react";
import { isFinal } from "../../live/task-detail-waiter.js";
import { FilterLine } from "../components/FilterLine.js";
import { orderedWorkloads, TaskReport } from "../components/TaskReport.js";
import { TaskTable } from "../components/TaskTable.js";
import { useListFilter } from "../hooks/use-list-filter.js";
import { useReportCrumbs, useReportMode } from "../hooks/use-report-mode.js";
import { useTaskDetail } from "../hooks/use-task-detail.js";
import { useTaskList } from "../hooks/use-task-list.js";
import { actionOf, MODE_BINDINGS, type Mode } from "../keymap.js";
import { matchesQuery } from "../text-input.js";
import type { ScreenProps } from "./screen-props.js";

export interface TasksScreenProps extends ScreenProps {
  /** Enter on a task that still runs: follow it on the live screen. */
  onFollow(taskId: string): void;
  /** Open this task's report (`:task ID`); a new `seq` asks again. */
  readonly openRequest?: { readonly taskId: string; readonly seq: number } | undefined;
}

const clamp = (index: number, count: number) => Math.max(0, Math.min(count - 1, index));

export function TasksScreen(props: TasksScreenProps) {
  const { deps, isActive, width, height, onFollow } = props;
  const list = useTaskList(deps.clients.results);
  const [selected, setSelected] = useState(0);
  const [openId, setOpenId] = useState<string | undefined>(undefined);
  const [workloadIndex, setWorkloadIndex] = useState(0);
  const detail = useTaskDetail(deps.clients.results, openId, { enabled: openId !== undefined });
  const filter = useListFilter();
  const allTasks = list.value?.tasks ?? [];
  const tasks = allTasks.filter((task) =>
    matchesQuery(filter.query, [
      task.id,
      task.title,
      task.status,
      task.environment,
      ...task.tags,
      ...task.scenarios,
    ]),
  );
  const mode: Mode = openId !== undefined ? "tasks.summary" : filter.editing ? "filter" : "tasks.list";
  useReportMode(mode, isActive, props.onMode);
  const opened = detail.value && detail.value.id === openId ? detail.value : undefined;
  useReportCrumbs(
    openId === undefined ? [] : [opened?.title || openId.slice(0, 8)],
    isActive,
    props.onCrumbs,
  );

  const request = props.openRequest;
  useEffect(() => {
    if (request === undefined) return;
    setWorkloadIndex(0);
    setOpenId(request.taskId);
  }, [request]);

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
      if (filter.editing) {
        filter.handle(input, key);
        setSelected(0);
        return;
      }
      if (action === "filter") filter.begin();
      if (action === "back") filter.clear();
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

  const filterShown = filter.editing || filter.query !== "";
  return (
    <Box flexDirection="column" width={width} height={height}>
      {allTasks.length === 0 ? (
        <Text dimColor>No tasks yet. Start one from the Scenarios screen (1, then s).</Text>
      ) : tasks.length === 0 ? (
        <Text dimColor>No task matches the filter.</Text>
      ) : (
        <TaskTable
          tasks={tasks}
          selected={clamp(selected, tasks.length)}
          width={width}
          height={height - 1 - (filterShown ? 1 : 0)}
        />
      )}
      <FilterLine
        query={filter.query}
        editing={filter.editing}
        shown={tasks.length}
        total={allTasks.length}
        width={width}
      />
      {list.error ? (
        <Text color="red" wrap="truncate-end">
          Refresh failed: {list.error}
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          {allTasks.length} task{allTasks.length === 1 ? "" : "s"}
          {list.value.nextCursor ? " (more on the results service: paddock task list)" : ""}
        </Text>
      )}
    </Box>
  );
}
