/**
 * One service of the local stack as a child process: started from its built `dist/main.js`,
 * logging to a file, ready when `/readyz` answers 200, stopped with SIGTERM (then SIGKILL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface ServiceSpec {
  readonly name: string;
  readonly script: string;
  readonly url: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logFile: string;
}

export interface ServiceProcess {
  readonly spec: ServiceSpec;
  readonly child: ChildProcess;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): string;
}

interface Launch {
  readonly nodeArgs?: unknown;
  readonly env?: unknown;
}

/** What the service's package.json above its `dist/` declares under `paddock` (nothing when absent). */
function declaredLaunch(script: string): { manifest: string; launch: Launch } {
  const manifest = join(dirname(script), "..", "package.json");
  if (!existsSync(manifest)) return { manifest, launch: {} };
  const declared = (JSON.parse(readFileSync(manifest, "utf8")) as { paddock?: Launch }).paddock;
  return { manifest, launch: declared ?? {} };
}

/**
 * Node options a service asks to run with: `paddock.nodeArgs` in the package.json above its
 * `dist/` (e.g. the results service's smaller young generation, which keeps its memory flat
 * while it streams large exports). Empty when it declares none.
 */
export function serviceNodeArgs(script: string): string[] {
  const { manifest, launch } = declaredLaunch(script);
  const declared = launch.nodeArgs;
  if (declared === undefined) return [];
  if (!Array.isArray(declared) || !declared.every((arg) => typeof arg === "string" && arg.startsWith("--"))) {
    throw new Error(
      `${manifest}: paddock.nodeArgs must be a list of node options such as "--max-semi-space-size=16"`,
    );
  }
  return declared;
}

/**
 * Environment a service asks to run with: `paddock.env` in the same package.json (e.g. the
 * results service's fixed glibc mmap threshold, docs/decisions.md D22). Defaults only: a
 * variable the launcher's environment sets wins. Empty when it declares none.
 */
export function serviceEnv(script: string): Record<string, string> {
  const { manifest, launch } = declaredLaunch(script);
  const declared = launch.env;
  if (declared === undefined) return {};
  const valid =
    typeof declared === "object" &&
    declared !== null &&
    !Array.isArray(declared) &&
    Object.entries(declared).every(
      ([name, value]) => /^[A-Z_][A-Z0-9_]*$/.test(name) && typeof value === "string",
    );
  if (!valid) {
    throw new Error(
      `${manifest}: paddock.env must map variable names to strings, such as {"MALLOC_MMAP_THRESHOLD_": "131072"}`,
    );
  }
  return { ...(declared as Record<string, string>) };
}

function withoutUnset(env: ServiceSpec["env"]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export function startService(spec: ServiceSpec): ServiceProcess {
  const log = createWriteStream(spec.logFile, { flags: "a" });
  // Own process group: a Ctrl-C in the terminal reaches the launcher only, which stops the
  // services in order (runner first, NATS last) instead of all at once.
  const child = spawn(process.execPath, [...serviceNodeArgs(spec.script), spec.script], {
    env: { ...serviceEnv(spec.script), ...withoutUnset(spec.env) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  return {
    spec,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.kill("SIGTERM");
        await exited;
        clearTimeout(force);
      }
      log.end();
    },
    tail(lines = 8) {
      try {
        return readFileSync(spec.logFile, "utf8")
          .trimEnd()
          .split("\n")
          .slice(-lines)
          .map(readableLogLine)
          .join("\n");
      } catch {
        return "";
      }
    },
  };
}

/** Turns a pino JSON line into `level: message`, leaving other lines as they are. */
function readableLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    const level =
      entry.level !== undefined && entry.level >= 50
        ? "error"
        : entry.level !== undefined && entry.level >= 40
          ? "warn"
          : "info";
    return `    ${level}: ${entry.msg ?? ""}${entry.err?.message && !entry.msg?.includes(entry.err.message) ? ` (${entry.err.message})` : ""}`;
  } catch {
    return `    ${line}`;
  }
}

/** Polls `GET {url}/readyz` until it answers 200, the process exits, or the time is up. */
export async function waitReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | null | undefined;
  void service.exited.then((code) => {
    exitedWith = code;
  });
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(
        `${service.spec.name} exited (code ${exitedWith}) before it was ready:\n${service.tail()}`,
      );
    }
    try {
      const response = await fetch(`${service.spec.url}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(
    `${service.spec.name} was not ready at ${service.spec.url}/readyz within ${timeoutMs / 1000} s:\n${service.tail()}`,
  );
}
