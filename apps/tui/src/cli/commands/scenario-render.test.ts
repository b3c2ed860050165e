/** `paddock scenario render|save|delete` against a real catalog listening on loopback. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RealCatalog, SLEEPY_SCENARIO, startRealCatalog } from "../../../test/support/real-catalog.js";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";

describe("paddock scenario render, save and delete", () => {
  let real: RealCatalog;

  beforeAll(async () => {
    real = await startRealCatalog({
      "dummy/sleepy.yaml": SLEEPY_SCENARIO,
      "dummy/broken.yaml": "version: 2\nsubtasks:\n  - title: x\n",
      "_contexts/ok.yaml": "description: ok\ncontexts:\n  dummy_context: {}\n",
    });
  });

  afterAll(() => real.stop());

  async function run(argv: string[]) {
    const io = memoryIo();
    const config = loadCliConfig({ PADDOCK_CATALOG_URL: real.url });
    const code = await main(argv, io, { clients: twinClients(), bus: twinBus(), config });
    return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
  }

  it("prints the rendered task with the args", async () => {
    const { code, out } = await run(["scenario", "render", "dummy/sleepy.yaml", "--task-args", "times=3"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^dummy\/sleepy\.yaml \(sha256 [0-9a-f]{12}\): valid\n\n--- rendered task ---\n/);
    expect(out).toContain("runner: {constant: {times: 3, concurrency: 2}}");
  });

  it("applies presets and overrides, and prints the task they give", async () => {
    const { code, out } = await run([
      "scenario",
      "render",
      "dummy/sleepy.yaml",
      "--context-preset",
      "ok",
      "--overrides",
      '{"workload":{"subtaskIndex":0,"position":0},"runner":{"type":"serial","config":{"times":4}}}',
      "--json",
    ]);
    expect(code).toBe(0);
    const workload = JSON.parse(out).task.subtasks[0].workloads[0];
    expect(workload.runner).toEqual({ type: "serial", config: { times: 4 } });
    expect(workload.contexts).toEqual({ dummy_context: {} });
  });

  it("exits 114 with the problems of a task that is not valid", async () => {
    const { code, out } = await run(["scenario", "render", "dummy/broken.yaml"]);
    expect(code).toBe(114);
    expect(out).toContain("dummy/broken.yaml");
    expect(out).toContain("NOT valid");
    expect(out).toMatch(/subtasks\[0\]:3: .*scenario/);
  });

  it("refuses an override that is not one before asking the catalog, and names an unknown preset", async () => {
    const bad = await run(["scenario", "render", "dummy/sleepy.yaml", "--overrides", '{"workload":"first"}']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("--overrides is not a list of workload overrides");
    const unknown = await run(["scenario", "render", "dummy/sleepy.yaml", "--context-preset", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("There is no context preset 'nope'");
  });

  it("saves a new scenario from a file, replaces it, refuses a broken one, and deletes it", async () => {
    const file = join(real.dir, "mine.yaml");
    const target = join(real.dir, "scenarios", "dummy", "mine.yaml");
    writeFileSync(file, SLEEPY_SCENARIO.replace("title: Sleepy", "title: Mine"));
    const created = await run(["scenario", "save", "dummy/mine.yaml", file, "--new"]);
    expect(created).toMatchObject({ code: 0, err: "" });
    expect(created.out).toMatch(/^Saved dummy\/mine\.yaml — Mine \(sha256 [0-9a-f]{12}\)$/);
    expect(readFileSync(target, "utf8")).toContain("title: Mine");
    const twice = await run(["scenario", "save", "dummy/mine.yaml", file, "--new"]);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain("already exists");

    writeFileSync(file, SLEEPY_SCENARIO.replace("title: Sleepy", "title: Mine again"));
    expect((await run(["scenario", "save", "dummy/mine.yaml", file])).code).toBe(0);
    expect(readFileSync(target, "utf8")).toContain("title: Mine again");

    writeFileSync(file, "version: 2\nsubtasks:\n  - title: x\n");
    const broken = await run(["scenario", "save", "dummy/mine.yaml", file]);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("was not saved");
    expect(broken.err).toMatch(/subtasks\[0\]:3: .*scenario/);
    expect(readFileSync(target, "utf8")).toContain("title: Mine again");

    const outside = await run(["scenario", "save", "../escape.yaml", file]);
    expect(outside.code).toBe(1);
    expect(existsSync(join(real.dir, "escape.yaml"))).toBe(false);

    const stale = await run(["scenario", "delete", "dummy/mine.yaml", "--base-hash", "0".repeat(64)]);
    expect(stale.code).toBe(1);
    expect(existsSync(target)).toBe(true);
    expect(await run(["scenario", "delete", "dummy/mine.yaml"])).toMatchObject({
      code: 0,
      out: "Deleted dummy/mine.yaml",
    });
    expect(existsSync(target)).toBe(false);
    const missing = await run(["scenario", "delete", "dummy/mine.yaml"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("There is no scenario 'dummy/mine.yaml'");
  });

  it("says which file it cannot read", async () => {
    const { code, err } = await run(["scenario", "save", "dummy/x.yaml", join(real.dir, "nope.yaml")]);
    expect(code).toBe(1);
    expect(err).toContain(`cannot read ${join(real.dir, "nope.yaml")}`);
  });
});
