/**
 * Turns `FILE_OR_SCENARIO_ID` and the task-args options into the runner's `StartTaskRequest`:
 * an existing file is sent as text (with its path), anything else is a catalog scenario id.
 */
import { readFileSync, statSync } from "node:fs";
import type { StartTaskRequest } from "@paddock/shared/api";
import { describeError } from "@paddock/shared/errors";
import { FileUnreadable } from "../errors.js";
import { type OptionSpec, type ParsedCommandLine, stringList, stringOption } from "./command.js";
import { collectTaskArgs } from "./task-args.js";

/** `--task-args` and `--task-args-file`, for every command that renders a task. */
export const TASK_ARGS_OPTIONS = {
  "task-args": {
    type: "string",
    multiple: true,
    value: "JSON|YAML|k=v,...",
    description: "Template arguments (YAML, JSON or k=v pairs); repeatable, later values win",
  },
  "task-args-file": {
    type: "string",
    multiple: true,
    value: "FILE",
    description: "A YAML or JSON file of template arguments, read before --task-args",
  },
} as const satisfies Record<string, OptionSpec>;

export const TASK_INPUT_OPTIONS = {
  ...TASK_ARGS_OPTIONS,
  env: { type: "string", value: "NAME", description: "Environment to run against (default: local)" },
} as const satisfies Record<string, OptionSpec>;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** True when the argument can only mean a path on disk (scenario ids never start like this). */
function looksLikePath(target: string): boolean {
  return /^(\.{1,2}\/|\/|~)/.test(target);
}

export function taskRequestOf(target: string, line: ParsedCommandLine): StartTaskRequest {
  const args = collectTaskArgs(stringList(line, "task-args"), stringList(line, "task-args-file"));
  const request: StartTaskRequest = {};
  if (isFile(target)) {
    try {
      request.task = readFileSync(target, "utf8");
    } catch (error) {
      throw new FileUnreadable(`cannot read task file ${target} (${describeError(error)})`, { cause: error });
    }
    if (request.task.trim() === "") throw new FileUnreadable(`task file ${target} is empty`);
    request.path = target;
  } else if (looksLikePath(target)) {
    throw new FileUnreadable(`cannot read task file ${target} (no such file)`);
  } else {
    request.scenarioId = target;
  }
  if (Object.keys(args).length > 0) request.args = args;
  const environment = stringOption(line, "env");
  if (environment !== undefined) request.environment = environment;
  const tags = stringList(line, "tag");
  if (tags.length > 0) request.tags = tags;
  return request;
}
