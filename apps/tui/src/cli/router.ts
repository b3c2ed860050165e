/**
 * The `paddock` command line: finds the command in the registry, parses its options with
 * `node:util` parseArgs, runs it and turns any failure into one precise line on stderr.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Clients, createClients } from "../api/clients.js";
import { type CliConfig, loadCliConfig } from "../config.js";
import { UsageError } from "../errors.js";
import { createLiveBus, type LiveBus } from "../live/live-bus.js";
import type { Command, CommandContext, ParsedCommandLine } from "./command.js";
import { COMMANDS, GROUPS } from "./commands/index.js";
import { EXIT } from "./exit-codes.js";
import { commandHelp, groupHelp, mainHelp } from "./help.js";
import { type CliIo, processIo } from "./io.js";
import { reportError } from "./report-error.js";

/** Replacements for tests; production builds everything from the environment. */
export interface MainOverrides {
  readonly config?: CliConfig;
  readonly clients?: Clients;
  readonly bus?: LiveBus;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
  /** Runs `paddock up`; default the local-stack launcher. */
  readonly up?: (argv: string[]) => Promise<number>;
}

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const [first = "", second = ""] = argv;
  const two = `${first} ${second}` as keyof typeof COMMANDS;
  if (two in COMMANDS) return { command: COMMANDS[two], rest: argv.slice(2) };
  if (first in COMMANDS) return { command: COMMANDS[first as keyof typeof COMMANDS], rest: argv.slice(1) };
  return undefined;
}

function quoted(message: string): string {
  return /'([^']+)'/.exec(message)?.[1] ?? message;
}

export function parseCommandLine(command: Command, rest: string[]): ParsedCommandLine & { help: boolean } {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = {
      type: spec.type,
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`unknown option '${quoted(message)}' for 'paddock ${command.name}'`, command.name);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const option = /'(-[^' ]+)/.exec(message)?.[1] ?? message;
      throw new UsageError(
        /argument missing/.test(message)
          ? `option '${option}' needs a value`
          : `option '${option}' takes no value`,
        command.name,
      );
    }
    throw new UsageError(message, command.name);
  }
  const help = parsed.values.help === true;
  const { positionals } = parsed;
  if (!help) {
    const { min, max } = command.positionals;
    if (positionals.length < min) {
      throw new UsageError(`'paddock ${command.name}' needs ${command.args}`, command.name);
    }
    if (positionals.length > max) {
      throw new UsageError(
        `unexpected argument '${positionals[max]}' for 'paddock ${command.name}'`,
        command.name,
      );
    }
  }
  return { positionals, values: parsed.values, help };
}

async function runUp(argv: string[]): Promise<number> {
  const { up } = await import("../stack/up.js");
  return up(argv);
}

export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
  overrides: MainOverrides = {},
): Promise<number> {
  const signal = overrides.signal ?? new AbortController().signal;
  let bus: LiveBus | undefined = overrides.bus;
  let config = overrides.config;
  let clients = overrides.clients;
  const context: CommandContext = {
    io,
    signal,
    config() {
      config ??= loadCliConfig(io.env);
      return config;
    },
    clients() {
      clients ??= createClients(context.config());
      return clients;
    },
    bus() {
      const { natsUrl, natsUser, natsPassword, natsToken, natsCreds } = context.config();
      bus ??= createLiveBus({
        url: natsUrl,
        name: "paddock-cli",
        auth: { user: natsUser, password: natsPassword, token: natsToken, credsFile: natsCreds },
      });
      return bus;
    },
  };
  const print = (lines: readonly string[]) => {
    for (const line of lines) io.out(line);
    return EXIT.ok;
  };

  try {
    const [first] = argv;
    if (first === undefined) {
      if (io.stdinIsTty && io.stdoutIsTty)
        return await COMMANDS.tui.run(context, { positionals: [], values: {} });
      return print(mainHelp());
    }
    if (first === "-h" || first === "--help" || first === "help") {
      const rest = argv.slice(1);
      if (rest.length === 0) return print(mainHelp());
      const found = findCommand(rest);
      if (found) return print(commandHelp(found.command));
      if (rest[0] !== undefined && rest[0] in GROUPS) return print(groupHelp(rest[0]));
      throw new UsageError(`unknown command '${rest.join(" ")}'`);
    }
    if (first === "--version" || first === "-V") return print([version()]);
    if (first === "up") return await (overrides.up ?? runUp)(argv.slice(1));

    const found = findCommand(argv);
    if (found === undefined) {
      if (first in GROUPS) {
        const sub = argv[1];
        if (sub === undefined || sub === "-h" || sub === "--help") return print(groupHelp(first));
        throw new UsageError(`unknown command 'paddock ${first} ${sub}'`, first);
      }
      throw new UsageError(`unknown command '${first}'`);
    }
    const line = parseCommandLine(found.command, found.rest);
    if (line.help) return print(commandHelp(found.command));
    return await found.command.run(context, line);
  } catch (error) {
    return reportError(io, error);
  } finally {
    if (bus !== undefined && bus !== overrides.bus) await bus.close();
  }
}
