import { freePort } from "@paddock/testkit";
import { describe, expect, it } from "vitest";
import { passingDetail, rallyDemoDetail, taskHistory } from "../../test/fixtures/index.js";
import { twinBus, twinClients } from "../../test/support/twins.js";
import { loadCliConfig } from "../config.js";
import { memoryIo } from "./io.js";
import { main } from "./router.js";

async function run(argv: string[], clients = twinClients()) {
  const io = memoryIo();
  const code = await main(argv, io, { clients, bus: twinBus(), config: loadCliConfig({}) });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n"), io };
}

describe("command line parsing", () => {
  it("prints the main help without arguments when not in a terminal", async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    expect(out).toContain("Usage:");
    expect(out).toContain("task start FILE_OR_SCENARIO_ID");
    expect(out).toContain("PADDOCK_RUNNER_URL: URL of the runner service");
  });

  it("gives every command a --help", async () => {
    for (const argv of [
      ["task", "start", "--help"],
      ["task", "status", "-h"],
      ["task", "list", "--help"],
      ["task", "abort", "--help"],
      ["task", "validate", "--help"],
      ["scenarios", "--help"],
      ["env", "list", "--help"],
      ["tui", "--help"],
      ["help", "task", "start"],
    ]) {
      const { code, out } = await run(argv);
      expect(code, argv.join(" ")).toBe(0);
      expect(out, argv.join(" ")).toMatch(/^Usage: paddock /);
    }
    const { out } = await run(["task"]);
    expect(out).toContain("Usage: paddock task <command> [options]");
  });

  it("names the unknown command or option and points at the help", async () => {
    expect(await run(["frob"])).toMatchObject({
      code: 1,
      err: "paddock: unknown command 'frob'\nRun 'paddock --help' for usage.",
    });
    expect(await run(["task", "list", "--colour"])).toMatchObject({
      code: 1,
      err: "paddock: unknown option '--colour' for 'paddock task list'\nRun 'paddock task list --help' for usage.",
    });
    expect(await run(["task", "start", "x", "--env"])).toMatchObject({
      code: 1,
      err: "paddock: option '--env' needs a value\nRun 'paddock task start --help' for usage.",
    });
    expect((await run(["task", "start"])).err).toContain("'paddock task start' needs FILE_OR_SCENARIO_ID");
    expect((await run(["task", "abort", "a", "b"])).err).toContain("unexpected argument 'b'");
  });

  it("hands `up` its arguments untouched", async () => {
    const seen: string[][] = [];
    const io = memoryIo();
    const code = await main(["up", "--no-tui"], io, {
      up: async (argv) => {
        seen.push(argv);
        return 7;
      },
    });
    expect({ code, seen }).toEqual({ code: 7, seen: [["--no-tui"]] });
  });

  it("refuses to open the TUI without a terminal", async () => {
    const { code, err } = await run(["tui"]);
    expect(code).toBe(1);
    expect(err).toContain("the TUI needs a terminal");
  });
});

describe("commands against the service clients", () => {
  it("task start prints the task id and sends the scenario with args, env and tags", async () => {
    const clients = twinClients();
    const { code, out } = await run(
      [
        "task",
        "start",
        "dummy/dummy.yaml",
        "--task-args",
        "times=5",
        "--env",
        "lab",
        "--tag",
        "a",
        "--tag",
        "b",
      ],
      clients,
    );
    expect(code).toBe(0);
    expect(out).toBe("7a5c0000-1111-4222-8333-444455556666");
    expect(clients.started).toEqual([
      { scenarioId: "dummy/dummy.yaml", args: { times: 5 }, environment: "lab", tags: ["a", "b"] },
    ]);
  });

  it("task start reports an unknown scenario on one line", async () => {
    const { code, err } = await run(["task", "start", "nope"]);
    expect({ code, err }).toEqual({ code: 1, err: "paddock: There is no scenario 'nope' in the catalog" });
  });

  it("task start names a missing file given as a path", async () => {
    const { code, err } = await run(["task", "start", "./missing.yaml"]);
    expect({ code, err }).toEqual({
      code: 1,
      err: "paddock: cannot read task file ./missing.yaml (no such file)",
    });
  });

  it("task list prints a table, ids only, or JSON", async () => {
    const clients = twinClients({ tasks: taskHistory() });
    const table = await run(["task", "list"], clients);
    expect(table.code).toBe(0);
    expect(table.io.stdout[0]).toMatch(
      /^UUID\s+Status\s+SLA\s+Title\s+Scenarios\s+Env\s+Tags\s+Started\s+Duration$/,
    );
    expect(table.io.stdout).toHaveLength(4);
    expect(table.io.stdout[3]).toContain("8631c997-8798-4cf0-ab6e-e2c6001b8fd1  finished  FAIL");
    expect((await run(["task", "list", "--uuids-only"], clients)).io.stdout).toEqual(
      taskHistory().map((task) => task.id),
    );
    expect(JSON.parse((await run(["task", "list", "--json"], clients)).out).tasks).toHaveLength(3);
    expect((await run(["task", "list", "--limit", "0"], clients)).err).toContain(
      "--limit must be a positive integer",
    );
  });

  it("task status prints Rally's report", async () => {
    const clients = twinClients({ details: [rallyDemoDetail()] });
    const { code, out } = await run(["task", "status", "8631c997-8798-4cf0-ab6e-e2c6001b8fd1"], clients);
    expect(code).toBe(0);
    expect(out).toContain("Task 8631c997-8798-4cf0-ab6e-e2c6001b8fd1: finished, SLA failed");
    expect(out).toContain("| Action");
    expect((await run(["task", "status", "nope"], clients)).err).toBe("paddock: There is no task 'nope'");
  });

  it("task abort asks the runner for a soft or hard abort", async () => {
    const clients = twinClients({ details: [passingDetail()] });
    const soft = await run(["task", "abort", "t-1", "--soft"], clients);
    expect(soft.out).toBe("Task t-1: soft abort requested (status soft_aborting)");
    await run(["task", "abort", "t-2"], clients);
    expect(clients.aborted).toEqual([
      { taskId: "t-1", soft: true },
      { taskId: "t-2", soft: false },
    ]);
  });

  it("scenarios lists the catalog by service, broken files with their error", async () => {
    const { code, io } = await run(["scenarios"]);
    expect(code).toBe(0);
    expect(io.stdout).toEqual([
      "dummy (2 scenarios, 1 broken)",
      "  dummy/dummy.yaml         Dummy — the smallest benchmark  [Dummy.dummy]  args: times=100, concurrency=4, sleep=0.01",
      "  dummy/broken.yaml        BROKEN: dummy/broken.yaml:7: the key (Dummy.dummy) is redefined",
      "http (1 scenario)",
      "  http/check-request.yaml  One URL, constant load  [HttpRequests.check_request]  args: url (required)",
    ]);
    const detail = await run(["scenarios", "dummy/dummy.yaml"]);
    expect(detail.out).toContain("Arguments:\n  times        default 100");
    expect(detail.out).toContain("--- dummy/dummy.yaml ---\n{% set times = times or 100 %}");
  });

  it("env list prints the environments", async () => {
    const { io } = await run(["env", "list"]);
    expect(io.stdout).toEqual([
      "Name   Platform  Secrets  Description",
      "local  generic   —        This machine",
    ]);
  });
});

describe("errors reaching the services", () => {
  it("says in one line that the runner cannot be reached, and exits 1", async () => {
    const port = await freePort();
    const io = memoryIo({ env: { PADDOCK_RUNNER_URL: `http://127.0.0.1:${port}` } });
    const code = await main(["task", "start", "dummy/dummy.yaml"], io);
    expect(code).toBe(1);
    expect(io.stderr).toEqual([
      `paddock: cannot reach the runner at http://127.0.0.1:${port} (connection refused) — is the stack running? (npm start)`,
    ]);
  });

  it("lists every invalid variable of the configuration", async () => {
    const io = memoryIo({ env: { PADDOCK_RUNNER_URL: "not a url", PADDOCK_HTTP_TIMEOUT_MS: "-1" } });
    const code = await main(["task", "list"], io);
    expect(code).toBe(1);
    expect(io.stderr).toEqual([
      "paddock: Invalid configuration:",
      "  - PADDOCK_RUNNER_URL: 'not a url' is not a URL",
      "  - PADDOCK_HTTP_TIMEOUT_MS: '-1' is not a positive integer",
    ]);
  });
});
