/**
 * `sys_call`: runs a command (split like a shell, but no shell runs). A non-zero exit marks the
 * result failed. Standard output that is JSON `{additive: [...], complete: [...]}` becomes chart
 * output; anything else is shown as a TextArea with the return code, stdout and stderr.
 */
import { spawn } from "node:child_process";
import Type from "typebox";
import { defineHookAction, type HookOutcome } from "./hook.js";
import { splitShellWords } from "./shell-words.js";

interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function execute(argv: string[], signal: AbortSignal): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], signal });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code, killedBy) => resolve({ code: code ?? (killedBy ? 128 : 1), stdout, stderr }));
  });
}

function chartsOf(stdout: string): HookOutcome["output"] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const { additive, complete } = parsed as { additive?: unknown; complete?: unknown };
  const charts = (value: unknown) => (Array.isArray(value) ? value : []);
  return { additive: charts(additive), complete: charts(complete) };
}

export const sysCall = defineHookAction({
  name: "sys_call",
  description: "Performs system call.",
  schema: Type.String({ description: "Command to execute." }),
  check(command) {
    try {
      return splitShellWords(command).length === 0 ? ["the command is empty"] : [];
    } catch (error) {
      return [`the command cannot be split into words: ${(error as Error).message}`];
    }
  },
  async run(command, signal) {
    let finished: Finished;
    try {
      finished = await execute(splitShellWords(command), signal);
    } catch (error) {
      const failure = error as NodeJS.ErrnoException;
      return {
        status: "failed",
        error: { etype: failure.code ?? failure.name, msg: failure.message, details: failure.stack ?? "" },
      };
    }
    const { code, stdout, stderr } = finished;
    const output = chartsOf(stdout) ?? {
      additive: [],
      complete: [
        {
          title: "System call",
          chart_plugin: "TextArea",
          description: `Args: ${command}`,
          data: [`RetCode: ${code}`, `StdOut: ${stdout || "(empty)"}`, `StdErr: ${stderr || "(empty)"}`],
        },
      ],
    };
    if (code !== 0) {
      return {
        status: "failed",
        output,
        error: { etype: "n/a", msg: `Subprocess returned ${code}`, details: stderr || `stdout: ${stdout}` },
      };
    }
    return { status: "success", output };
  },
});
