/**
 * `E`: a copy of a scenario's text in the user's editor. The copy goes to a fresh temp folder
 * (the declared arguments with their defaults as a leading Jinja comment, which rendering drops),
 * the editor runs on the terminal (the TUI suspends meanwhile) and the edited text comes back.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { ScenarioArg } from "@paddock/shared/api";
import { PaddockError } from "@paddock/shared/errors";

/** The editor could not run, or exited with a failure: nothing is started. */
export class EditorFailed extends PaddockError {
  readonly code = "EDITOR_FAILED";
  readonly status = 400;
}

export type EditResult =
  | { readonly kind: "edited"; readonly text: string; readonly changed: boolean }
  | { readonly kind: "emptied" };

/** `{# args: times=100 concurrency=4 #}` for the scenario's declared arguments. */
export function argsComment(args: readonly ScenarioArg[]): string {
  if (args.length === 0) return "";
  const list = args
    .map((arg) =>
      arg.default === undefined ? `${arg.name} (required)` : `${arg.name}=${JSON.stringify(arg.default)}`,
    )
    .join(" ");
  return `{# paddock: edit freely; this task starts when you save and quit. args: ${list} #}\n`;
}

/** Runs `command` (split on spaces, e.g. `code --wait`) on `file` with the terminal; resolves with its exit code. */
function runEditor(command: string, file: string): Promise<number> {
  const [program, ...args] = command.trim().split(/\s+/);
  if (!program) return Promise.reject(new EditorFailed("no editor is set: set $EDITOR (e.g. EDITOR=vim)"));
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args, file], { stdio: "inherit" });
    child.once("error", (error) =>
      reject(new EditorFailed(`cannot run the editor ${program}: ${error.message}`, { cause: error })),
    );
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Opens `text` (named like `fileName`) in `command` and returns what was saved. A non-zero exit
 * is an `EditorFailed`; an emptied file means "do not start". The temp folder is always removed.
 */
export async function editInEditor(command: string, fileName: string, text: string): Promise<EditResult> {
  const dir = await mkdtemp(join(tmpdir(), "paddock-edit-"));
  const file = join(dir, basename(fileName));
  try {
    await writeFile(file, text, "utf8");
    const code = await runEditor(command, file);
    if (code !== 0) {
      const program = basename(command.trim().split(/\s+/)[0] ?? command);
      throw new EditorFailed(`${program} exited with status ${code}; nothing was started`);
    }
    const edited = await readFile(file, "utf8");
    if (edited.trim() === "") return { kind: "emptied" };
    return { kind: "edited", text: edited, changed: edited !== text };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
