/** The TUI's catalog client against a real catalog on loopback: the render the start form uses. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RealCatalog, SLEEPY_SCENARIO, startRealCatalog } from "../../test/support/real-catalog.js";
import { type CatalogApi, createCatalogClient } from "./catalog-client.js";
import { createHttpClient } from "./http-client.js";

describe("the catalog client's render", () => {
  let real: RealCatalog;
  let catalog: CatalogApi;

  beforeAll(async () => {
    real = await startRealCatalog({ "dummy/sleepy.yaml": SLEEPY_SCENARIO });
    catalog = createCatalogClient(
      createHttpClient({ service: "catalog", baseUrl: real.url, timeoutMs: 5000 }),
    );
  });

  afterAll(() => real.stop());

  it("renders with the arguments typed, then with a workload's runner, contexts and SLA edited", async () => {
    const plain = await catalog.renderScenario("dummy/sleepy.yaml", { args: { times: 25 } });
    expect(plain.valid).toBe(true);
    expect(plain.task?.subtasks[0]?.workloads[0]?.runner).toEqual({
      type: "constant",
      config: { times: 25, concurrency: 2 },
    });

    const edited = await catalog.renderScenario("dummy/sleepy.yaml", {
      args: { times: 25 },
      overrides: [
        {
          workload: { subtaskIndex: 0, position: 0 },
          runner: { type: "rps", config: { times: 30, rps: 5 } },
          contexts: { dummy_context: {} },
          contextsMode: "replace",
          sla: { failure_rate: null, max_seconds_per_iteration: 2 },
        },
      ],
    });
    expect(edited.valid).toBe(true);
    const workload = edited.task?.subtasks[0]?.workloads[0];
    expect(workload?.runner).toEqual({ type: "rps", config: { times: 30, rps: 5 } });
    expect(workload?.contexts).toEqual({ dummy_context: {} });
    expect(workload?.sla).toEqual({ max_seconds_per_iteration: 2 });
  });

  it("refuses, naming the field, an edit that is not an override or addresses a workload the task lacks", async () => {
    await expect(
      catalog.renderScenario("dummy/sleepy.yaml", {
        overrides: [{ workload: "*", runner: { type: "", config: {} } }],
      }),
    ).rejects.toThrow(/overrides\/0\/runner\/type/);
    await expect(
      catalog.renderScenario("dummy/sleepy.yaml", {
        overrides: [{ workload: { subtaskIndex: 3, position: 0 }, sla: { failure_rate: { max: 1 } } }],
      }),
    ).rejects.toThrow(/there is no subtask 3/);
  });

  it("saves a previewed task as a new scenario, checked by the catalog, and never over an existing one", async () => {
    const edited = await catalog.renderScenario("dummy/sleepy.yaml", { args: { times: 7 } });
    const raw =
      "version: 2\ntitle: Sleepy, saved\nsubtasks:\n  - title: sleep\n    workloads:\n      - scenario: {Dummy.dummy: {sleep: 0}}\n        runner: {constant: {times: 7, concurrency: 2}}\n";
    expect(edited.valid).toBe(true);
    const saved = await catalog.createScenario("dummy/sleepy-saved.yaml", raw);
    expect(saved).toMatchObject({ id: "dummy/sleepy-saved.yaml", title: "Sleepy, saved", raw });
    expect((await catalog.getScenario("dummy/sleepy-saved.yaml")).raw).toBe(raw);
    await expect(catalog.createScenario("dummy/sleepy.yaml", raw)).rejects.toThrow(/exists/i);
    await expect(
      catalog.createScenario("dummy/broken.yaml", "version: 2\nsubtasks: [unclosed\n"),
    ).rejects.toThrow(/broken\.yaml/);
    expect((await catalog.getScenario("dummy/sleepy.yaml")).raw).toBe(SLEEPY_SCENARIO);
  });
});
