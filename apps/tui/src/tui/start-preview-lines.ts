/**
 * What the start form's preview (Ctrl-P) shows, as plain lines: the catalog's problems first,
 * then the task that would start as YAML; and where to open it (at the workloads, the part the
 * form edits).
 */
import type { RenderScenarioResponse } from "@paddock/shared/api";
import { taskSpecDocument } from "@paddock/tasks";
import { yamlLines } from "./yaml-text.js";

export interface PreviewLine {
  readonly text: string;
  readonly bad?: boolean;
}

export function renderedLines(answer: RenderScenarioResponse): PreviewLine[] {
  const problems = answer.problems.map((problem) => ({
    text: `✗ ${problem.path ? `${problem.path}: ` : ""}${problem.message}`,
    bad: true,
  }));
  const task =
    answer.task === undefined ? [] : yamlLines(taskSpecDocument(answer.task)).map((text) => ({ text }));
  return [...problems, ...task];
}

/** The first line to show: the first workload's, unless there are problems to read first. */
export function previewStart(lines: readonly PreviewLine[]): number {
  if (lines.some((line) => line.bad)) return 0;
  return Math.max(
    0,
    lines.findIndex((line) => /^\s*workloads:$/.test(line.text)),
  );
}
