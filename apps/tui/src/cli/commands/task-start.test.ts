import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContextPreset } from "@paddock/shared/api";
import { afterEach, describe, expect, it } from "vitest";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";

async function run(argv: string[], clients = twinClients()) {
  const io = memoryIo();
  const code = await main(argv, io, { clients, bus: twinBus(), config: loadCliConfig({}) });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("paddock task start --abort-on-sla-failure", () => {
  it("asks the runner to stop the task at the first SLA failure", async () => {
    const clients = twinClients();
    const { code } = await run(["task", "start", "dummy/dummy.yaml", "--abort-on-sla-failure"], clients);
    expect(code).toBe(0);
    expect(clients.started).toEqual([{ scenarioId: "dummy/dummy.yaml", abortOnSlaFailure: true }]);
  });

  it("leaves the field out without the flag, and documents the flag", async () => {
    const clients = twinClients();
    await run(["task", "start", "dummy/dummy.yaml"], clients);
    expect(clients.started).toEqual([{ scenarioId: "dummy/dummy.yaml" }]);
    expect((await run(["task", "start", "--help"])).out).toContain("--abort-on-sla-failure");
  });

  it("takes no value", async () => {
    const { code, err } = await run(["task", "start", "dummy/dummy.yaml", "--abort-on-sla-failure=yes"]);
    expect(code).toBe(1);
    expect(err).toContain("--abort-on-sla-failure");
  });
});

describe("paddock task start --distribute", () => {
  it("asks for a number of runner replicas, or all of them", async () => {
    const clients = twinClients();
    expect((await run(["task", "start", "dummy/dummy.yaml", "--distribute", "3"], clients)).code).toBe(0);
    expect((await run(["task", "start", "dummy/dummy.yaml", "--distribute=all"], clients)).code).toBe(0);
    expect(clients.started).toEqual([
      { scenarioId: "dummy/dummy.yaml", distribute: 3 },
      { scenarioId: "dummy/dummy.yaml", distribute: "all" },
    ]);
    expect((await run(["task", "start", "--help"])).out).toContain("--distribute");
  });

  it("refuses anything else, naming the option, without starting anything", async () => {
    for (const bad of ["0", "-2", "two", "1.5", ""]) {
      const clients = twinClients();
      const { code, err } = await run(["task", "start", "dummy/dummy.yaml", `--distribute=${bad}`], clients);
      expect(code, bad).toBe(1);
      expect(err).toContain("--distribute takes a number of runner replicas");
      expect(clients.started).toEqual([]);
    }
  });
});

describe("paddock task start --overrides / --context-preset (edit before start)", () => {
  const servers: Server[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A catalog double on loopback: `GET /contexts/<name>` from `presets`, 404 otherwise. */
  async function catalog(presets: Record<string, ContextPreset>, seen: string[] = []): Promise<string> {
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      const name = decodeURIComponent((request.url ?? "").replace(/^\/contexts\//, ""));
      const preset = presets[name];
      response.writeHead(preset === undefined ? 404 : 200, { "content-type": "application/json" });
      response.end(
        JSON.stringify(
          preset ?? {
            error: { code: "CONTEXT_PRESET_NOT_FOUND", message: `There is no context preset '${name}'` },
          },
        ),
      );
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function start(argv: string[], catalogUrl = "http://127.0.0.1:1") {
    const clients = twinClients();
    const io = memoryIo();
    const code = await main(["task", "start", "dummy/dummy.yaml", ...argv], io, {
      clients,
      bus: twinBus(),
      config: loadCliConfig({ PADDOCK_CATALOG_URL: catalogUrl }),
    });
    return { code, started: clients.started, err: io.stderr.join("\n") };
  }

  const RUNNER = { workload: "*", runner: { type: "constant", config: { times: 5, concurrency: 1 } } };
  const ARGS = { workload: { subtaskIndex: 0, position: 0 }, args: { sleep: 0.01 } };

  it("sends JSON overrides as the request's overrides", async () => {
    const { code, started } = await start(["--overrides", JSON.stringify([RUNNER, ARGS])]);
    expect(code).toBe(0);
    expect(started).toEqual([{ scenarioId: "dummy/dummy.yaml", overrides: [RUNNER, ARGS] }]);
  });

  it("reads YAML, a single mapping, and @FILE", async () => {
    const dir = mkdtempSync(join(tmpdir(), "paddock-overrides-"));
    dirs.push(dir);
    const file = join(dir, "overrides.yaml");
    writeFileSync(file, "- workload: {subtaskIndex: 0, position: 0}\n  args: {sleep: 0.01}\n");
    const { code, started } = await start([
      "--overrides",
      "workload: '*'\nrunner: {type: constant, config: {times: 5, concurrency: 1}}",
      "--overrides",
      `@${file}`,
    ]);
    expect(code).toBe(0);
    expect(started[0]?.overrides).toEqual([RUNNER, ARGS]);
  });

  it("refuses overrides that break the contract, naming each field, and starts nothing", async () => {
    const { code, started, err } = await start([
      "--overrides",
      JSON.stringify([{ workload: "first", runner: { config: {} } }]),
    ]);
    expect(code).toBe(1);
    expect(started).toEqual([]);
    expect(err).toContain("paddock: --overrides is not a list of workload overrides");
    expect(err).toContain('  - overrides[0].workload: must be "*" or {subtaskIndex, position} (0-based)');
    expect(err).toContain("  - overrides[0].runner: must have required properties type");
    const unknown = await start(["--overrides", JSON.stringify({ workload: "*", runers: {} })]);
    expect(unknown.code).toBe(1);
    expect(unknown.started).toEqual([]);
    expect(unknown.err).toContain(
      "  - overrides[0].runers: unknown field (known: workload, runner, contexts, contextsMode, sla, hooks, args)",
    );
  });

  it("names an unreadable file and text that is not JSON or YAML", async () => {
    const missing = await start(["--overrides", "@/nonexistent/overrides.yaml"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      "paddock: cannot read --overrides file /nonexistent/overrides.yaml (no such file)",
    );
    const broken = await start(["--overrides", "[{workload: '*'"]);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("paddock: --overrides is not JSON or YAML");
    expect(broken.started).toEqual([]);
  });

  it("fetches --context-preset from the catalog and applies it to every workload, before --overrides", async () => {
    const seen: string[] = [];
    const catalogUrl = await catalog(
      {
        "dummy-ok": {
          name: "dummy-ok",
          description: "a context that works",
          contexts: { dummy_context: { fail_setup: false } },
          file: "dummy-ok.yaml",
        },
      },
      seen,
    );
    const { code, started } = await start(
      ["--overrides", JSON.stringify([RUNNER]), "--context-preset", "dummy-ok"],
      catalogUrl,
    );
    expect(code).toBe(0);
    expect(seen).toEqual(["GET /contexts/dummy-ok"]);
    expect(started).toEqual([
      {
        scenarioId: "dummy/dummy.yaml",
        overrides: [{ workload: "*", contexts: { dummy_context: { fail_setup: false } } }, RUNNER],
      },
    ]);
  });

  it("names an unknown or broken preset and starts nothing", async () => {
    const catalogUrl = await catalog({
      broken: {
        name: "broken",
        description: "",
        contexts: {},
        file: "broken.yaml",
        error: { file: "broken.yaml", line: 2, message: "contexts must be a mapping" },
      },
    });
    const unknown = await start(["--context-preset", "nope"], catalogUrl);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("There is no context preset 'nope'");
    expect(unknown.started).toEqual([]);
    const broken = await start(["--context-preset", "broken"], catalogUrl);
    expect(broken.code).toBe(1);
    expect(broken.err).toBe(
      "paddock: context preset 'broken' is broken (broken.yaml:2: contexts must be a mapping)",
    );
  });
});
