/**
 * How the CLI reports a failure: `paddock: <message>` on one line, then the problems one per
 * line; never a stack trace.
 */
import type { ProblemDetail } from "@paddock/shared/errors";
import { describeError, isPaddockError } from "@paddock/shared/errors";
import { UsageError } from "../errors.js";
import { EXIT } from "./exit-codes.js";
import type { CliIo } from "./io.js";

/** `subtasks[0].runner:3: must be an object`, or just the message when nothing locates it. */
export function problemText(problem: ProblemDetail): string {
  if (!problem.path || problem.message.startsWith(problem.path)) return problem.message;
  return `${problem.path}${problem.line ? `:${problem.line}` : ""}: ${problem.message}`;
}

/** Prints `prefix + message` and the problems; a message that already lists them is cut to its first line. */
export function printError(io: CliIo, error: unknown, prefix = "paddock: "): void {
  if (!isPaddockError(error)) {
    io.err(`${prefix}${describeError(error)}`);
    return;
  }
  const [first = "", ...rest] = error.message.split("\n");
  io.err(`${prefix}${first}`);
  if (error.problems.length > 0) {
    for (const problem of error.problems) io.err(`  - ${problemText(problem)}`);
  } else {
    for (const line of rest) io.err(line);
  }
}

export function reportError(io: CliIo, error: unknown): number {
  printError(io, error);
  if (error instanceof UsageError) {
    io.err(`Run 'paddock ${error.command ? `${error.command} ` : ""}--help' for usage.`);
  }
  return EXIT.error;
}
