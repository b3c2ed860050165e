/**
 * `paddock scenario render SCENARIO_ID`: what a start would run, without starting anything — the
 * catalog renders the scenario with the template arguments, applies the workload overrides
 * (`--context-preset`s, then `--overrides`, as `task start` takes them) and checks the result.
 */
import { RenderScenarioResponse } from "@paddock/shared/api";
import { taskSpecDocument } from "@paddock/tasks";
import { type Command, flag, stringList } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { problemText } from "../report-error.js";
import { collectTaskArgs } from "../task-args.js";
import { TASK_ARGS_OPTIONS } from "../task-input.js";
import { OVERRIDE_OPTIONS, overridesOf } from "../workload-overrides.js";
import { catalogHttpClient, scenarioPath } from "./scenario-http.js";

/** What `scenario render` prints for the catalog's answer. */
export function renderLines(answer: RenderScenarioResponse, overridden: boolean): string[] {
  const lines = [
    `${answer.id} (sha256 ${answer.hash.slice(0, 12)}): ${answer.valid ? "valid" : "NOT valid"}`,
  ];
  for (const problem of answer.problems) lines.push(`  - ${problemText(problem)}`);
  if (answer.task !== undefined && overridden) {
    lines.push(
      "",
      "--- task with the overrides applied ---",
      JSON.stringify(taskSpecDocument(answer.task), null, 2),
    );
  } else if (answer.rendered !== undefined) {
    lines.push("", "--- rendered task ---", ...answer.rendered.replace(/\n$/, "").split("\n"));
  }
  return lines;
}

export const scenarioRender: Command = {
  name: "scenario render",
  args: "SCENARIO_ID",
  summary: "Preview a scenario rendered with args and overrides, checked, without starting it",
  details: [
    'An override is JSON: {"workload": "*" | {"subtaskIndex": 0, "position": 0},',
    '  "runner": {"type", "config"}, "contexts": {...}, "contextsMode": "merge"|"replace",',
    '  "sla": {...}, "hooks": [...], "args": {...}} — runner and hooks replace, contexts and',
    "  sla merge by name (null removes one), args merge key by key.",
    "Exit codes: 0 valid, 114 rendered but not a valid task, 117 cannot be rendered.",
  ],
  options: {
    ...TASK_ARGS_OPTIONS,
    ...OVERRIDE_OPTIONS,
    json: { type: "boolean", description: "Print the catalog's RenderScenarioResponse as JSON" },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const id = line.positionals[0] ?? "";
    const args = collectTaskArgs(stringList(line, "task-args"), stringList(line, "task-args-file"));
    const all = await overridesOf(context, line);
    const catalog = catalogHttpClient(context);
    const answer = await catalog.request("POST", `${scenarioPath(id)}/render`, RenderScenarioResponse, {
      body: { args, overrides: all },
    });
    if (flag(line, "json")) context.io.out(JSON.stringify(answer, null, 2));
    else for (const text of renderLines(answer, all.length > 0)) context.io.out(text);
    if (answer.valid) return EXIT.ok;
    return answer.rendered === undefined ? EXIT.taskUnloadable : EXIT.taskInvalid;
  },
};
