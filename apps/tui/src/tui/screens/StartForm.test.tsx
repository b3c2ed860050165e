/**
 * The start flow from a scenario: `e` (a form validated by the runner as you type) and `E`
 * (a copy edited in $EDITOR — a real script here — while the TUI is suspended).
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StartTaskRequest } from "@paddock/shared/api";
import { loadRenderedTask } from "@paddock/tasks";
import { tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { environmentList } from "../../../test/fixtures/index.js";
import { expectFits } from "../../../test/support/frames.js";
import { KEYS, type RenderedTui, renderTui } from "../../../test/support/render-tui.js";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { ServiceError } from "../../errors.js";
import { App } from "../App.js";

const STARTED_ID = "7a5c0000-1111-4222-8333-444455556666";

let ui: RenderedTui | undefined;
const cleanups: (() => void)[] = [];
afterEach(() => {
  ui?.unmount();
  ui = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * The runner's checks that matter here, with its paths and words: `times` must be an integer,
 * `constant_for_duration` needs `duration`, contexts must exist, `failure_rate.max` is at most 100.
 * The task checked is the one the catalog twin renders with the request's args and overrides.
 */
function strictRunner(clients: ReturnType<typeof twinClients>, validated: StartTaskRequest[]) {
  clients.runner.validateTask = async (request) => {
    validated.push(request);
    const problems: { path: string; message: string }[] = [];
    const times = request.args?.times;
    if (times !== undefined && !Number.isInteger(times)) {
      problems.push({
        path: "subtasks[0].workloads[0].runner.times",
        message: `must be an integer, got ${JSON.stringify(times)}`,
      });
    }
    const rendered = await clients.catalog.renderScenario(request.scenarioId ?? "", {
      args: request.args ?? {},
      overrides: request.overrides ?? [],
    });
    const workload = rendered.task?.subtasks[0]?.workloads[0];
    const at = "subtasks[0].workloads[0]";
    if (workload?.runner.type === "constant_for_duration" && workload.runner.config.duration === undefined) {
      problems.push({
        path: `${at}.runner.constant_for_duration`,
        message: "'duration' is a required property",
      });
    }
    for (const name of Object.keys(workload?.contexts ?? {})) {
      if (name !== "dummy_context") {
        problems.push({ path: `${at}.contexts`, message: `There is no Context plugin '${name}'` });
      }
    }
    const max = (workload?.sla.failure_rate as { max?: number } | undefined)?.max;
    if (max !== undefined && max > 100) {
      problems.push({
        path: `${at}.sla.failure_rate.max`,
        message: `${max} is greater than the maximum of 100.0`,
      });
    }
    if (problems.length > 0) {
      throw new ServiceError(
        "runner",
        422,
        "TASK_INVALID",
        `dummy/dummy.yaml is not a valid task (${problems.length} problem${problems.length === 1 ? "" : "s"})`,
        { problems },
      );
    }
  };
}

async function openDummy(editor?: string) {
  const clients = twinClients({ environments: environmentList });
  const validated: StartTaskRequest[] = [];
  strictRunner(clients, validated);
  ui = renderTui(
    <App
      deps={{ clients, bus: twinBus(), resultsWaitMs: 1000, validateMs: 20, ...(editor ? { editor } : {}) }}
    />,
  );
  await ui.waitFor("› dummy");
  await ui.press(KEYS.enter);
  await ui.waitFor("Plugins Dummy.dummy");
  return { clients, validated, ui };
}

describe("e: the start form", () => {
  it("edits the arguments with the runner's verdict as you type, picks an environment, tags, and starts", async () => {
    const { ui, clients, validated } = await openDummy();
    await ui.press("e");
    const form = await ui.waitFor("✓ the runner accepts this task");
    expect(form).toMatch(/› times\s+100\s+number/);
    expect(form).toMatch(/ {2}concurrency\s+4 number/);
    expect(form).toMatch(/ {2}environment\s+‹ local ›\n/);
    expect(form).toMatch(/ {2}runner\s+‹ constant › as rendered/);
    expect(form).toMatch(/ {4}times\s+100\n/);
    expect(form).toMatch(/ {4}failure_rate\s+\{max: 0\}/);
    expect(form).toContain("Tab/↓ next field  ←/→ choose  Ctrl-P preview  Enter start  Esc cancel");
    expect(form.split("\n")[1]).toMatch(/^─ Scenarios › dummy › Dummy — the smallest benchmark ─+$/);
    expectFits(form);

    for (let index = 0; index < 3; index += 1) await ui.press(KEYS.backspace);
    for (const char of "2.5") await ui.press(char);
    const invalid = await ui.waitFor("✗ dummy/dummy.yaml is not a valid task");
    expect(invalid).toMatch(/› times\s+2\.5\s+number\n.* {4}✗ must be an integer, got 2\.5\n/);
    await ui.press(KEYS.enter);
    await ui.waitFor("not started: dummy/dummy.yaml is not a valid task");
    expect(clients.started).toEqual([]);

    for (let index = 0; index < 3; index += 1) await ui.press(KEYS.backspace);
    await ui.press("x");
    await ui.waitFor("✗ a string, but the default (100) is a number");
    await ui.press(KEYS.backspace);
    for (const char of "250") await ui.press(char);
    await ui.waitFor("✓ the runner accepts this task");
    expect(validated.at(-1)).toEqual({
      scenarioId: "dummy/dummy.yaml",
      args: { times: 250, concurrency: 4, sleep: 0.01 },
      environment: "local",
    });

    await ui.press(KEYS.shiftTab);
    await ui.press(KEYS.shiftTab);
    await ui.waitFor(/› environment\s+‹ local ›/);
    await ui.press(KEYS.right);
    await ui.waitFor("‹ devstack ›");
    await ui.press(KEYS.down);
    for (const char of "smoke, ci") await ui.press(char);
    await ui.waitFor(/› tags\s+smoke, ci/);
    await ui.press(KEYS.enter);
    await ui.waitFor(`Task ${STARTED_ID}`);
    expect(clients.started).toEqual([
      {
        scenarioId: "dummy/dummy.yaml",
        args: { times: 250, concurrency: 4, sleep: 0.01 },
        environment: "devstack",
        tags: ["smoke", "ci"],
      },
    ]);
  });

  it("applies a burst of keys in one read in full (tmux send-keys, a fast typist)", async () => {
    const { ui } = await openDummy();
    await ui.press("e");
    await ui.waitFor("✓ the runner accepts this task");
    await ui.press("\u007F\u007F\u007F2x\u007F50\t\u007F8");
    const typed = await ui.waitFor(/› concurrency\s+8\s+number/);
    expect(typed).toMatch(/ {2}times\s+250 +number/);
  });

  it("edits the runner, contexts and SLA, checked as you type, previews the task, and starts it with the edits", async () => {
    const { ui, clients } = await openDummy();
    await ui.press("e");
    await ui.waitFor("✓ the runner accepts this task");
    for (let index = 0; index < 3; index += 1) await ui.press(KEYS.tab);
    await ui.waitFor(/› runner\s+‹ constant ›/);
    await ui.press(KEYS.right);
    const duration = await ui.waitFor("✗ 'duration' is a required property");
    expect(duration).toMatch(/› runner\s+‹ constant_for_duration › edited\n.*✗ 'duration' is a required/);
    expect(duration).toMatch(/ {4}concurrency\s+4\n/);
    expect(duration).toMatch(/ {4}duration\s+default/);
    expect(duration.slice(duration.indexOf("› runner"), duration.indexOf("+ option"))).not.toContain("times");
    expectFits(duration);

    await ui.press(KEYS.tab);
    await ui.press(KEYS.tab);
    await ui.waitFor(/› {3}duration/);
    await ui.press("5");
    await ui.waitFor("✓ the runner accepts this task");

    // A context typed in the + row is added by Enter; one the runner does not know is named next to it.
    for (let index = 0; index < 4; index += 1) await ui.press(KEYS.tab);
    await ui.waitFor(/› {3}\+ context/);
    await ui.press("dummy_contxt: {}");
    await ui.press(KEYS.enter);
    const unknown = await ui.waitFor("✗ There is no Context plugin 'dummy_contxt'");
    expect(unknown).toMatch(/ {4}dummy_contxt\s+\{\}\n.*✗ There is no Context plugin 'dummy_contxt'/);
    await ui.press(KEYS.shiftTab);
    await ui.waitFor(/› {3}dummy_contxt/);
    await ui.press("\u0015");
    await ui.waitFor(/› {3}dummy_contxt\s+removed/);
    await ui.press(KEYS.tab);
    await ui.press("dummy_context: {}");
    await ui.press(KEYS.enter);
    await ui.waitFor(/ {4}dummy_context\s+\{\}/);

    // The SLA: a value out of range, a row that is not YAML, then a criterion added.
    await ui.press(KEYS.tab);
    await ui.waitFor(/› {3}failure_rate\s+\{max: 0\}/);
    await ui.press("\u0015{max: 200}");
    await ui.waitFor("✗ 200 is greater than the maximum of 100.0");
    await ui.press("\u007F");
    await ui.waitFor(/✗ not YAML: /);
    await ui.press("\u0015{max: 5}");
    await ui.press(KEYS.tab);
    await ui.press("max_seconds_per_iteration: 2");
    await ui.press(KEYS.enter);
    const ready = await ui.waitFor(
      / {4}max_seconds_per_iteration\s+2\n[\s\S]*✓ the runner accepts this task/,
    );
    expectFits(ready);

    await ui.press("\u0010");
    const preview = await ui.waitFor("✓ a valid task");
    expect(preview).toContain("Preview of dummy/dummy.yaml");
    expect(preview).toContain("↑/↓ scroll  Enter start  Ctrl-S save as  Esc/Ctrl-P back to the form");
    expect(preview).toMatch(/lines \d+–27 of 27\n.* {4}tags: \[\]\n/);
    expect(preview).toMatch(/constant_for_duration:\n\s+concurrency: 4\n\s+duration: 5/);
    expect(preview).toMatch(/dummy_context: \{\}[\s\S]*max_seconds_per_iteration: 2/);
    expectFits(preview);
    await ui.press(KEYS.pageUp);
    await ui.waitFor(/lines 1–18 of 27\n.*version: 2/);
    await ui.press(KEYS.escape);
    await ui.waitFor("Ctrl-P preview");

    await ui.press(KEYS.shiftTab);
    await ui.press(KEYS.enter);
    await ui.waitFor(`Task ${STARTED_ID}`);
    expect(clients.started).toEqual([
      {
        scenarioId: "dummy/dummy.yaml",
        args: { times: 100, concurrency: 4, sleep: 0.01 },
        environment: "local",
        overrides: [
          {
            workload: { subtaskIndex: 0, position: 0 },
            runner: { type: "constant_for_duration", config: { concurrency: 4, duration: 5 } },
            contexts: { dummy_context: {} },
            contextsMode: "replace",
            sla: { failure_rate: { max: 5 }, max_seconds_per_iteration: 2 },
          },
        ],
      },
    ]);
  });

  it("saves the previewed task as a new catalog scenario (Ctrl-S), refusing an id that exists", async () => {
    const { ui, clients } = await openDummy();
    await ui.press("e");
    await ui.waitFor("✓ the runner accepts this task");
    await ui.press("\u0015250");
    await ui.waitFor(/› times\s+250/);
    await ui.press("\u0010");
    await ui.waitFor("✓ a valid task");
    await ui.press("\u0013");
    const prompt = await ui.waitFor("Save as new scenario: dummy/dummy-edited.yaml");
    expect(prompt).toMatch(/Enter save\s+Esc back to the preview/);
    expectFits(prompt);
    await ui.press("\u0015dummy/dummy.yaml");
    await ui.press(KEYS.enter);
    await ui.waitFor("dummy/dummy.yaml: not saved: Scenario 'dummy/dummy.yaml' already exists");
    expect(clients.created).toEqual([]);
    await ui.press("\u0015dummy/quick.yaml");
    await ui.press(KEYS.enter);
    await ui.waitFor("Saved dummy/quick.yaml — the task as previewed, now in the catalog");
    expect(clients.created.map((entry) => entry.id)).toEqual(["dummy/quick.yaml"]);
    // What was saved is the task previewed: it loads back to the catalog's render of the form.
    const last = clients.rendered.at(-1);
    const previewed = await clients.catalog.renderScenario("dummy/dummy.yaml", last?.request ?? {});
    expect(previewed.task?.subtasks[0]?.workloads[0]?.runner.config).toMatchObject({ times: 250 });
    expect(loadRenderedTask(clients.created[0]?.raw ?? "", "dummy/quick.yaml").task).toEqual(previewed.task);
    expect(clients.started).toEqual([]);
  });

  it("closes on Esc without starting, and refuses a required argument left empty", async () => {
    const { ui, clients } = await openDummy();
    await ui.press("e");
    await ui.waitFor("Start dummy/dummy.yaml with");
    await ui.press(KEYS.escape);
    await ui.waitFor("s start");
    await ui.press(KEYS.escape);
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter);
    await ui.waitFor("One URL, constant load");
    await ui.press("e");
    const required = await ui.waitFor("✗ required: this scenario has no default for");
    expect(required).toMatch(/› url\s+required/);
    await ui.press(KEYS.enter);
    await ui.waitFor("http/check-request.yaml: url is required");
    expect(clients.started).toEqual([]);
  });
});

describe("E: $EDITOR", () => {
  function editorScript(body: string): string {
    const dir = tempDir("paddock-editor-");
    cleanups.push(() => dir.remove());
    const script = join(dir.path, "editor.sh");
    writeFileSync(script, `#!/bin/sh\n${body}\n`);
    chmodSync(script, 0o755);
    return script;
  }

  it("suspends the TUI, lets the editor change a copy, resumes and starts the edited text", async () => {
    const script = editorScript(`sed -i 's/times or 100/times or 7/' "$1"`);
    const { ui, clients } = await openDummy(script);
    await ui.press("E");
    const live = await ui.waitFor(`Task ${STARTED_ID}`);
    expect(live).toContain(`Started task ${STARTED_ID} (dummy/dummy.yaml, edited)`);
    expect(clients.started).toHaveLength(1);
    const [request] = clients.started;
    expect(request?.path).toBe("dummy/dummy.yaml");
    expect(request?.task).toMatch(
      /^\{# paddock: edit freely; this task starts when you save and quit\. args: times=100 concurrency=4 sleep=0\.01 #\}\n\{% set times = times or 7 %\}\n/,
    );
    await ui.press("1");
    await ui.waitFor("Plugins Dummy.dummy");
  });

  it("starts nothing when the editor fails or leaves the file empty", async () => {
    const failing = await openDummy(editorScript("exit 3"));
    await failing.ui.press("E");
    await failing.ui.waitFor("editor.sh exited with status 3; nothing was started");
    expect(failing.clients.started).toEqual([]);
    failing.ui.unmount();

    const emptying = await openDummy(editorScript(`: > "$1"`));
    await emptying.ui.press("E");
    await emptying.ui.waitFor("The edited copy of dummy/dummy.yaml is empty: nothing started");
    expect(emptying.clients.started).toEqual([]);
  });
});
