/**
 * Task arguments from the command line, Rally's way: `--task-args-file` (YAML or JSON) first,
 * then each `--task-args` (YAML, JSON, or `k=v,k2=v2`); later values win. Parsing is
 * `@paddock/tasks`' (errors are `TaskFileUnloadable` naming the option or file); reading the
 * files is here.
 */
import { readFileSync } from "node:fs";
import { describeError } from "@paddock/shared/errors";
import { mergeTaskArgs, parseTaskArgs, parseTaskArgsFile } from "@paddock/tasks";
import { TaskArgsInvalid } from "../errors.js";

export type TaskArgs = Record<string, unknown>;

function readArgsFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : describeError(error);
    throw new TaskArgsInvalid(`cannot read --task-args-file ${file} (${reason})`, { cause: error });
  }
}

/** Merges the files, then the inline values, in the order given. */
export function collectTaskArgs(inline: readonly string[], files: readonly string[]): TaskArgs {
  return mergeTaskArgs(
    ...files.map((file) => parseTaskArgsFile(readArgsFile(file), file)),
    ...inline.map((text) => parseTaskArgs(text, "--task-args")),
  );
}
