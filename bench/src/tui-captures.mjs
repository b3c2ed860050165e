/**
 * `node bench/src/tui-captures.mjs [COLUMNS ROWS]` (after `npx turbo run build`): the README's
 * screens, captured from the real TUI in tmux on a real stack over the repository's scenario
 * library — catalog, start form, live task, tasks, report, compare, environments — printed as
 * text (trailing spaces cut, runs of blank rows shortened to one), each under a `### <screen>`
 * heading. Two short tasks run first so the history has something to compare. Everything started
 * is stopped afterwards.
 */
import { join } from "node:path";
import { ROOT } from "./lib/paddock-stack.mjs";
import { sleep } from "./lib/report.mjs";
import { HAS_TMUX, startTui, startTuiStack } from "./tui-tmux.mjs";

const columns = Number(process.argv[2] ?? 100);
const rows = Number(process.argv[3] ?? 30);

/** Starts a catalog scenario over HTTP and waits until the results service holds it finished. */
async function runScenario(stack, scenarioId, args) {
  const response = await fetch(`${stack.runner.url}/tasks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scenarioId, args }),
  });
  const { taskId } = await response.json();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const detail = await fetch(`${stack.results.url}/tasks/${taskId}`).then((answer) =>
      answer.ok ? answer.json() : undefined,
    );
    if (detail?.status === "finished" && detail.workloads.every((workload) => workload.statistics))
      return taskId;
    await sleep(250);
  }
  throw new Error(`task ${taskId} did not finish within 120 s`);
}

/** Prints a capture: trailing spaces cut, runs of blank rows shortened to one. */
function show(name, screen) {
  const text = screen
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd();
  console.log(`### ${name}\n\n\`\`\`text\n${text}\n\`\`\`\n`);
}

async function main() {
  if (!HAS_TMUX) throw new Error("tmux is not installed (Debian: apt-get install tmux)");
  const stack = await startTuiStack(join(ROOT, "scenarios"));
  const tui = startTui(stack, { columns, rows, name: `paddock-captures-${process.pid}` });
  try {
    await runScenario(stack, "dummy/dummy.yaml", { times: 200, sleep: 0.005 });
    await runScenario(stack, "dummy/dummy.yaml", { times: 200, sleep: 0.006 });

    await tui.until("the catalog", (text) => /● results/.test(text) && text.includes("dummy"));
    tui.keys("j");
    show("Catalog: the services", await tui.until("dummy selected", (text) => /› dummy/.test(text)));
    tui.keys("Enter");
    await tui.until("the dummy scenarios", (text) => text.includes("Dummy — the smallest benchmark"));
    tui.type("/smallest");
    tui.keys("Enter");
    show(
      "Catalog: a scenario",
      await tui.until(
        "the scenario's detail",
        (text) => text.includes("/smallest 1/6") && /Plugins Dummy\.dummy$/m.test(text),
      ),
    );

    tui.keys("e");
    await tui.until("the runner's verdict", (text) => text.includes("✓ the runner accepts this task"));
    tui.keys("C-u");
    tui.type("6000");
    show(
      "Start form",
      await tui.until(
        "the edited form judged",
        (text) => /times\s+6000/.test(text) && text.includes("✓ the runner"),
      ),
    );
    // To the runner's concurrency: concurrency, sleep, runner type, times, concurrency.
    tui.keys("Tab", "Tab", "Tab", "Tab", "Tab");
    await tui.until("the runner's concurrency focused", (text) => /› {3}concurrency/.test(text));
    tui.keys("C-u");
    tui.type("0");
    show(
      "Start form: a runner option the runner refuses, named next to it",
      await tui.until("the runner's verdict on concurrency 0", (text) => text.includes("✗ 0 is less than")),
    );
    tui.keys("BSpace");
    tui.type("8");
    await tui.until("concurrency 8 accepted", (text) => text.includes("✓ the runner accepts this task"));
    tui.keys("C-p");
    show(
      "Start form: Ctrl-P previews the task the catalog renders, edits applied",
      await tui.until(
        "the preview",
        (text) => text.includes("✓ a valid task") && /concurrency: 8/.test(text),
      ),
    );
    tui.keys("Escape");
    await tui.until("the form again", (text) => text.includes("Ctrl-P preview"));

    tui.keys("Enter");
    await tui.until("the live task", (text) => /\d+\/6000 \((\d+)%\)/.test(text));
    show(
      "Live task",
      await tui.until(
        "the progress a third of the way",
        (text) => Number(/\/6000 \((\d+)%\)/.exec(text)?.[1]) >= 30,
      ),
    );
    tui.keys("]");
    show(
      "Live task: `]` shows the latency histogram since the start",
      await tui.until("the histogram section", (text) => text.includes("iterations since the start")),
    );
    tui.keys("]");
    show(
      "Live task: `]` again, the atomic actions",
      await tui.until("the atomics section", (text) => /^action +count +failed/m.test(text)),
    );
    await tui.until("the report", (text) => text.includes("Response Times"), 120_000);

    tui.keys("3");
    show("Tasks", await tui.until("the history", (text) => text.includes("3 tasks")));

    tui.keys("j");
    tui.keys("Enter");
    show(
      "Report",
      await tui.until("a finished task's report", (text) => text.includes("Response Times (sec)")),
    );

    tui.keys("Escape");
    await tui.until("the history again", (text) => text.includes("3 tasks"));
    tui.keys("Space", "Space");
    await tui.until("two marked", (text) => text.includes("2 marked"));
    tui.keys("c");
    show("Compare", await tui.until("the comparison", (text) => text.includes("baseline")));

    tui.keys("Escape");
    await tui.until("the history again", (text) => text.includes("2 marked"));
    tui.keys("4");
    show("Environments", await tui.until("the environments", (text) => /^─ Environments/m.test(text)));
  } finally {
    tui.keys("q");
    await sleep(500);
    tui.kill();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`tui-captures: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
