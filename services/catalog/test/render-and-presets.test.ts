/** `POST /scenarios/<id>/render` (args and overrides, nothing started) and the context presets. */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@paddock/http";
import type { ContextPreset, RenderScenarioResponse } from "@paddock/shared/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createContextPresetStore } from "../src/context-presets.js";
import { createEnvironmentStore } from "../src/environment-store.js";
import { openScenarioLibrary, type ScenarioLibrary } from "../src/scenario-library.js";
import { type LibraryFixture, libraryFixture } from "./library-fixture.js";

const logger = createLogger("catalog-test", "silent");

function listing(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map(
      (name) =>
        `${name}:${lstatSync(join(folder, name)).isFile() ? readFileSync(join(folder, name), "utf8") : ""}`,
    )
    .sort();
}

describe("render preview and context presets", () => {
  let fixture: LibraryFixture;
  let library: ScenarioLibrary;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeEach(async () => {
    fixture = libraryFixture();
    library = await openScenarioLibrary({ root: fixture.scenarios, logger, watch: false });
    app = await buildApp({
      library,
      environments: createEnvironmentStore({ root: fixture.environments }),
      contexts: createContextPresetStore({ root: fixture.contexts }),
      logger,
    });
  });

  afterEach(async () => {
    await app.close();
    await library.close();
    fixture.remove();
  });

  const render = (id: string, payload: unknown) =>
    app.inject({ method: "POST", url: `/scenarios/${id}/render`, payload: payload as object });

  it("renders with args over the declared defaults, without touching the library", async () => {
    const before = listing(fixture.path);
    const response = await render("dummy/dummy.yaml", { args: { times: 3 } });
    expect(response.statusCode).toBe(200);
    const body = response.json<RenderScenarioResponse>();
    expect(body).toMatchObject({
      id: "dummy/dummy.yaml",
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      valid: true,
      problems: [],
    });
    expect(body.rendered).toContain("times: 3");
    expect(body.rendered).toContain("concurrency: 2");
    expect(body.task?.subtasks[0]?.workloads[0]?.runner).toEqual({
      type: "constant",
      config: { times: 3, concurrency: 2 },
    });
    expect(listing(fixture.path)).toEqual(before);
  });

  it("renders with an empty body, and expands includes from the scenario's folder", async () => {
    expect((await render("dummy/dummy.yaml", {})).json<RenderScenarioResponse>().valid).toBe(true);
    const included = (
      await render("dummy/included.yaml", { args: { times: 9 } })
    ).json<RenderScenarioResponse>();
    expect(included.task?.subtasks[0]?.workloads[0]?.runner).toEqual({
      type: "serial",
      config: { times: 9 },
    });
  });

  it("applies overrides: runner, a context preset, SLA and scenario args", async () => {
    const preset = (await app.inject({ method: "GET", url: "/contexts/two-users" })).json<ContextPreset>();
    const body = (
      await render("dummy/dummy.yaml", {
        args: { sleep: 0.5 },
        overrides: [
          { workload: "*", contexts: preset.contexts },
          {
            workload: { subtaskIndex: 0, position: 0 },
            runner: { type: "rps", config: { rps: { start: 1, end: 10, step: 1 }, times: 50 } },
            sla: { max_avg_duration: 2 },
            args: { sleep: 0.25 },
          },
        ],
      })
    ).json<RenderScenarioResponse>();
    expect(body.valid).toBe(true);
    expect(body.rendered).toContain("sleep: 0.5");
    expect(body.task?.subtasks[0]?.workloads[0]).toMatchObject({
      scenario: "Dummy.dummy",
      args: { sleep: 0.25 },
      runner: { type: "rps", config: { rps: { start: 1, end: 10, step: 1 }, times: 50 } },
      contexts: { users: { tenants: 1, users_per_tenant: 2 } },
      sla: { failure_rate: { max: 0 }, max_avg_duration: 2 },
    });
  });

  it("answers problems instead of a task when the scenario does not render or load", async () => {
    const missing = (await render("http/nested/check.yml", {})).json<RenderScenarioResponse>();
    expect(missing.valid).toBe(false);
    expect(missing.task).toBeUndefined();
    expect(missing.problems[0]?.message).toContain("url");
    const given = (
      await render("http/nested/check.yml", { args: { url: "http://127.0.0.1:1/x" } })
    ).json<RenderScenarioResponse>();
    expect(given.valid).toBe(true);
    expect(given.task?.title).toBe("Check http://127.0.0.1:1/x");
    const broken = (await render("broken/broken.yaml", {})).json<RenderScenarioResponse>();
    expect(broken.valid).toBe(false);
    expect(broken.rendered).toBeDefined();
    expect(broken.problems[0]?.line).toBeGreaterThanOrEqual(4);
  });

  it("refuses overrides that do not fit the task, naming each", async () => {
    const response = await render("dummy/dummy.yaml", {
      overrides: [{ workload: { subtaskIndex: 1, position: 0 }, sla: {} }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.problems).toEqual([
      { path: "overrides[0].workload", message: "there is no subtask 1; the task has 1 (numbered from 0)" },
    ]);
    const malformed = await render("dummy/dummy.yaml", {
      overrides: [{ workload: "first", runner: "fast" }],
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe("REQUEST_INVALID");
  });

  it("answers 404 for an unknown scenario or a POST that is not a render", async () => {
    expect((await render("dummy/nope.yaml", {})).statusCode).toBe(404);
    const other = await app.inject({ method: "POST", url: "/scenarios/dummy/dummy.yaml", payload: {} });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe("ROUTE_NOT_FOUND");
    expect((await render("..%2F..%2Fetc%2Fpasswd", {})).statusCode).toBe(400);
  });

  it("lists context presets, a broken one with its problem, and serves one by name", async () => {
    const list = (await app.inject({ method: "GET", url: "/contexts" })).json<{ presets: ContextPreset[] }>();
    expect(list.presets.map((preset) => [preset.name, preset.error?.message])).toEqual([
      ["broken", "'contexts' must be a mapping of context names to their configuration"],
      ["two-users", undefined],
    ]);
    expect((await app.inject({ method: "GET", url: "/contexts/two-users" })).json()).toEqual({
      name: "two-users",
      description: "two users",
      contexts: { users: { tenants: 1, users_per_tenant: 2 } },
      file: "two-users.yaml",
    });
    const missing = await app.inject({ method: "GET", url: "/contexts/nope" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: "CONTEXT_PRESET_NOT_FOUND", message: "There is no context preset 'nope'" },
    });
  });

  it("does not list the presets folder as a service", async () => {
    const services = (await app.inject({ method: "GET", url: "/services" })).json<{
      services: { service: string }[];
    }>();
    expect(services.services.map((service) => service.service)).not.toContain("_contexts");
  });
});
