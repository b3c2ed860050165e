/**
 * `POST /tasks/import`: a Rally report (format 1.2) or old results file → Paddock tasks, written in
 * one transaction with statistics computed as for any finished workload. A task or workload id
 * that is already stored is refused (import a file once).
 */
import { createHash, randomUUID } from "node:crypto";
import type { ImportResponse } from "@paddock/shared/api";
import { Conflict, RequestInvalid } from "@paddock/shared/errors";
import { computeWorkloadFigures } from "../statistics/workload-figures.js";
import type { ResultStore } from "../store/result-store.js";
import { JsonAt } from "./import-reader.js";
import type { ImportedTask, Importer } from "./imported-task.js";
import { parsePythonJson } from "./lenient-json.js";
import { oldResultsImporter } from "./old-results-importer.js";
import { rallyReportImporter } from "./rally-report-importer.js";

/** The file formats `POST /tasks/import` reads, recognised by their outer shape. */
export const IMPORTERS = {
  "rally-report": rallyReportImporter,
  "old-json-results": oldResultsImporter,
} satisfies Record<string, Importer>;

export type ImportFormat = keyof typeof IMPORTERS;

/** Iteration id of imported iterations' "runner". */
export const IMPORT_RUNNER = "import";

export interface ImportRequest {
  readonly text: string;
  readonly fileName: string;
  readonly tags: readonly string[];
  readonly newId?: () => string;
}

/** Reads the file into tasks without storing anything (the format is recognised from its shape). */
export function readImport(request: ImportRequest): { format: ImportFormat; tasks: ImportedTask[] } {
  const document = parsePythonJson(request.text, request.fileName);
  const entry = Object.entries(IMPORTERS).find(([, importer]) => importer.accepts(document));
  if (!entry) {
    throw new RequestInvalid(
      `Import refused: ${request.fileName} is neither a Rally report (an object with 'tasks') nor old Rally results (a list of workloads)`,
      { problems: [{ path: request.fileName, message: "unknown format" }] },
    );
  }
  const [format, importer] = entry as [ImportFormat, Importer];
  const tasks = importer.read(new JsonAt(document, ""), {
    tags: request.tags,
    fileName: request.fileName,
    hash: createHash("sha256").update(request.text).digest("hex"),
    newId: request.newId ?? randomUUID,
  });
  return { format, tasks };
}

export async function importTasks(store: ResultStore, request: ImportRequest): Promise<ImportResponse> {
  const { format, tasks } = readImport(request);
  const prepared = tasks.map(({ task, workloads }) => ({
    task,
    workloads: workloads.map(({ record, iterations }) => {
      const figures = computeWorkloadFigures(iterations);
      return {
        record: {
          ...record,
          statistics: figures.statistics,
          minDuration: record.minDuration ?? figures.minDuration,
          maxDuration: record.maxDuration ?? figures.maxDuration,
        },
        iterations,
      };
    }),
  }));
  await store.write(async (tx) => {
    for (const { task, workloads } of prepared) {
      if (await tx.getTask(task.id)) {
        throw new Conflict(
          `Import refused: task '${task.id}' is already stored (delete it first to import it again)`,
        );
      }
      await tx.insertTask(task);
      for (const { record, iterations } of workloads) {
        if (await tx.getWorkload(record.id)) {
          throw new Conflict(
            `Import refused: workload '${record.id}' of task '${task.id}' is already stored`,
          );
        }
        await tx.insertWorkload(record);
        await tx.appendIterations(
          { taskId: task.id, workloadId: record.id, runnerId: IMPORT_RUNNER },
          iterations,
        );
      }
    }
  });
  return {
    format,
    tasks: prepared.map(({ task, workloads }) => ({
      id: task.id,
      title: task.title,
      workloads: workloads.length,
      iterations: task.iterations,
    })),
  };
}
