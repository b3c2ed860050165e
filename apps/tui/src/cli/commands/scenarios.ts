/**
 * `paddock scenarios [ID]`: the catalog's scenarios grouped by service, or one scenario in full.
 */
import type { ScenarioDetail, ScenarioList, ScenarioSummary } from "@paddock/shared/api";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

/** `times=100, concurrency=4, url (required)`. */
export function argsText(scenario: Pick<ScenarioSummary, "args">): string {
  return scenario.args
    .map((arg) =>
      arg.default !== undefined ? `${arg.name}=${JSON.stringify(arg.default)}` : `${arg.name} (required)`,
    )
    .join(", ");
}

/** `file:line: message` of a broken scenario. */
export function problemOf(scenario: ScenarioSummary): string | undefined {
  const { error } = scenario;
  if (error === undefined) return undefined;
  return `${error.file}${error.line ? `:${error.line}` : ""}: ${error.message}`;
}

export function scenarioListLines(list: ScenarioList): string[] {
  const all = list.services.flatMap((group) => group.scenarios);
  if (all.length === 0) return ["The catalog has no scenarios (add task files under scenarios/<service>/)."];
  const idWidth = Math.max(...all.map((scenario) => scenario.id.length));
  const lines: string[] = [];
  for (const group of list.services) {
    const broken = group.scenarios.filter((scenario) => scenario.error !== undefined).length;
    const count = `${group.scenarios.length} scenario${group.scenarios.length === 1 ? "" : "s"}${broken > 0 ? `, ${broken} broken` : ""}`;
    lines.push(`${group.service} (${count})`);
    for (const scenario of group.scenarios) {
      const problem = problemOf(scenario);
      const text = problem
        ? `BROKEN: ${problem}`
        : `${scenario.title || "untitled"}  [${scenario.plugins.join(", ")}]${scenario.args.length > 0 ? `  args: ${argsText(scenario)}` : ""}`;
      lines.push(`  ${scenario.id.padEnd(idWidth)}  ${text}`);
    }
  }
  return lines;
}

export function scenarioDetailLines(detail: ScenarioDetail): string[] {
  const lines = [
    `${detail.id} — ${detail.title || "untitled"}`,
    `Service: ${detail.service}   Tags: ${detail.tags.join(", ") || "—"}`,
    `Plugins: ${detail.plugins.join(", ") || "—"}`,
  ];
  const problem = problemOf(detail);
  if (problem) lines.push(`BROKEN: ${problem}`);
  if (detail.description) lines.push("", detail.description.trim());
  if (detail.args.length > 0) {
    const width = Math.max(...detail.args.map((arg) => arg.name.length));
    lines.push("", "Arguments:");
    for (const arg of detail.args) {
      lines.push(
        `  ${arg.name.padEnd(width)}  ${arg.default !== undefined ? `default ${JSON.stringify(arg.default)}` : "required"}`,
      );
    }
  }
  lines.push("", `--- ${detail.id} ---`, ...detail.raw.replace(/\n$/, "").split("\n"));
  return lines;
}

export const scenarios: Command = {
  name: "scenarios",
  args: "[SCENARIO_ID]",
  summary: "List the catalog's scenarios by service, or show one",
  options: { json: { type: "boolean", description: "Print the catalog's answer as JSON" } },
  positionals: { min: 0, max: 1 },
  async run(context, line) {
    const { catalog } = context.clients();
    const id = line.positionals[0];
    const json = flag(line, "json");
    if (id !== undefined) {
      const detail = await catalog.getScenario(id);
      for (const text of json ? [JSON.stringify(detail, null, 2)] : scenarioDetailLines(detail))
        context.io.out(text);
      return EXIT.ok;
    }
    const list = await catalog.listScenarios();
    for (const text of json ? [JSON.stringify(list, null, 2)] : scenarioListLines(list)) context.io.out(text);
    return EXIT.ok;
  },
};
