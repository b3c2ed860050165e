/**
 * `paddock env show NAME`: one environment as the catalog serves it — platform, spec and the
 * secrets it needs. Secrets appear only as their `${VAR}` references (the catalog never resolves
 * them; a secret written in clear in the file comes back masked and is listed as a problem).
 */
import type { EnvironmentDefinition } from "@paddock/shared/api";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A scalar as YAML would show it (strings quoted only when they would read as something else). */
function scalar(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value) ?? "null";
  return value === "" || /^[\s{[!&*#|>'"%@`-]|: | #|^(true|false|null|~|[-+.\d][\d.eE+-]*)$/i.test(value)
    ? JSON.stringify(value)
    : value;
}

/** The spec as indented YAML-like lines. */
export function specLines(value: unknown, indent = "  "): string[] {
  if (isMapping(value)) {
    return Object.entries(value).flatMap(([key, item]) =>
      (isMapping(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0)
        ? [`${indent}${key}:`, ...specLines(item, `${indent}  `)]
        : [`${indent}${key}: ${isMapping(item) ? "{}" : Array.isArray(item) ? "[]" : scalar(item)}`],
    );
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const lines = specLines(item, `${indent}  `);
      if (!isMapping(item) && !Array.isArray(item)) return [`${indent}- ${scalar(item)}`];
      const [first = "", ...rest] = lines;
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  return [`${indent}${scalar(value)}`];
}

/** The lines `env show` prints for an environment. */
export function environmentLines(environment: EnvironmentDefinition): string[] {
  const lines = [
    `Environment ${environment.name} (${environment.platform})`,
    `  ${environment.description || "—"}`,
    `File: ${environment.file}`,
    environment.secrets.length === 0
      ? "Secrets: none"
      : `Secrets: ${environment.secrets.join(", ")} (references; only the runner reads these variables)`,
  ];
  const spec = specLines(environment.spec);
  lines.push(spec.length === 0 ? "Spec: {}" : "Spec:", ...spec);
  const problems = environment.problems ?? [];
  if (problems.length > 0) {
    lines.push("Problems:");
    for (const problem of problems) {
      const where = `${problem.file}${problem.line === undefined ? "" : `:${problem.line}`}`;
      lines.push(`  - ${where}: ${problem.field === "" ? "" : `${problem.field}: `}${problem.message}`);
    }
  } else if (environment.error) {
    const { error } = environment;
    lines.push("Problems:", `  - ${error.file}${error.line ? `:${error.line}` : ""}: ${error.message}`);
  }
  return lines;
}

export const envShow: Command = {
  name: "env show",
  args: "NAME",
  summary: "Show one environment: platform, spec and the secrets it references (never their values)",
  options: { json: { type: "boolean", description: "Print the catalog's EnvironmentDefinition as JSON" } },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const name = line.positionals[0] ?? "";
    const { io } = context;
    const { environments } = await context.clients().catalog.listEnvironments();
    const environment = environments.find((candidate) => candidate.name === name);
    if (environment === undefined) {
      io.err(`paddock: There is no environment '${name}'`);
      io.err(
        environments.length === 0
          ? "The catalog has no environments (add one as environments/<name>.yaml)."
          : `Known environments: ${environments.map((candidate) => candidate.name).join(", ")}`,
      );
      return EXIT.error;
    }
    if (flag(line, "json")) io.out(JSON.stringify(environment, null, 2));
    else for (const text of environmentLines(environment)) io.out(text);
    return environment.error ? EXIT.error : EXIT.ok;
  },
};
