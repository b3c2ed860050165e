/**
 * `x`: the export dialog's state — which tasks, which type (←/→), which file (typed, prefilled
 * `./paddock-<id>.<ext>`; with several tasks `{id}` stands for each task's id) — and the export
 * itself, written through the results service's export, reported as a footer message.
 */
import { resolve } from "node:path";
import { describeError } from "@paddock/shared/errors";
import type { Key } from "ink";
import { useCallback, useState } from "react";
import { EXPORT_EXTENSIONS, REPORT_EXPORT_TYPES, type ReportExportType } from "../../api/reports-client.js";
import type { TuiDeps } from "../deps.js";
import { actionOf, MODE_BINDINGS } from "../keymap.js";
import type { FooterMessage } from "../screens/screen-props.js";
import { editText } from "../text-input.js";

export interface ExportRequest {
  readonly taskIds: readonly string[];
  readonly type: ReportExportType;
  /** As typed; relative paths are relative to the working directory. */
  readonly path: string;
}

export interface ExportDialog {
  /** The dialog's content while it is open. */
  readonly request: ExportRequest | undefined;
  /** True while files are being written. */
  readonly busy: boolean;
  open(taskIds: readonly string[]): void;
  handle(input: string, key: Key): void;
}

function defaultPath(taskIds: readonly string[], type: ReportExportType): string {
  return `./paddock-${taskIds.length === 1 ? taskIds[0] : "{id}"}.${EXPORT_EXTENSIONS[type]}`;
}

/** The file one task is written to. */
export function exportFile(request: ExportRequest, taskId: string, cwd: string): string {
  return resolve(cwd, request.path.replaceAll("{id}", taskId));
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

export function useExportDialog(deps: TuiDeps, onMessage: (message: FooterMessage) => void): ExportDialog {
  const [request, setRequest] = useState<ExportRequest | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const open = useCallback((taskIds: readonly string[]) => {
    if (taskIds.length === 0) return;
    setRequest({ taskIds, type: "json", path: defaultPath(taskIds, "json") });
  }, []);
  const run = useCallback(
    async (current: ExportRequest) => {
      const cwd = deps.cwd ?? process.cwd();
      if (current.taskIds.length > 1 && !current.path.includes("{id}")) {
        onMessage({ tone: "error", text: "Several tasks: put {id} in the path so each gets its own file" });
        return;
      }
      setRequest(undefined);
      setBusy(true);
      const written: string[] = [];
      let bytes = 0;
      try {
        for (const taskId of current.taskIds) {
          const file = exportFile(current, taskId, cwd);
          bytes += await deps.clients.reports.exportTask(taskId, current.type, file);
          written.push(file);
        }
        onMessage({
          tone: "info",
          text:
            written.length === 1
              ? `Exported task ${current.taskIds[0]} (${current.type}, ${formatBytes(bytes)}) to ${written[0]}`
              : `Exported ${written.length} tasks (${current.type}, ${formatBytes(bytes)}) to ${written.join(", ")}`,
        });
      } catch (error) {
        onMessage({
          tone: "error",
          text: `Export failed${written.length > 0 ? ` after ${written.join(", ")}` : ""}: ${describeError(error)}`,
        });
      } finally {
        setBusy(false);
      }
    },
    [deps, onMessage],
  );
  const handle = useCallback(
    (input: string, key: Key) => {
      if (request === undefined) return;
      const action = actionOf(MODE_BINDINGS["tasks.export"], input, key);
      if (action === "cancel") {
        setRequest(undefined);
        return;
      }
      if (action === "submit") {
        void run(request);
        return;
      }
      if (action === "previous-choice" || action === "next-choice") {
        const index = REPORT_EXPORT_TYPES.indexOf(request.type);
        const count = REPORT_EXPORT_TYPES.length;
        const type = REPORT_EXPORT_TYPES[
          (index + (action === "next-choice" ? 1 : -1) + count) % count
        ] as ReportExportType;
        const oldExtension = `.${EXPORT_EXTENSIONS[request.type]}`;
        const path = request.path.endsWith(oldExtension)
          ? `${request.path.slice(0, -oldExtension.length)}.${EXPORT_EXTENSIONS[type]}`
          : request.path;
        setRequest({ ...request, type, path });
        return;
      }
      const path = editText(request.path, input, key);
      if (path !== undefined) setRequest({ ...request, path });
    },
    [request, run],
  );
  return { request, busy, open, handle };
}
