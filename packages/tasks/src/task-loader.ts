/**
 * Loading a Rally task file: render (Jinja2 with task args) → parse (YAML/JSON, duplicate keys
 * rejected) → convert v1 to v2 → structural validation → `TaskSpec`.
 *
 * Errors: `TaskFileUnloadable` when the text cannot be rendered or parsed (Rally's exit 117),
 * `TaskFileInvalid` listing every structural problem with its path and line (Rally's exit 114).
 * Lines are those of the rendered text, which are the file's own lines unless a template
 * statement (a loop, an include) produces several lines.
 */
import { createHash } from "node:crypto";
import { type ProblemDetail, TaskFileInvalid } from "@paddock/shared/errors";
import type { TaskSpec } from "@paddock/shared/task-model";
import { readTaskStructure } from "./task-structure.js";
import { type RenderOptions, renderTemplate, type TaskArgs } from "./template-renderer.js";
import { parseYamlText, yamlLineIndex } from "./yaml-document.js";

export interface LoadOptions extends RenderOptions {
  /** Template arguments. */
  readonly args?: TaskArgs;
  /** The file's name, used in error messages. */
  readonly path?: string;
}

export interface LoadedTask {
  readonly task: TaskSpec;
  /** Rally task format of the input. */
  readonly version: 1 | 2;
  /** The text after template rendering. */
  readonly rendered: string;
}

/** sha256 of a text, hex. */
export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Parses YAML or JSON text (no template rendering), rejecting duplicate keys with Rally's
 * wording and naming the line of a syntax error. Empty text is `null`.
 */
export function parseTaskText(text: string, path = "<task>"): unknown {
  return parseYamlText(text, path);
}

/** Parses, converts and validates an already rendered task. */
export function loadRenderedTask(rendered: string, path = "<task>"): LoadedTask {
  const document = parseYamlText(rendered, path);
  if (document === null || document === undefined) {
    throw new TaskFileInvalid(`${path}: the task is empty`, {
      problems: [{ path, message: "the task is empty" }],
    });
  }
  const { task, version, problems } = readTaskStructure(document);
  if (problems.length > 0) {
    const lines = yamlLineIndex(rendered);
    const details: ProblemDetail[] = problems.map((problem) => {
      const line = lines.get(problem.linePath ?? problem.path) ?? lines.get(problem.path);
      const where = problem.path === "" ? "task" : problem.path;
      return line === undefined
        ? { path: where, message: problem.message }
        : { path: where, line, message: problem.message };
    });
    const listed = details
      .map(
        (detail) =>
          `  - ${detail.path}${detail.line === undefined ? "" : ` (line ${detail.line})`}: ${detail.message}`,
      )
      .join("\n");
    throw new TaskFileInvalid(
      `${path}: the task is invalid (${details.length} problem${details.length === 1 ? "" : "s"}):\n${listed}`,
      { problems: details },
    );
  }
  return { task, version, rendered };
}

/** Renders, parses, converts and validates a task file's text. */
export function loadTask(text: string, options: LoadOptions = {}): LoadedTask {
  const path = options.path ?? "<task>";
  const rendered = renderTemplate(text, options.args ?? {}, path, { baseDir: options.baseDir });
  return loadRenderedTask(rendered, path);
}

/** Scenario plugin names a task uses, in order of first use. */
export function scenarioPlugins(task: TaskSpec): string[] {
  return [
    ...new Set(task.subtasks.flatMap((subtask) => subtask.workloads.map((workload) => workload.scenario))),
  ];
}
