/**
 * `paddock task validate FILE`: asks the runner whether the task would run (template, structure,
 * plugins and their arguments). Exit 0 valid, 114 invalid, 117 cannot load or render.
 */
import { isPaddockError } from "@paddock/shared/errors";
import { ServiceError } from "../../errors.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { printError } from "../report-error.js";
import { TASK_INPUT_OPTIONS, taskRequestOf } from "../task-input.js";

const UNLOADABLE = new Set([
  "TASK_FILE_UNLOADABLE",
  "TASK_ARGS_INVALID",
  "FILE_UNREADABLE",
  "SCENARIO_NOT_FOUND",
]);
const INVALID = new Set([
  "TASK_FILE_INVALID",
  "PLUGIN_NOT_FOUND",
  "REQUEST_INVALID",
  "ENVIRONMENT_NOT_FOUND",
]);

/** The exit code a validation error means, or undefined when it is not about the task. */
export function validationExitCode(error: unknown): number | undefined {
  if (!isPaddockError(error)) return undefined;
  if (UNLOADABLE.has(error.code)) return EXIT.taskUnloadable;
  if (INVALID.has(error.code)) return EXIT.taskInvalid;
  if (error instanceof ServiceError && error.status === 422) return EXIT.taskInvalid;
  return undefined;
}

export const taskValidate: Command = {
  name: "task validate",
  args: "FILE_OR_SCENARIO_ID",
  summary: "Check a task without running it",
  details: ["Exit codes: 0 valid, 114 invalid, 117 cannot be loaded or rendered."],
  options: { ...TASK_INPUT_OPTIONS },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const { io } = context;
    try {
      const request = taskRequestOf(line.positionals[0] as string, line);
      await context.clients().runner.validateTask(request);
    } catch (error) {
      const code = validationExitCode(error);
      if (code === undefined || !isPaddockError(error)) throw error;
      printError(
        io,
        error,
        `paddock: Task config is ${code === EXIT.taskInvalid ? "invalid" : "not loadable"}: `,
      );
      return code;
    }
    io.out("Task config is valid :)");
    return EXIT.ok;
  },
};
