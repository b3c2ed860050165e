/**
 * The start flow from a scenario: `e` (a form validated by the runner as you type) and `E`
 * (a copy edited in $EDITOR — a real script here — while the TUI is suspended).
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StartTaskRequest } from "@paddock/shared/api";
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

/** The runner's checks that matter here: `times` must be an integer, the environment must exist. */
function strictRunner(clients: ReturnType<typeof twinClients>, validated: StartTaskRequest[]) {
  clients.runner.validateTask = async (request) => {
    validated.push(request);
    const times = request.args?.times;
    if (times !== undefined && !Number.isInteger(times)) {
      throw new ServiceError(
        "runner",
        422,
        "TASK_INVALID",
        "dummy/dummy.yaml is not a valid task (1 problem)",
        {
          problems: [
            {
              path: "subtasks[0].workloads[0].runner.times",
              message: `must be an integer, got ${JSON.stringify(times)}`,
            },
          ],
        },
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
    expect(form).toMatch(/ {2}environment\s+‹ local › ←\/→/);
    expect(form).toContain("Tab/↓ next field  ←/→ environment  Enter start  Esc cancel");
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

    for (let index = 0; index < 3; index += 1) await ui.press(KEYS.tab);
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
