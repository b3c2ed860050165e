/**
 * Creating, saving and deleting scenarios through the API: checked before anything is written,
 * atomic, and confined to the library. Every refused attack leaves every file (inside and outside
 * the library) exactly as it was.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createLogger } from "@paddock/http";
import type { ScenarioDetail } from "@paddock/shared/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createContextPresetStore } from "../src/context-presets.js";
import { createEnvironmentStore } from "../src/environment-store.js";
import { openScenarioLibrary, type ScenarioLibrary } from "../src/scenario-library.js";
import { DUMMY, type LibraryFixture, libraryFixture } from "./library-fixture.js";

const logger = createLogger("catalog-test", "silent");
const LIMIT = 8 * 1024;

/** Every file and link below `folder` (links not followed) with its content or target. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (path: string, name: string) => {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) files[name] = `-> ${readlinkSync(path)}`;
    else if (info.isDirectory()) {
      files[`${name}/`] = "";
      for (const item of readdirSync(path)) visit(join(path, item), name === "" ? item : `${name}/${item}`);
    } else files[name] = readFileSync(path, "utf8");
  };
  visit(folder, "");
  return files;
}

describe("saving and deleting scenarios", () => {
  let fixture: LibraryFixture;
  let library: ScenarioLibrary;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let outside: string;

  beforeEach(async () => {
    fixture = libraryFixture();
    outside = join(fixture.path, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "target.yaml"), "precious: true\n");
    symlinkSync(outside, join(fixture.scenarios, "escape"));
    symlinkSync(outside, join(fixture.scenarios, "dummy", "deep"));
    symlinkSync(join(outside, "target.yaml"), join(fixture.scenarios, "dummy", "link.yaml"));
    symlinkSync(join(fixture.scenarios, "dummy"), join(fixture.scenarios, "inner"));
    library = await openScenarioLibrary({
      root: fixture.scenarios,
      logger,
      watch: false,
      maxScenarioBytes: LIMIT,
    });
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

  const post = (payload: unknown) =>
    app.inject({ method: "POST", url: "/scenarios", payload: payload as object });
  const put = (id: string, raw: string) =>
    app.inject({ method: "PUT", url: `/scenarios/${id}`, payload: { raw } });
  const remove = (id: string) => app.inject({ method: "DELETE", url: `/scenarios/${id}` });

  it("creates a scenario, serves it at once, and refuses to create it twice", async () => {
    const text = DUMMY.replace("title: Dummy", "title: Created");
    const created = await post({ id: "fresh/deeper/created.yaml", raw: text });
    expect(created.statusCode).toBe(201);
    expect(created.json<ScenarioDetail>()).toMatchObject({
      id: "fresh/deeper/created.yaml",
      title: "Created",
    });
    expect(readFileSync(join(fixture.scenarios, "fresh", "deeper", "created.yaml"), "utf8")).toBe(text);
    expect(
      (await app.inject({ method: "GET", url: "/scenarios/fresh/deeper/created.yaml" })).statusCode,
    ).toBe(200);

    const again = await post({ id: "fresh/deeper/created.yaml", raw: DUMMY });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain("already exists");
    expect(readFileSync(join(fixture.scenarios, "fresh", "deeper", "created.yaml"), "utf8")).toBe(text);
    expect(readdirSync(join(fixture.scenarios, "fresh", "deeper"))).toEqual(["created.yaml"]);
  });

  it("refuses a text that does not load (422 with every problem) and writes nothing", async () => {
    const before = snapshot(fixture.path);
    const invalid = "version: 2\ntitle: Bad\nsubtasks:\n  - title: s\n    runner: {constant: {}}\n";
    const created = await post({ id: "fresh/bad.yaml", raw: invalid });
    expect(created.statusCode).toBe(422);
    expect(created.json().error).toMatchObject({
      code: "TASK_FILE_INVALID",
      problems: [{ path: "subtasks[0]", line: 4, message: expect.stringContaining("scenario") }],
    });
    const saved = await put("dummy/dummy.yaml", "version: 2\nsubtasks: [oops\n");
    expect(saved.statusCode).toBe(422);
    expect(saved.json().error.code).toBe("TASK_FILE_INVALID");
    expect(saved.json().error.problems[0]).toMatchObject({ line: expect.any(Number) });
    const template = await put("dummy/dummy.yaml", "{% if %}\n");
    expect(template.statusCode).toBe(422);
    expect(snapshot(fixture.path)).toEqual(before);
  });

  it("accepts a Rally file whose arguments have no default", async () => {
    const text =
      "version: 2\ntitle: Check {{ url }}\nsubtasks:\n  - scenario: {HttpRequests.check_request: {url: '{{ url }}', method: GET}}\n";
    expect((await post({ id: "http/needs-url.yaml", raw: text })).statusCode).toBe(201);
  });

  it("deletes a scenario, which then is gone from the list; a stale hash keeps it", async () => {
    const detail = (
      await app.inject({ method: "GET", url: "/scenarios/dummy/dummy.yaml" })
    ).json<ScenarioDetail>();
    const stale = await app.inject({
      method: "DELETE",
      url: `/scenarios/dummy/dummy.yaml?baseHash=${"0".repeat(64)}`,
    });
    expect(stale.statusCode).toBe(409);
    expect(existsSync(join(fixture.scenarios, "dummy", "dummy.yaml"))).toBe(true);
    const deleted = await app.inject({
      method: "DELETE",
      url: `/scenarios/dummy/dummy.yaml?baseHash=${detail.hash}`,
    });
    expect(deleted.statusCode).toBe(204);
    expect(existsSync(join(fixture.scenarios, "dummy", "dummy.yaml"))).toBe(false);
    expect((await app.inject({ method: "GET", url: "/scenarios/dummy/dummy.yaml" })).statusCode).toBe(404);
    expect((await remove("dummy/dummy.yaml")).statusCode).toBe(404);
    expect((await remove("nowhere/x.yaml")).statusCode).toBe(404);
  });

  describe("refuses every way out of the library, changing nothing", () => {
    const attacks: [string, () => Promise<{ statusCode: number; body: string }>, number][] = [
      ["POST ../", () => post({ id: "../escape.yaml", raw: DUMMY }), 400],
      ["POST service/../../", () => post({ id: "dummy/../../escape.yaml", raw: DUMMY }), 400],
      ["PUT ../ (encoded)", () => put("..%2Fescape.yaml", DUMMY), 400],
      ["PUT service/../../ (encoded)", () => put("dummy/..%2F..%2Fescape.yaml", DUMMY), 400],
      ["DELETE ../ (encoded)", () => remove("dummy/..%2F..%2Fenvironments%2Flocal.yaml"), 400],
      ["POST absolute", () => post({ id: "/tmp/escape.yaml", raw: DUMMY }), 400],
      ["POST absolute (drive)", () => post({ id: "C:/escape.yaml", raw: DUMMY }), 400],
      ["PUT absolute (encoded)", () => put("%2Ftmp%2Fescape.yaml", DUMMY), 400],
      ["POST backslash", () => post({ id: "dummy\\..\\..\\escape.yaml", raw: DUMMY }), 400],
      ["POST NUL", () => post({ id: "dummy/x.yaml\u0000.txt", raw: DUMMY }), 400],
      ["PUT NUL (encoded)", () => put("dummy/x%00.yaml", DUMMY), 400],
      ["DELETE NUL (encoded)", () => remove("dummy/dummy.yaml%00"), 400],
      ["POST symlinked folder", () => post({ id: "escape/new.yaml", raw: DUMMY }), 400],
      ["POST below a symlinked folder", () => post({ id: "escape/sub/new.yaml", raw: DUMMY }), 400],
      ["PUT symlinked folder", () => put("escape/target.yaml", DUMMY), 400],
      ["PUT nested symlinked folder", () => put("dummy/deep/sub/new.yaml", DUMMY), 400],
      ["PUT symlinked file", () => put("dummy/link.yaml", DUMMY), 400],
      ["DELETE symlinked file", () => remove("dummy/link.yaml"), 400],
      ["DELETE through a symlinked folder", () => remove("escape/target.yaml"), 400],
      ["PUT symlink inside the library", () => put("inner/dummy.yaml", DUMMY), 400],
      ["POST not a scenario extension", () => post({ id: "dummy/run.sh", raw: DUMMY }), 400],
      ["POST no service folder", () => post({ id: "top.yaml", raw: DUMMY }), 400],
      ["POST into _contexts", () => post({ id: "_contexts/x.yaml", raw: DUMMY }), 400],
      ["POST hidden file", () => post({ id: "dummy/.x.yaml", raw: DUMMY }), 400],
      ["POST huge text", () => post({ id: "dummy/huge.yaml", raw: `# ${"x".repeat(LIMIT)}\n${DUMMY}` }), 413],
      ["PUT huge text", () => put("dummy/dummy.yaml", `# ${"x".repeat(LIMIT)}\n${DUMMY}`), 413],
      ["PUT huge body", () => put("dummy/dummy.yaml", "x".repeat(LIMIT * 40)), 413],
      ["POST huge body", () => post({ id: "dummy/huge.yaml", raw: "x".repeat(LIMIT * 40) }), 413],
    ];

    it.each(attacks)("%s", async (_name, attack, status) => {
      const before = snapshot(fixture.path);
      const response = await attack();
      expect(response.statusCode).toBe(status);
      const error = JSON.parse(response.body).error;
      expect(error.message).toMatch(/\S/);
      if (status === 413) {
        expect(error).toEqual({
          code: "SCENARIO_TOO_LARGE",
          message: `The scenario is too large: the catalog accepts at most ${LIMIT} bytes (8 KiB, PADDOCK_SCENARIO_MAX_BYTES)`,
        });
      } else {
        expect(error.code).toBe("REQUEST_INVALID");
      }
      expect(snapshot(fixture.path)).toEqual(before);
      expect(readFileSync(join(outside, "target.yaml"), "utf8")).toBe("precious: true\n");
    });

    it("says why a symbolic link is refused", async () => {
      expect((await post({ id: "escape/new.yaml", raw: DUMMY })).json().error.message).toBe(
        "Cannot use scenario 'escape/new.yaml': 'escape' is a symbolic link leading outside the scenario library",
      );
      expect((await put("inner/dummy.yaml", DUMMY)).json().error.message).toBe(
        "Cannot use scenario 'inner/dummy.yaml': 'inner' is a symbolic link; the library does not follow links",
      );
    });
  });

  it("leaves no temporary file behind and keeps the old text until the new one is complete", async () => {
    const text = DUMMY.replace("title: Dummy", "title: Replaced");
    expect((await put("dummy/dummy.yaml", text)).statusCode).toBe(200);
    expect(readdirSync(join(fixture.scenarios, "dummy")).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(readFileSync(join(fixture.scenarios, "dummy", "dummy.yaml"), "utf8")).toBe(text);
  });
});
