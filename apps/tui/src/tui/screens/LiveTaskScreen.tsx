/**
 * Live task: follows one task on NATS (a late join replays its history first) — per workload a
 * progress bar, rate, in flight, errors, p95 and ETA; the selected workload in sections (`]`/`[`:
 * latency, histogram, atomic actions, SLA lights, runners, errors and hooks) — and once it has ended, its report from the results
 * service in sections (`]`/`[`), exportable with `x`. `a` aborts softly, `A` hard, each after a
 * confirmation; ↑/↓ pick the workload shown.
 */
import { describeError } from "@paddock/shared/errors";
import { Box, Text, useInput } from "ink";
import { useLayoutEffect, useState } from "react";
import { ExportDialogView } from "../components/Dialogs.js";
import { LiveTaskBody } from "../components/LiveTaskBody.js";
import { ReportView, sectionRows } from "../components/ReportView.js";
import { orderedWorkloads } from "../components/TaskReport.js";
import { useExportDialog } from "../hooks/use-export-dialog.js";
import { useLiveTask } from "../hooks/use-live-task.js";
import { useReportCrumbs, useReportMode } from "../hooks/use-report-mode.js";
import { useReportView } from "../hooks/use-report-view.js";
import { useTaskDetail } from "../hooks/use-task-detail.js";
import { useWorkloadIterations } from "../hooks/use-workload-iterations.js";
import { actionOf, MODE_BINDINGS, type Mode } from "../keymap.js";
import { type LiveSection, stepSection } from "../live-sections.js";
import type { ScreenProps } from "./screen-props.js";

export interface LiveTaskScreenProps extends ScreenProps {
  /** The task to follow; none yet until one is started or opened. */
  readonly taskId: string | undefined;
  /** Esc: back to where the user came from. */
  onBack(): void;
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
  const [confirming, setConfirming] = useState<"soft" | "hard" | null>(null);
  const view = useReportView();
  const exporter = useExportDialog(deps, onMessage);
  /** The workload the user picked with ↑/↓; until then the first one running is shown. */
  const [pinned, setPinned] = useState<string | undefined>(undefined);
  /** The detail section chosen with `]`/`[`. */
  const [section, setSection] = useState<LiveSection>("latency");

  // A layout effect: the keys that follow (a burst) already find the fresh view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new task starts with a fresh view.
  useLayoutEffect(() => {
    setConfirming(null);
    view.reset();
    setPinned(undefined);
    setSection("latency");
  }, [taskId]);

  const workloads = task?.workloads ?? [];
  const pinnedIndex = workloads.findIndex((workload) => workload.workloadId === pinned);
  const running = workloads.findIndex((workload) => workload.status === "running");
  const selected =
    pinnedIndex >= 0 ? pinnedIndex : running >= 0 ? running : Math.max(0, workloads.length - 1);

  const summary =
    ended && report.value !== undefined && report.value.id === taskId ? report.value : undefined;
  const reportWorkloads = summary ? orderedWorkloads(summary) : [];
  const shownWorkload =
    reportWorkloads[Math.max(0, Math.min(reportWorkloads.length - 1, view.workloadIndex))];
  const iterations = useWorkloadIterations(
    deps.clients.reports,
    taskId ?? "",
    shownWorkload,
    summary !== undefined && (view.section === "charts" || view.section === "failures"),
  );
  const mode: Mode =
    taskId === undefined
      ? "live.idle"
      : exporter.request !== undefined
        ? "live.export"
        : confirming
          ? "live.confirm"
          : summary
            ? "live.summary"
            : ended
              ? "live.ended"
              : "live.following";
  useReportMode(mode, isActive, props.onMode);
  useReportCrumbs(taskId === undefined ? [] : [task?.title || taskId.slice(0, 8)], isActive, props.onCrumbs);

  const abort = (id: string, soft: boolean) =>
    deps.clients.runner.abortTask(id, soft).then(
      () => onMessage({ tone: "info", text: `${soft ? "Soft" : "Hard"} abort of task ${id} requested` }),
      (error: unknown) => onMessage({ tone: "error", text: `Cannot abort: ${describeError(error)}` }),
    );

  useInput(
    (input, key) => {
      const action = actionOf(MODE_BINDINGS[mode], input, key);
      if (mode === "live.export") {
        exporter.handle(input, key);
        return;
      }
      if (mode === "live.summary") {
        if (action === "back") onBack();
        if (action === "export" && taskId !== undefined) exporter.open([taskId]);
        view.handle(action, reportWorkloads.length, Math.max(1, sectionRows(height) - 1));
        return;
      }
      const pick = (index: number) => {
        const target = workloads[Math.max(0, Math.min(workloads.length - 1, index))];
        if (target) setPinned(target.workloadId);
      };
      if (action === "back") onBack();
      if (action === "reload") report.reload();
      const current = workloads[selected];
      if (current && (action === "next-tab" || action === "previous-tab")) {
        setSection(stepSection(current, section, action === "next-tab" ? 1 : -1));
      }
      if (action === "up") pick(selected - 1);
      if (action === "down") pick(selected + 1);
      if (action === "abort") setConfirming("soft");
      if (action === "abort-hard") setConfirming("hard");
      if (action === "cancel") setConfirming(null);
      if (action === "confirm" && taskId !== undefined) {
        void abort(taskId, confirming !== "hard");
        setConfirming(null);
      }
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
    const dialogHeight = exporter.request ? 6 : 0;
    return (
      <Box flexDirection="column" width={width} height={height}>
        {exporter.request ? <ExportDialogView request={exporter.request} width={width} /> : null}
        <ReportView
          detail={summary}
          workloadIndex={view.workloadIndex}
          section={view.section}
          scroll={view.scroll}
          iterations={iterations}
          width={width}
          height={height - dialogHeight}
        />
      </Box>
    );
  }
  return (
    <LiveTaskBody
      task={task}
      selected={selected}
      liveError={live.error}
      reportError={ended ? report.error : undefined}
      confirming={confirming}
      section={section}
      width={width}
      height={height}
    />
  );
}
