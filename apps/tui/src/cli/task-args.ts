/**
 * Task arguments from the command line, Rally's way: `--task-args-file` (YAML or JSON) first,
 * then each `--task-args` (YAML, JSON, or `k=v,k2=v2`); later values win.
 */
import { readFileSync } from "node:fs";
import { describeError } from "@paddock/shared/errors";
import { parseTaskText } from "@paddock/tasks";
import { TaskArgsInvalid } from "../errors.js";

export type TaskArgs = Record<string, unknown>;

const KEY_VALUE = /^\s*[A-Za-z_][\w.-]*\s*=/;
const NEXT_PAIR = /,(?=\s*[A-Za-z_][\w.-]*\s*=)/;

function isMapping(value: unknown): value is TaskArgs {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseScalar(raw: string, where: string): unknown {
  const text = raw.trim();
  if (text === "") return "";
  try {
    return parseTaskText(text, where);
  } catch {
    return text;
  }
}

/** Parses one `--task-args` value (or a file's text, `where` naming it) into a mapping. */
export function parseTaskArgsText(text: string, where: string): TaskArgs {
  if (KEY_VALUE.test(text) && !text.trimStart().startsWith("{")) {
    const args: TaskArgs = {};
    for (const pair of text.split(NEXT_PAIR)) {
      const index = pair.indexOf("=");
      const key = pair.slice(0, index).trim();
      args[key] = parseScalar(pair.slice(index + 1), where);
    }
    return args;
  }
  let value: unknown;
  try {
    value = parseTaskText(text, where);
  } catch (error) {
    throw new TaskArgsInvalid(`${describeError(error)}`, { cause: error });
  }
  if (value === null || value === undefined) return {};
  if (!isMapping(value)) {
    throw new TaskArgsInvalid(
      `${where} must be a mapping of argument names to values (YAML, JSON or k=v,k2=v2), got ${Array.isArray(value) ? "a list" : typeof value}`,
    );
  }
  return value;
}

/** Merges the files, then the inline values, in the order given. */
export function collectTaskArgs(inline: readonly string[], files: readonly string[]): TaskArgs {
  let args: TaskArgs = {};
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code;
      const reason =
        code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : describeError(error);
      throw new TaskArgsInvalid(`cannot read --task-args-file ${file} (${reason})`, { cause: error });
    }
    args = { ...args, ...parseTaskArgsText(text, file) };
  }
  for (const text of inline) args = { ...args, ...parseTaskArgsText(text, "--task-args") };
  return args;
}
