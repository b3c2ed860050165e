/**
 * The `:` command palette's commands: what each does, how a typed line is read, and what Tab
 * completes it to. The App runs a parsed command; the help lists this same table.
 */
import { matchesQuery } from "./text-input.js";

export type PaletteCommandName =
  | "scenarios"
  | "live"
  | "tasks"
  | "envs"
  | "start"
  | "task"
  | "compare"
  | "help"
  | "quit";

export interface PaletteCommand {
  readonly name: PaletteCommandName;
  /** What its one argument is, when it takes one. */
  readonly argument?: "scenario" | "task" | "tasks";
  readonly description: string;
}

export const PALETTE_COMMANDS: readonly PaletteCommand[] = [
  { name: "scenarios", description: "Scenarios screen" },
  { name: "live", description: "Live task screen" },
  { name: "tasks", description: "Tasks screen" },
  { name: "envs", description: "Environments screen" },
  { name: "start", argument: "scenario", description: "Start a scenario with its defaults" },
  { name: "task", argument: "task", description: "Open a task: its report, or live while it runs" },
  {
    name: "compare",
    argument: "tasks",
    description: "Compare two or more tasks side by side (A is the baseline)",
  },
  { name: "help", description: "Show the keys" },
  { name: "quit", description: "Quit" },
];

export type ParsedCommand =
  | { readonly ok: true; readonly name: PaletteCommandName; readonly argument?: string }
  | { readonly ok: false; readonly message: string };

/** What may complete an argument: scenario ids and task ids known now. */
export interface Completions {
  readonly scenarios: readonly string[];
  readonly tasks: readonly { readonly id: string; readonly title: string }[];
}

/** Reads `start dummy/dummy.yaml` (a leading `:` is allowed). A unique prefix names a command. */
export function parseCommand(line: string): ParsedCommand {
  const [word = "", ...rest] = line.trim().replace(/^:/, "").split(/\s+/);
  if (word === "") return { ok: false, message: "Type a command, e.g. :tasks" };
  const exact = PALETTE_COMMANDS.find((command) => command.name === word);
  const prefixed = PALETTE_COMMANDS.filter((command) => command.name.startsWith(word));
  const command = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  if (command === undefined) {
    return {
      ok: false,
      message:
        prefixed.length > 1
          ? `:${word} could be ${prefixed.map((item) => `:${item.name}`).join(", ")}`
          : `Unknown command :${word} (try :scenarios, :tasks, :envs, :start ID, :task ID, :compare A B, :quit)`,
    };
  }
  const argument = rest.join(" ");
  if (command.argument === "tasks" && argument.split(/[\s,]+/).filter(Boolean).length < 2) {
    return { ok: false, message: `:${command.name} needs two or more task ids` };
  }
  if (command.argument && argument === "") {
    return { ok: false, message: `:${command.name} needs a ${command.argument} id` };
  }
  if (!command.argument && argument !== "") {
    return { ok: false, message: `:${command.name} takes no argument` };
  }
  return command.argument ? { ok: true, name: command.name, argument } : { ok: true, name: command.name };
}

/** One suggestion: the whole line it completes to, and a hint shown beside it. */
export interface Suggestion {
  readonly line: string;
  readonly hint: string;
}

/** Suggestions for what is typed: command names first, then the command's argument. */
export function suggest(line: string, completions: Completions, limit = 8): Suggestion[] {
  const text = line.replace(/^:/, "").trimStart();
  const space = text.indexOf(" ");
  if (space < 0) {
    return PALETTE_COMMANDS.filter((command) => command.name.startsWith(text))
      .map((command) => ({
        line: command.argument ? `${command.name} ` : command.name,
        hint: `${command.argument ? `${command.argument.toUpperCase()} ` : ""}${command.description}`,
      }))
      .slice(0, limit);
  }
  const name = text.slice(0, space);
  const argument = text.slice(space + 1).trim();
  const command = PALETTE_COMMANDS.find((item) => item.name === name);
  if (command?.argument === "scenario") {
    return completions.scenarios
      .filter((id) => matchesQuery(argument, [id]))
      .slice(0, limit)
      .map((id) => ({ line: `${name} ${id}`, hint: "" }));
  }
  if (command?.argument === "tasks") {
    const words = text.slice(space + 1).split(/\s+/);
    const last = words.pop() ?? "";
    const before = words.filter(Boolean);
    return completions.tasks
      .filter((task) => !before.includes(task.id) && matchesQuery(last, [task.id, task.title]))
      .slice(0, limit)
      .map((task) => ({ line: `${name} ${[...before, task.id].join(" ")}`, hint: task.title }));
  }
  if (command?.argument === "task") {
    return completions.tasks
      .filter((task) => matchesQuery(argument, [task.id, task.title]))
      .slice(0, limit)
      .map((task) => ({ line: `${name} ${task.id}`, hint: task.title }));
  }
  return [];
}
