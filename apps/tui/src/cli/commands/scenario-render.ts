/**
 * `paddock scenario render SCENARIO_ID`: what a start would run, without starting anything — the
 * catalog renders the scenario with the template arguments, applies the workload overrides
 * (`--override`, and each `--preset`'s contexts for every workload) and checks the result.
 */
import {
  ContextPreset,
  RenderScenarioResponse,
  type WorkloadOverride,
  WorkloadOverrides,
} from "@paddock/shared/api";
import { taskSpecDocument } from "@paddock/tasks";
import Compile from "typebox/compile";
import { UsageError } from "../../errors.js";
import { type Command, flag, stringList } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { problemText } from "../report-error.js";
import { collectTaskArgs } from "../task-args.js";
import { catalogHttpClient, scenarioPath } from "./scenario-http.js";

const overridesCheck = Compile(WorkloadOverrides);

/** The `--override` values, each a JSON `WorkloadOverride` (or a list of them). */
export function parseOverrides(values: readonly string[]): WorkloadOverride[] {
  return values.flatMap((text, index) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UsageError(
        `--override #${index + 1} is not JSON (${(error as Error).message}); e.g. '{"workload":"*","runner":{"type":"serial","config":{"times":3}}}'`,
        "scenario render",
      );
    }
    const list = Array.isArray(value) ? value : [value];
    if (!overridesCheck.Check(list)) {
      const first = overridesCheck.Errors(list)[0];
      throw new UsageError(
        `--override #${index + 1} is not a workload override: ${first?.instancePath || "value"} ${first?.message ?? "is invalid"}`,
        "scenario render",
      );
    }
    return list as WorkloadOverride[];
  });
}

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
    "task-args": {
      type: "string",
      multiple: true,
      value: "JSON|YAML|k=v,...",
      description: "Template arguments (YAML, JSON or k=v pairs); repeatable, later values win",
    },
    "task-args-file": {
      type: "string",
      multiple: true,
      value: "FILE",
      description: "A YAML or JSON file of template arguments, read before --task-args",
    },
    override: {
      type: "string",
      multiple: true,
      value: "JSON",
      description: "A workload override (or a list of them); repeatable, applied in order",
    },
    preset: {
      type: "string",
      multiple: true,
      value: "NAME",
      description: "Add a context preset's contexts to every workload (before --override)",
    },
    json: { type: "boolean", description: "Print the catalog's RenderScenarioResponse as JSON" },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const id = line.positionals[0] ?? "";
    const args = collectTaskArgs(stringList(line, "task-args"), stringList(line, "task-args-file"));
    const overrides = parseOverrides(stringList(line, "override"));
    const catalog = catalogHttpClient(context);
    const presets: WorkloadOverride[] = [];
    for (const name of stringList(line, "preset")) {
      const preset = await catalog.request("GET", `/contexts/${encodeURIComponent(name)}`, ContextPreset);
      presets.push({ workload: "*", contexts: preset.contexts });
    }
    const all = [...presets, ...overrides];
    const answer = await catalog.request("POST", `${scenarioPath(id)}/render`, RenderScenarioResponse, {
      body: { args, overrides: all },
    });
    if (flag(line, "json")) context.io.out(JSON.stringify(answer, null, 2));
    else for (const text of renderLines(answer, all.length > 0)) context.io.out(text);
    if (answer.valid) return EXIT.ok;
    return answer.rendered === undefined ? EXIT.taskUnloadable : EXIT.taskInvalid;
  },
};
