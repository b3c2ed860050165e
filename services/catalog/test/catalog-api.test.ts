// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@paddock/http";
import type { ScenarioDetail, ScenarioList } from "@paddock/shared/api";
import { loadTask } from "@paddock/tasks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createContextPresetStore } from "../src/context-presets.js";
import { createEnvironmentStore } from "../src/environment-store.js";
import { openScenarioLibrary, type ScenarioLibrary } from "../src/scenario-library.js";
import { BROKEN_YAML, DUMMY, type LibraryFixture, libraryFixture } from "./library-fixture.js";

const logger = createLogger("catalog-test", "silent");

describe("catalog HTTP API", () => {
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

  const get = async (url: string) => app.inject({ method: "GET", url });

  it("lists scenarios grouped by service, sorted, skipping what is not a scenario", async () => {
    const response = await get("/scenarios");
    expect(response.statusCode).toBe(200);
    const body = response.json<ScenarioList>();
    expect(
      body.services.map((group) => [group.service, group.scenarios.map((scenario) => scenario.id)]),
    ).toEqual([
      ["broken", ["broken/broken.yaml"]],
      ["dummy", ["dummy/dummy.yaml", "dummy/included.yaml"]],
      ["http", ["http/nested/check.yml"]],
      ["keystone", ["keystone/authenticate.json"]],
    ]);
    const dummy = body.services[1]?.scenarios[0];
    expect(dummy).toMatchObject({
      id: "dummy/dummy.yaml",
      service: "dummy",
      title: "Dummy",
      description: "sleeps",
      tags: ["dummy", "smoke"],
      plugins: ["Dummy.dummy"],
      args: [
        { name: "times", required: false, default: 10 },
        { name: "concurrency", required: false, default: 2 },
        { name: "sleep", required: false, default: 0 },
      ],
    });
    expect(dummy?.error).toBeUndefined();
    expect(body.services[3]?.scenarios[0]).toMatchObject({
      title: "Authenticate",
      plugins: ["Authenticate.keystone"],
    });
  });

  it("lists a broken file with its file, line and message, without hiding the others", async () => {
    const body = (await get("/scenarios")).json<ScenarioList>();
    const broken = body.services[0]?.scenarios[0];
    expect(broken?.error?.file).toBe("broken/broken.yaml");
    expect(broken?.error?.line).toBeGreaterThanOrEqual(4);
    expect(broken?.error?.message).toMatch(/\S/);
    expect(broken?.title).toBe("Broken");
    const detail = (await get("/scenarios/broken/broken.yaml")).json<ScenarioDetail>();
    expect(detail.raw).toBe(BROKEN_YAML);
    expect(detail.parsed).toBeUndefined();
  });

  it("filters by service, text and tag", async () => {
    const ids = async (query: string) =>
      (await get(`/scenarios?${query}`))
        .json<ScenarioList>()
        .services.flatMap((group) => group.scenarios.map((scenario) => scenario.id));
    expect(await ids("service=dummy")).toEqual(["dummy/dummy.yaml", "dummy/included.yaml"]);
    expect(await ids("q=KEYSTONE")).toEqual(["keystone/authenticate.json"]);
    expect(await ids("q=httprequests")).toEqual(["http/nested/check.yml"]);
    expect(await ids("tag=smoke")).toEqual(["dummy/dummy.yaml"]);
    expect(await ids("tag=smoke&service=http")).toEqual([]);
    expect(await ids("service=none")).toEqual([]);
  });

  it("counts scenarios per service", async () => {
    expect((await get("/services")).json()).toEqual({
      services: [
        { service: "broken", scenarios: 1 },
        { service: "dummy", scenarios: 2 },
        { service: "http", scenarios: 1 },
        { service: "keystone", scenarios: 1 },
      ],
    });
  });

  it("serves one scenario with its text, args and the task rendered with its defaults", async () => {
    const response = await get("/scenarios/dummy/dummy.yaml");
    expect(response.statusCode).toBe(200);
    const detail = response.json<ScenarioDetail>();
    expect(detail.raw).toBe(DUMMY);
    expect(detail.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.parsed?.subtasks[0]?.workloads[0]).toMatchObject({
      scenario: "Dummy.dummy",
      args: { sleep: 0 },
      runner: { type: "constant", config: { times: 10, concurrency: 2 } },
    });
  });

  it("serves a scenario with includes expanded, so it renders without its folder", async () => {
    const detail = (await get("/scenarios/dummy/included.yaml")).json<ScenarioDetail>();
    expect(detail.raw).toContain('{% include "_runner.yaml" %}');
    expect(detail.expanded).toContain("serial: {times: {{ times }}}");
    expect(detail.parsed?.subtasks[0]?.workloads[0]?.runner).toEqual({
      type: "serial",
      config: { times: 3 },
    });
    const { task } = loadTask(detail.expanded ?? "", { path: detail.id, args: { times: 7 } });
    expect(task.subtasks[0]?.workloads[0]?.runner.config).toEqual({ times: 7 });
    expect((await get("/scenarios/dummy/dummy.yaml")).json<ScenarioDetail>().expanded).toBeUndefined();
  });

  it("serves a scenario that needs arguments without a parsed task", async () => {
    const detail = (await get("/scenarios/http/nested/check.yml")).json<ScenarioDetail>();
    expect(detail.args).toEqual([{ name: "url", required: true }]);
    expect(detail.title).toBe("Check <url>");
    expect(detail.plugins).toEqual(["HttpRequests.check_request"]);
    expect(detail.parsed).toBeUndefined();
    expect(detail.error).toBeUndefined();
  });

  it("answers 404 naming an unknown scenario", async () => {
    const response = await get("/scenarios/dummy/nope.yaml");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: "SCENARIO_NOT_FOUND", message: "There is no scenario 'dummy/nope.yaml' in the catalog" },
    });
  });

  it.each([
    "/scenarios/..%2F..%2Fetc%2Fpasswd",
    "/scenarios/dummy/..%2F..%2Fenvironments%2Flocal.yaml",
    "/scenarios/%2Fetc%2Fpasswd",
    "/scenarios/dummy%5C..%5Cx.yaml",
  ])("refuses a path that could leave the library: %s", async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("REQUEST_INVALID");
    expect(response.body).not.toContain("root:");
  });

  it("saves a scenario atomically and serves it at once", async () => {
    const text = DUMMY.replace("title: Dummy", "title: Saved");
    const created = await app.inject({
      method: "PUT",
      url: "/scenarios/new/saved.yaml",
      payload: { raw: text },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json<ScenarioDetail>()).toMatchObject({
      id: "new/saved.yaml",
      service: "new",
      title: "Saved",
    });
    expect(readFileSync(join(fixture.scenarios, "new", "saved.yaml"), "utf8")).toBe(text);

    const base = created.json<ScenarioDetail>().hash;
    const edited = await app.inject({
      method: "PUT",
      url: "/scenarios/new/saved.yaml",
      payload: { raw: text.replace("Saved", "Edited"), baseHash: base },
    });
    expect(edited.json<ScenarioDetail>().title).toBe("Edited");

    const stale = await app.inject({
      method: "PUT",
      url: "/scenarios/new/saved.yaml",
      payload: { raw: text, baseHash: base },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain("was changed on disk since it was opened");
  });

  it("refuses to save outside the library or as a non-scenario file", async () => {
    const outside = await app.inject({
      method: "PUT",
      url: "/scenarios/..%2Fescape.yaml",
      payload: { raw: "x: 1" },
    });
    expect(outside.statusCode).toBe(400);
    const fragment = await app.inject({
      method: "PUT",
      url: "/scenarios/dummy/_x.yaml",
      payload: { raw: "x: 1" },
    });
    expect(fragment.statusCode).toBe(400);
    expect(fragment.json().error.message).toContain("does not start with '_'");
  });

  it("lists environments with secrets unresolved, and broken ones with their problem", async () => {
    const body = (await get("/environments")).json();
    expect(body.environments.map((environment: { name: string }) => environment.name)).toEqual([
      "broken",
      "lab",
      "local",
    ]);
    expect(body.environments[0].error).toMatchObject({ file: "broken.yaml", line: expect.any(Number) });
    const lab = (await get("/environments/lab")).json();
    expect(lab).toEqual({
      name: "lab",
      description: "the lab",
      platform: "openstack",
      spec: {
        auth_url: "http://10.0.0.5/identity",
        admin: { username: "admin", password: "${OS_PASSWORD}" },
      },
      secrets: ["OS_PASSWORD"],
      file: "lab.yaml",
    });
  });

  it("answers 404 naming an unknown environment", async () => {
    const response = await get("/environments/mars");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: "ENVIRONMENT_NOT_FOUND", message: "There is no environment 'mars'" },
    });
  });

  it("is ready while the library folder is readable, and not once it is gone", async () => {
    expect((await get("/readyz")).json()).toEqual({
      status: "ok",
      service: "catalog",
      checks: { scenarios: true },
    });
    fixture.remove();
    const response = await get("/readyz");
    expect(response.statusCode).toBe(503);
    expect(response.json().checks).toEqual({ scenarios: false });
  });

  it("publishes its routes in the OpenAPI document", async () => {
    const document = (await get("/openapi.json")).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/scenarios",
        "/services",
        "/scenarios/{*}",
        "/environments",
        "/environments/{name}",
        "/contexts",
        "/contexts/{name}",
      ]),
    );
  });
});

describe("catalog with an API token", () => {
  it("refuses requests without the token, but not health checks", async () => {
    const fixture = libraryFixture();
    const library = await openScenarioLibrary({ root: fixture.scenarios, logger, watch: false });
    const app = await buildApp({
      library,
      environments: createEnvironmentStore({ root: fixture.environments }),
      contexts: createContextPresetStore({ root: fixture.contexts }),
      logger,
      apiToken: "s3cret",
    });
    try {
      expect((await app.inject({ method: "GET", url: "/scenarios" })).statusCode).toBe(401);
      expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      const authorized = await app.inject({
        method: "GET",
        url: "/scenarios/dummy/dummy.yaml",
        headers: { authorization: "Bearer s3cret" },
      });
      expect(authorized.statusCode).toBe(200);
    } finally {
      await app.close();
      await library.close();
      fixture.remove();
    }
  });
});
