/**
 * Tasks: the history from the results service. Enter opens a finished task's report (in sections)
 * or the live view of a running one; `/` filters as you type; Space marks tasks, then `c`
 * compares them, `x` exports and `d` deletes them (without marks, `x` and `d` act on the selected
 * task); `r` refreshes.
 */
import type { TaskSummary } from "@paddock/shared/api";
import { describeError } from "@paddock/shared/errors";
import { Box, Text, useInput } from "ink";
import { useCallback, useEffect, useLayoutEffect, useState } from "react";
import { isFinal } from "../../live/task-detail-waiter.js";
import { CompareView, compareHeaderLines, compareLines } from "../components/CompareView.js";
import { DeleteDialogView, ExportDialogView } from "../components/Dialogs.js";
import { FilterLine } from "../components/FilterLine.js";
import { ReportView, sectionRows } from "../components/ReportView.js";
import { orderedWorkloads } from "../components/TaskReport.js";
import { TaskTable } from "../components/TaskTable.js";
import { useAsync } from "../hooks/use-async.js";
import { useExportDialog } from "../hooks/use-export-dialog.js";
import { useListFilter } from "../hooks/use-list-filter.js";
import { useReportCrumbs, useReportMode } from "../hooks/use-report-mode.js";
import { useReportView } from "../hooks/use-report-view.js";
import { useTaskDetail } from "../hooks/use-task-detail.js";
import { useTaskList } from "../hooks/use-task-list.js";
import { useWorkloadIterations } from "../hooks/use-workload-iterations.js";
import { actionOf, MODE_BINDINGS, type Mode } from "../keymap.js";
import { matchesQuery } from "../text-input.js";
import type { ScreenProps } from "./screen-props.js";

export interface TasksScreenProps extends ScreenProps {
  /** Enter on a task that still runs: follow it on the live screen. */
  onFollow(taskId: string): void;
  /** Open this task's report (`:task ID`); a new `seq` asks again. */
  readonly openRequest?: { readonly taskId: string; readonly seq: number } | undefined;
  /** Compare these tasks (`:compare A B`); a new `seq` asks again. */
  readonly compareRequest?: { readonly taskIds: readonly string[]; readonly seq: number } | undefined;
}

interface DeleteDialog {
  readonly taskIds: readonly string[];
  readonly skipped: readonly string[];
  readonly focus: "cancel" | "delete";
}

const clamp = (index: number, count: number) => Math.max(0, Math.min(count - 1, index));

export function TasksScreen(props: TasksScreenProps) {
  const { deps, isActive, width, height, onFollow, onMessage } = props;
  const list = useTaskList(deps.clients.results);
  const [selected, setSelected] = useState(0);
  const [openId, setOpenId] = useState<string | undefined>(undefined);
  const [marked, setMarked] = useState<readonly string[]>([]);
  const [compareIds, setCompareIds] = useState<readonly string[] | undefined>(undefined);
  const [compareScroll, setCompareScroll] = useState(0);
  const [deleting, setDeleting] = useState<DeleteDialog | undefined>(undefined);
  const report = useReportView();
  const exporter = useExportDialog(deps, onMessage);
  const detail = useTaskDetail(deps.clients.results, openId, { enabled: openId !== undefined });
  const opened = detail.value && detail.value.id === openId ? detail.value : undefined;
  const workloads = opened ? orderedWorkloads(opened) : [];
  const shownWorkload = workloads[clamp(report.workloadIndex, workloads.length)];
  const iterations = useWorkloadIterations(
    deps.clients.reports,
    openId ?? "",
    shownWorkload,
    opened !== undefined && (report.section === "charts" || report.section === "failures"),
  );
  const { reports } = deps.clients;
  const comparison = useAsync(
    () => reports.compare(compareIds ?? []),
    [reports, compareIds],
    compareIds !== undefined,
  );
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
  const mode: Mode =
    exporter.request !== undefined
      ? "tasks.export"
      : deleting !== undefined
        ? "tasks.delete"
        : compareIds !== undefined
          ? "tasks.compare"
          : openId !== undefined
            ? "tasks.summary"
            : filter.editing
              ? "filter"
              : "tasks.list";
  useReportMode(mode, isActive, props.onMode);
  useReportCrumbs(
    compareIds !== undefined
      ? [`Compare ${compareIds.map((id) => id.slice(0, 8)).join(" · ")}`]
      : openId === undefined
        ? []
        : [opened?.title || openId.slice(0, 8)],
    isActive,
    props.onCrumbs,
  );

  const { reset } = report;
  const request = props.openRequest;
  // Layout effects: the keys that follow a palette command already find the new view.
  useLayoutEffect(() => {
    if (request === undefined) return;
    reset();
    setCompareIds(undefined);
    setOpenId(request.taskId);
  }, [request, reset]);
  const compareRequest = props.compareRequest;
  useLayoutEffect(() => {
    if (compareRequest === undefined) return;
    setCompareScroll(0);
    setCompareIds(compareRequest.taskIds);
  }, [compareRequest]);

  const { reload } = list;
  const refreshMs = deps.refreshMs ?? 5000;
  const listShown = openId === undefined && compareIds === undefined;
  // Coming back to this screen, and every few seconds while it is shown, the list catches up.
  useEffect(() => {
    if (!isActive || !listShown) return;
    reload();
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [isActive, listShown, reload, refreshMs]);

  const deleteTasks = useCallback(
    async (taskIds: readonly string[]) => {
      const failed: string[] = [];
      for (const taskId of taskIds) {
        try {
          await deps.clients.results.deleteTask(taskId);
        } catch (error) {
          failed.push(`${taskId}: ${describeError(error)}`);
        }
      }
      const deleted = taskIds.length - failed.length;
      setMarked((current) => current.filter((id) => !taskIds.includes(id)));
      reload();
      onMessage(
        failed.length > 0
          ? { tone: "error", text: `Deleted ${deleted} of ${taskIds.length}; ${failed.join("; ")}` }
          : { tone: "info", text: `Deleted ${deleted === 1 ? `task ${taskIds[0]}` : `${deleted} tasks`}` },
      );
    },
    [deps, onMessage, reload],
  );

  const askDelete = (targets: readonly TaskSummary[]) => {
    const running = targets.filter((task) => !isFinal(task)).map((task) => task.id);
    const deletable = targets.filter((task) => isFinal(task)).map((task) => task.id);
    if (deletable.length === 0) {
      onMessage({
        tone: "error",
        text: `Running tasks cannot be deleted (abort them first): ${running.join(", ")}`,
      });
      return;
    }
    setDeleting({ taskIds: deletable, skipped: running, focus: "cancel" });
  };

  useInput(
    (input, key) => {
      const action = actionOf(MODE_BINDINGS[mode], input, key);
      if (mode === "tasks.export") {
        exporter.handle(input, key);
        return;
      }
      if (mode === "tasks.delete" && deleting !== undefined) {
        if (action === "cancel") setDeleting(undefined);
        if (action === "next-choice")
          setDeleting({ ...deleting, focus: deleting.focus === "cancel" ? "delete" : "cancel" });
        if (action === "submit") {
          setDeleting(undefined);
          if (deleting.focus === "delete") void deleteTasks(deleting.taskIds);
        }
        return;
      }
      if (mode === "tasks.compare") {
        const page = Math.max(1, height - 4);
        const starts = comparison.value ? compareLines(comparison.value, width).workloadStarts : [];
        if (action === "back") setCompareIds(undefined);
        if (action === "reload") comparison.reload();
        if (action === "up") setCompareScroll((value) => Math.max(0, value - 1));
        if (action === "down") setCompareScroll((value) => value + 1);
        if (action === "page-up") setCompareScroll((value) => Math.max(0, value - page));
        if (action === "page-down") setCompareScroll((value) => value + page);
        if (action === "next-workload")
          setCompareScroll((value) => starts.find((start) => start > value) ?? value);
        if (action === "previous-workload")
          setCompareScroll((value) => [...starts].reverse().find((start) => start < value) ?? 0);
        return;
      }
      if (mode === "tasks.summary") {
        if (action === "back") setOpenId(undefined);
        if (action === "reload") detail.reload();
        if (action === "export" && openId !== undefined) exporter.open([openId]);
        report.handle(action, workloads.length, Math.max(1, sectionRows(height) - 1));
        return;
      }
      if (filter.editing) {
        filter.handle(input, key);
        setSelected(0);
        return;
      }
      if (action === "filter") filter.begin();
      if (action === "back") {
        if (filter.query !== "") filter.clear();
        else setMarked([]);
      }
      const page = Math.max(1, height - 3);
      if (action === "up") setSelected((index) => clamp(index - 1, tasks.length));
      if (action === "down") setSelected((index) => clamp(index + 1, tasks.length));
      if (action === "page-up") setSelected((index) => clamp(index - page, tasks.length));
      if (action === "page-down") setSelected((index) => clamp(index + page, tasks.length));
      if (action === "reload") list.reload();
      const task = tasks[clamp(selected, tasks.length)];
      const markedTasks = marked
        .map((id) => allTasks.find((item) => item.id === id))
        .filter((item): item is TaskSummary => item !== undefined);
      const targets = markedTasks.length > 0 ? markedTasks : task ? [task] : [];
      if (action === "mark" && task) {
        setMarked((current) =>
          current.includes(task.id) ? current.filter((id) => id !== task.id) : [...current, task.id],
        );
        setSelected((index) => clamp(index + 1, tasks.length));
      }
      if (action === "compare") {
        if (markedTasks.length < 2) {
          onMessage({ tone: "error", text: "Mark two or more tasks with Space to compare them" });
        } else {
          setCompareScroll(0);
          setCompareIds(markedTasks.map((item) => item.id));
        }
      }
      if (action === "export" && targets.length > 0) exporter.open(targets.map((item) => item.id));
      if (action === "delete" && targets.length > 0) askDelete(targets);
      if (action === "open" && task) {
        if (isFinal(task)) {
          reset();
          setOpenId(task.id);
        } else {
          onFollow(task.id);
        }
      }
    },
    { isActive },
  );

  const dialog =
    exporter.request !== undefined ? (
      <ExportDialogView request={exporter.request} width={width} />
    ) : deleting !== undefined ? (
      <DeleteDialogView {...deleting} width={width} />
    ) : null;
  const dialogHeight =
    exporter.request !== undefined
      ? exporter.request.taskIds.length > 1
        ? 7
        : 6
      : deleting
        ? 5 + Math.min(6, deleting.taskIds.length) + (deleting.skipped.length > 0 ? 1 : 0)
        : 0;
  const bodyHeight = Math.max(4, height - dialogHeight);

  return (
    <Box flexDirection="column" width={width} height={height}>
      {dialog}
      {body()}
    </Box>
  );

  function body() {
    if (compareIds !== undefined) {
      if (comparison.value !== undefined && !comparison.loading) {
        const value = comparison.value;
        const rows = Math.max(1, bodyHeight - compareHeaderLines(value));
        const max = Math.max(0, compareLines(value, width).lines.length - rows);
        return (
          <CompareView
            comparison={value}
            scroll={Math.min(compareScroll, max)}
            width={width}
            height={bodyHeight}
          />
        );
      }
      return comparison.error ? (
        <Text color="red" wrap="wrap">
          Cannot compare {compareIds.join(", ")}: {comparison.error}
        </Text>
      ) : (
        <Text dimColor>Comparing {compareIds.join(", ")}…</Text>
      );
    }
    if (openId !== undefined) {
      if (opened) {
        return (
          <ReportView
            detail={opened}
            workloadIndex={report.workloadIndex}
            section={report.section}
            scroll={report.scroll}
            iterations={iterations}
            width={width}
            height={bodyHeight}
          />
        );
      }
      return detail.error ? (
        <Text color="red" wrap="wrap">
          Cannot load task {openId}: {detail.error}
        </Text>
      ) : (
        <Text dimColor>Loading task {openId}…</Text>
      );
    }
    if (list.value === undefined) {
      return list.error ? (
        <>
          <Text color="red" wrap="wrap">
            Cannot load the tasks: {list.error}
          </Text>
          <Text dimColor>Press r to try again.</Text>
        </>
      ) : (
        <Text dimColor>Loading tasks from the results service…</Text>
      );
    }
    const filterShown = filter.editing || filter.query !== "";
    return (
      <>
        {allTasks.length === 0 ? (
          <Text dimColor>No tasks yet. Start one from the Scenarios screen (1, then s).</Text>
        ) : tasks.length === 0 ? (
          <Text dimColor>No task matches the filter.</Text>
        ) : (
          <TaskTable
            tasks={tasks}
            selected={clamp(selected, tasks.length)}
            marked={new Set(marked)}
            width={width}
            height={bodyHeight - 1 - (filterShown ? 1 : 0)}
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
            {marked.length > 0 ? (
              <Text color="magenta" bold>
                {" "}
                · {marked.length} marked (c compare, x export, d delete, Esc unmark)
              </Text>
            ) : null}
            {exporter.busy ? " · exporting…" : ""}
            {list.value.nextCursor ? " (more on the results service: paddock task list)" : ""}
          </Text>
        )}
      </>
    );
  }
}
