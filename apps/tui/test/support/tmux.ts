/**
 * A real terminal for tests: a detached tmux session running a command, driven with
 * `send-keys` and read with `capture-pane`, as an operator would use it. Every wait polls the
 * screen until the text is there (never a fixed sleep), and fails showing the screen it saw.
 * Each terminal has its own tmux server (`-L`), so tests never touch anyone else's sessions.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

export interface TmuxTerminal {
  readonly session: string;
  /** The visible screen as text. */
  screen(): string;
  /** Named keys, as tmux spells them: `Enter`, `Escape`, `BSpace`, `C-u`, `Tab`, `BTab`, `Right`, `q`. */
  keys(...names: string[]): void;
  /** Literal text, sent in one write (the terminal sees a burst of keys). */
  type(text: string): void;
  /** Waits until the screen passes `test`; returns that screen. */
  until(what: string, test: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Waits until the screen contains `text` (or matches it). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  alive(): boolean;
  kill(): void;
}

export interface TmuxOptions {
  readonly columns?: number;
  readonly rows?: number;
  readonly cwd?: string;
}

/** Starts `command` (argv) in a new detached session named `session`, on a tmux server of its own. */
export function startTmux(
  session: string,
  command: readonly string[],
  options: TmuxOptions = {},
): TmuxTerminal {
  const columns = options.columns ?? 120;
  const rows = options.rows ?? 36;
  const server = ["-L", session];
  execFileSync(
    "tmux",
    [
      ...server,
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      String(columns),
      "-y",
      String(rows),
      ...(options.cwd ? ["-c", options.cwd] : []),
      ...command,
    ],
    { cwd: options.cwd },
  );
  // tmux leaves its socket file behind when the server ends: remembered here, removed by `kill`.
  const socket = execFileSync("tmux", [...server, "display-message", "-p", "#{socket_path}"], {
    encoding: "utf8",
  }).trim();
  const alive = () => spawnSync("tmux", [...server, "has-session", "-t", session]).status === 0;
  const screen = () =>
    execFileSync("tmux", [...server, "capture-pane", "-p", "-t", session], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  // Polls every 100 ms: each poll runs tmux, and the machine under test has only so many cores.
  const until = async (what: string, test: (text: string) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      try {
        last = screen();
      } catch {
        throw new Error(`the tmux session ended while waiting for ${what}; the last screen was:\n${last}`);
      }
      if (test(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${last}`);
  };
  return {
    session,
    screen,
    keys: (...names) => {
      execFileSync("tmux", [...server, "send-keys", "-t", session, ...names]);
    },
    type: (text) => {
      execFileSync("tmux", [...server, "send-keys", "-t", session, "-l", text]);
    },
    until,
    waitFor: (text, timeoutMs) =>
      until(
        `the screen to show ${String(text)}`,
        (current) => (typeof text === "string" ? current.includes(text) : text.test(current)),
        timeoutMs,
      ),
    alive,
    kill: () => {
      spawnSync("tmux", [...server, "kill-server"], { stdio: "ignore" });
      if (socket) rmSync(socket, { force: true });
    },
  };
}
