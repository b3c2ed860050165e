/**
 * Debian's Rally 3.3 driven through its CLI: a private SQLite database (Debian's
 * /etc/rally/rally.conf has a broken `connection=` line), an empty environment, `rally task
 * start`, then `rally task report --json` for the figures Rally itself recorded.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@paddock/testkit";

/** Rally's version line, or undefined when `rally` is not installed. */
export function rallyVersion() {
  const result = spawnSync("rally", ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`.match(/Rally version: (\S+)/)?.[1] ?? "unknown";
}

/** The line printed when Rally is missing, so the benchmark still measures Paddock. */
export const RALLY_MISSING =
  "Rally: not installed (Debian: apt-get install -y rally) — Paddock measured alone, no ratio";

/** Runs `rally args…` in `cwd` (with `env` when given): its exit code and everything it printed. */
export function runRally(args, { cwd, env, timeoutMs = 900_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn("rally", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk) => {
      out += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** A Rally with its own database under a temporary folder; `dispose()` removes it. */
export async function createRally() {
  const dir = tempDir("paddock-bench-rally-");
  const conf = join(dir.path, "rally.conf");
  writeFileSync(conf, `[DEFAULT]\n[database]\nconnection=sqlite:///${join(dir.path, "rally.sqlite")}\n`);
  const rally = (args, timeoutMs = 120_000) =>
    runRally(["--config-file", conf, ...args], { cwd: dir.path, timeoutMs });
  for (const args of [
    ["db", "create"],
    ["env", "create", "--name", "bench"],
  ]) {
    const result = await rally(args);
    if (result.code !== 0) {
      dir.remove();
      throw new Error(`rally ${args.join(" ")} failed (${result.code}):\n${result.out.slice(-2000)}`);
    }
  }
  return {
    /**
     * Runs `task` (a Rally v2 task object). `commandStart`/`commandEnd` are epoch milliseconds
     * around `rally task start`; `workloads` come from Rally's own JSON report.
     */
    async runTask(task, timeoutMs = 900_000) {
      const file = join(dir.path, "task.json");
      writeFileSync(file, JSON.stringify(task));
      const commandStart = Date.now();
      const started = await rally(["task", "start", "--task", file], timeoutMs);
      const commandEnd = Date.now();
      const uuid = started.out.match(/Task\s+([0-9a-f-]{36})/)?.[1];
      if (started.code !== 0 || uuid === undefined) {
        throw new Error(`rally task start failed (${started.code}):\n${started.out.slice(-2000)}`);
      }
      const out = join(dir.path, `${uuid}.json`);
      const report = await rally(["task", "report", uuid, "--json", "--out", out]);
      if (report.code !== 0) throw new Error(`rally task report failed:\n${report.out.slice(-2000)}`);
      const json = JSON.parse(readFileSync(out, "utf8"));
      const workloads = json.tasks[0].subtasks.flatMap((subtask) => subtask.workloads);
      return { uuid, commandStart, commandEnd, workloads };
    },
    dispose: () => dir.remove(),
  };
}
