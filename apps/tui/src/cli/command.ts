/**
 * What a CLI command is: its name, usage, options (with help text) and what it does. The
 * router finds commands in the registry (`commands/index.ts`) and parses their options with
 * `node:util` parseArgs.
 */
import type { Clients } from "../api/clients.js";
import type { CliConfig } from "../config.js";
import type { LiveBus } from "../live/live-bus.js";
import type { CliIo } from "./io.js";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  readonly short?: string;
  /** Shown in help after the option, e.g. `JSON|YAML|k=v`. */
  readonly value?: string;
  readonly description: string;
}

export interface ParsedCommandLine {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

/** What a command gets to work with; everything is created on first use. */
export interface CommandContext {
  readonly io: CliIo;
  config(): CliConfig;
  clients(): Clients;
  /** A NATS link for following events; closed by the router after the command. */
  bus(): LiveBus;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
}

export interface Command {
  /** The words that select it: `task start`, `scenarios`. */
  readonly name: string;
  /** Positional arguments in the usage line, e.g. `FILE_OR_SCENARIO_ID`. */
  readonly args: string;
  readonly summary: string;
  /** More lines of help after the options. */
  readonly details?: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly positionals: { readonly min: number; readonly max: number };
  run(context: CommandContext, line: ParsedCommandLine): Promise<number>;
}

/** Reads a string option that may be given several times. */
export function stringList(line: ParsedCommandLine, name: string): string[] {
  const value = line.values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string");
}

export function stringOption(line: ParsedCommandLine, name: string): string | undefined {
  const value = line.values[name];
  return typeof value === "string" ? value : undefined;
}

export function flag(line: ParsedCommandLine, name: string): boolean {
  return line.values[name] === true;
}
