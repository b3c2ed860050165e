/**
 * Help texts, generated from the command registry and the declared environment variables.
 */
import { describeVariables } from "@paddock/shared/config";
import { CLI_VARIABLES } from "../config.js";
import type { Command } from "./command.js";
import { COMMANDS, GROUPS } from "./commands/index.js";

const HELP_OPTION = "-h, --help";

export function usageOf(command: Command): string {
  const options = Object.keys(command.options).length > 0 ? " [options]" : "";
  return `paddock ${command.name}${command.args ? ` ${command.args}` : ""}${options}`;
}

export function commandHelp(command: Command): string[] {
  const entries = Object.entries(command.options).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.value ? ` ${spec.value}` : ""}`,
    spec.description,
  ]);
  entries.push([HELP_OPTION, "Show this help"]);
  const width = Math.max(...entries.map(([left]) => (left as string).length));
  return [
    `Usage: ${usageOf(command)}`,
    "",
    command.summary,
    "",
    "Options:",
    ...entries.map(([left, right]) => `  ${(left as string).padEnd(width)}  ${right}`),
    ...(command.details ? ["", ...command.details] : []),
  ];
}

function entryLines(entries: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...entries.map(([usage]) => usage.length));
  return entries.map(([usage, summary]) => `  ${usage.padEnd(width)}  ${summary}`);
}

function entryOf(command: Command, prefix = ""): readonly [string, string] {
  const name = command.name.slice(prefix.length);
  return [`${name}${command.args ? ` ${command.args}` : ""}`, command.summary];
}

export function groupHelp(group: string): string[] {
  const commands = Object.values(COMMANDS).filter((command) => command.name.startsWith(`${group} `));
  return [
    `Usage: paddock ${group} <command> [options]`,
    "",
    GROUPS[group] ?? "",
    "",
    "Commands:",
    ...entryLines(commands.map((command) => entryOf(command, `${group} `))),
    "",
    `Run 'paddock ${group} <command> --help' for a command's options.`,
  ];
}

export function mainHelp(): string[] {
  const entries = [
    ...Object.values(COMMANDS).map((command: Command) => entryOf(command)),
    ["up", "Start the local stack (NATS, catalog, runner, results) and open the TUI"] as const,
  ];
  return [
    "paddock — benchmarking for humans: Rally's task model as services, driven from the terminal",
    "",
    "Usage:",
    "  paddock                  open the full-screen TUI (in a terminal)",
    "  paddock <command> [options]",
    "",
    "Commands:",
    ...entryLines(entries),
    "",
    "Environment:",
    ...describeVariables(CLI_VARIABLES).map((line) => `  ${line}`),
    "",
    "Run 'paddock <command> --help' for a command's options.",
  ];
}
