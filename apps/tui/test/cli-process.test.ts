/**
 * The real executable: exit codes and one-line errors, with nothing listening where the CLI
 * looks (a free port) or with loopback services answering like Paddock's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, tempDir } from "@paddock/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { errorAnswer, startLoopbackService } from "./support/loopback-service.js";
import { BIN, runCli } from "./support/run-cli.js";

const dir = tempDir("paddock-cli-");
afterAll(() => dir.remove());

describe("paddock (the executable)", () => {
  it("says in one line that the runner is unreachable, without a stack trace, and exits 1", async () => {
    const port = await freePort();
    const run = await runCli(["task", "start", "dummy/dummy.yaml"], {
      env: { PADDOCK_RUNNER_URL: `http://127.0.0.1:${port}` },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `paddock: cannot reach the runner at http://127.0.0.1:${port} (connection refused) — is the stack running? (npm start)\n`,
    );
  });

  it("prints its version and help", async () => {
    const version = await runCli(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
    const help = await runCli(["task", "start", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--task-args JSON|YAML|k=v,...");
  });

  it("validates through the runner: 0 valid, 114 invalid, 117 not loadable", async () => {
    const file = join(dir.path, "task.yaml");
    writeFileSync(file, "version: 2\nsubtasks: []\n");
    const answers = [
      { status: 200, body: { valid: true } },
      errorAnswer(422, "TASK_FILE_INVALID", `${file}: the task is invalid`, [
        { path: "subtasks[0].scenario", line: 4, message: "There is no Scenario plugin 'Dummy.dumy'" },
        { path: "subtasks[0].runner.constant", line: 7, message: "200 is greater than the maximum of 100.0" },
      ]),
      errorAnswer(422, "TASK_FILE_UNLOADABLE", "Please specify template task argument: times"),
    ];
    const runner = await startLoopbackService(() => answers.shift() ?? { status: 500 });
    try {
      const env = { PADDOCK_RUNNER_URL: runner.url };
      const valid = await runCli(["task", "validate", file, "--task-args", "times=3"], { env });
      expect(valid).toMatchObject({ code: 0, stdout: "Task config is valid :)\n", stderr: "" });
      expect(runner.requests[0]).toMatchObject({
        method: "POST",
        path: "/tasks/validate",
        body: { task: "version: 2\nsubtasks: []\n", path: file, args: { times: 3 } },
      });

      const invalid = await runCli(["task", "validate", file], { env });
      expect(invalid.code).toBe(114);
      expect(invalid.stderr).toBe(
        [
          `paddock: Task config is invalid: ${file}: the task is invalid`,
          "  - subtasks[0].scenario:4: There is no Scenario plugin 'Dummy.dumy'",
          "  - subtasks[0].runner.constant:7: 200 is greater than the maximum of 100.0",
          "",
        ].join("\n"),
      );

      const unloadable = await runCli(["task", "validate", file], { env });
      expect(unloadable.code).toBe(117);
      expect(unloadable.stderr).toBe(
        "paddock: Task config is not loadable: Please specify template task argument: times\n",
      );
    } finally {
      await runner.close();
    }
  });

  it("cannot load a missing file or bad task args (117) without asking anyone", async () => {
    const missing = await runCli(["task", "validate", "./nowhere.yaml"]);
    expect(missing).toMatchObject({
      code: 117,
      stderr: "paddock: Task config is not loadable: cannot read task file ./nowhere.yaml (no such file)\n",
    });
    const file = join(dir.path, "ok.yaml");
    writeFileSync(file, "version: 2\n");
    const badArgs = await runCli(["task", "validate", file, "--task-args", "[1, 2]"]);
    expect(badArgs.code).toBe(117);
    expect(badArgs.stderr).toMatch(/^paddock: Task config is not loadable: --task-args: /);
  });

  it("sends the bearer token when PADDOCK_API_TOKEN is set", async () => {
    const results = await startLoopbackService((request) =>
      request.headers.authorization === "Bearer s3cret"
        ? { status: 200, body: { tasks: [] } }
        : errorAnswer(
            401,
            "UNAUTHORIZED",
            "A valid 'Authorization: Bearer <PADDOCK_API_TOKEN>' header is required",
          ),
    );
    try {
      const denied = await runCli(["task", "list"], { env: { PADDOCK_RESULTS_URL: results.url } });
      expect(denied).toMatchObject({
        code: 1,
        stderr: "paddock: A valid 'Authorization: Bearer <PADDOCK_API_TOKEN>' header is required\n",
      });
      const allowed = await runCli(["task", "list"], {
        env: { PADDOCK_RESULTS_URL: results.url, PADDOCK_API_TOKEN: "s3cret" },
      });
      expect(allowed).toMatchObject({
        code: 0,
        stdout: "No tasks yet. Start one with: paddock task start SCENARIO_ID_OR_FILE\n",
      });
    } finally {
      await results.close();
    }
  });
});

const systemNode = ["/usr/bin/node", "/usr/local/bin/node"].find((path) => existsSync(path));
const systemVersion = systemNode
  ? spawnSync(systemNode, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim()
  : "";
const isOld = (version: string) => {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major < 22 || (major === 22 && minor < 12);
};
const toolchainNode = join(
  BIN,
  "..",
  "..",
  "..",
  "..",
  ".paddock",
  "toolchain",
  "node_modules",
  `node-${process.platform}-${process.arch}`,
  "bin",
  "node",
);

describe.skipIf(!systemNode || !isOld(systemVersion) || !existsSync(toolchainNode))(
  `bin/paddock.mjs on an old Node (${systemVersion})`,
  () => {
    it("re-runs itself under the toolchain's Node, passing the arguments and the exit code", async () => {
      const version = await runCli(["--version"], { node: systemNode as string });
      expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
      const port = await freePort();
      const failing = await runCli(["task", "status", "x"], {
        node: systemNode as string,
        env: { PADDOCK_RESULTS_URL: `http://127.0.0.1:${port}` },
      });
      expect(failing.code).toBe(1);
      expect(failing.stderr).toContain(`cannot reach the results service at http://127.0.0.1:${port}`);
    });

    it("says how to fix it when no newer Node is at hand", async () => {
      const run = await runCli(["--version"], { node: systemNode as string, env: { PADDOCK_REEXEC: "1" } });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `paddock: Node ${systemVersion} is too old (Paddock needs 22.12 or newer): run \`npm start\` once in the Paddock repository (it installs Node 24 into .paddock/toolchain), or install Node 24.\n`,
      );
    });
  },
);
