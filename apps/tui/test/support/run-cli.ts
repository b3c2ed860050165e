/**
 * Runs the real `bin/paddock.mjs` (built `dist/`) as a child process and collects its output.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "paddock.mjs");

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  argv: readonly string[],
  options: {
    env?: Record<string, string>;
    node?: string;
    timeoutMs?: number;
    cwd?: string;
    /** Sends `signal` to the process once its stdout contains `text`. */
    signalWhen?: { text: string; signal: NodeJS.Signals };
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [BIN, ...argv], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        // Nothing of the developer's own stack may leak into a test.
        PADDOCK_CATALOG_URL: "http://127.0.0.1:9",
        PADDOCK_RUNNER_URL: "http://127.0.0.1:9",
        PADDOCK_RESULTS_URL: "http://127.0.0.1:9",
        NATS_URL: "nats://127.0.0.1:9",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let signalled = false;
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const when = options.signalWhen;
      if (when && !signalled && stdout.includes(when.text)) {
        signalled = true;
        child.kill(when.signal);
      }
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `paddock ${argv.join(" ")} did not end within ${options.timeoutMs ?? 30_000} ms:\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
