import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@paddock/http";
import { eventually } from "@paddock/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openScenarioLibrary, type ScenarioLibrary } from "../src/scenario-library.js";
import { DUMMY, type LibraryFixture, libraryFixture } from "./library-fixture.js";

const logger = createLogger("catalog-test", "silent");

describe("scenario library hot reload", () => {
  let fixture: LibraryFixture;
  let library: ScenarioLibrary;

  const ids = () =>
    library.list().services.flatMap((group) => group.scenarios.map((scenario) => scenario.id));
  const titleOf = (id: string) => {
    try {
      return library.get(id).title;
    } catch {
      return undefined;
    }
  };

  beforeEach(async () => {
    fixture = libraryFixture();
    library = await openScenarioLibrary({ root: fixture.scenarios, logger, debounceMs: 50, rootPollMs: 100 });
  });

  afterEach(async () => {
    await library.close();
    fixture.remove();
  });

  it("shows a new file, an edit and a deletion without a restart", async () => {
    expect(ids()).not.toContain("dummy/second.yaml");
    fixture.write("scenarios/dummy/second.yaml", DUMMY.replace("title: Dummy", "title: Second"));
    await eventually(() => ids().includes("dummy/second.yaml"), 20_000, "the new scenario to be listed");
    expect(titleOf("dummy/second.yaml")).toBe("Second");

    fixture.write("scenarios/dummy/second.yaml", DUMMY.replace("title: Dummy", "title: Edited"));
    await eventually(() => titleOf("dummy/second.yaml") === "Edited", 20_000, "the edit to show");

    rmSync(join(fixture.scenarios, "dummy", "second.yaml"));
    await eventually(() => !ids().includes("dummy/second.yaml"), 20_000, "the deleted scenario to go");
    expect(ids()).toContain("dummy/dummy.yaml");
  });

  it("follows renames and new service folders", async () => {
    mkdirSync(join(fixture.scenarios, "glance", "images"), { recursive: true });
    fixture.write("scenarios/glance/images/list.yaml", DUMMY);
    await eventually(() => ids().includes("glance/images/list.yaml"), 20_000, "the new service folder");
    renameSync(
      join(fixture.scenarios, "glance", "images", "list.yaml"),
      join(fixture.scenarios, "glance", "list.yaml"),
    );
    await eventually(
      () => ids().includes("glance/list.yaml") && !ids().includes("glance/images/list.yaml"),
      20_000,
      "the renamed scenario",
    );
    expect(library.services().services.find((service) => service.service === "glance")?.scenarios).toBe(1);
  });

  it("lists a file broken by an edit with its problem, and recovers when it is fixed", async () => {
    fixture.write("scenarios/dummy/dummy.yaml", "version: 2\ntitle: [oops\n");
    await eventually(() => library.get("dummy/dummy.yaml").error, 20_000, "the problem to show");
    fixture.write("scenarios/dummy/dummy.yaml", DUMMY);
    await eventually(() => library.get("dummy/dummy.yaml").error === undefined, 20_000, "the fix to show");
  });

  it("reloads a scenario when a file it includes changes", async () => {
    const runnerOf = () => library.get("dummy/included.yaml").parsed?.subtasks[0]?.workloads[0]?.runner;
    expect(runnerOf()).toEqual({ type: "serial", config: { times: 3 } });
    fixture.write(
      "scenarios/dummy/_runner.yaml",
      "    runner:\n      constant: {times: {{ times }}, concurrency: 1}\n",
    );
    await eventually(() => runnerOf()?.type === "constant", 20_000, "the included change to show");
  });

  it("empties when the folder goes away and fills again when it comes back", async () => {
    const moved = `${fixture.scenarios}-away`;
    renameSync(fixture.scenarios, moved);
    await eventually(() => ids().length === 0, 20_000, "the library to empty");
    expect(await library.isReadable()).toBe(false);
    renameSync(moved, fixture.scenarios);
    await eventually(() => ids().includes("dummy/dummy.yaml"), 20_000, "the library to come back");
    fixture.write("scenarios/dummy/after.yaml", DUMMY);
    await eventually(() => ids().includes("dummy/after.yaml"), 20_000, "changes after the comeback");
  });
});
