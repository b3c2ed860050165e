/**
 * Renders an Ink tree into a fixed-size fake terminal (80×24 unless told) and types keys into
 * it, through the same `PacedStdin` the real TUI reads its keys from. Like ink-testing-library,
 * with the size under the test's control.
 */
import { EventEmitter } from "node:events";
import { eventually } from "@paddock/testkit";
import { render } from "ink";
import type { ReactElement } from "react";
import { PacedStdin } from "../../src/tui/paced-stdin.js";

class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string, encoding?: unknown, callback?: () => void) => {
    this.frames.push(frame);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private buffer: string | null = null;
  write(data: string) {
    this.buffer = data;
    this.emit("readable");
    this.emit("data", data);
  }
  read = () => {
    const data = this.buffer;
    this.buffer = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export const KEYS = {
  up: "\u001B[A",
  down: "\u001B[B",
  right: "\u001B[C",
  left: "\u001B[D",
  enter: "\r",
  escape: "\u001B",
  tab: "\t",
  shiftTab: "\u001B[Z",
  backspace: "\u007F",
  pageUp: "\u001B[5~",
  pageDown: "\u001B[6~",
} as const;

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

export interface RenderedTui {
  /** The last frame without colors. */
  frame(): string;
  /** How many frames Ink has written so far (one per render in debug mode). */
  frameCount(): number;
  press(key: string): Promise<void>;
  /** Waits until the last frame contains `text` (or matches), failing with the frame shown. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  unmount(): void;
  /** Changes the terminal's size and tells Ink, as a real terminal's SIGWINCH would. */
  resize(columns: number, rows: number): void;
  rerender(tree: ReactElement): void;
  waitUntilExit(): Promise<unknown>;
}

export function renderTui(tree: ReactElement, size: { columns?: number; rows?: number } = {}): RenderedTui {
  const stdout = new FakeStdout(size.columns ?? 80, size.rows ?? 24);
  const stdin = new FakeStdin();
  const stderr = new FakeStdout(size.columns ?? 80, size.rows ?? 24);
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new PacedStdin(stdin) as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
    interactive: true,
  });
  const frame = () => (stdout.frames.at(-1) ?? "").replace(ANSI, "");
  return {
    frame,
    frameCount: () => stdout.frames.length,
    async press(key) {
      stdin.write(key);
      // Let Ink parse the key (a lone Escape waits briefly for a sequence) and React commit.
      await new Promise((resolve) => setTimeout(resolve, key === KEYS.escape ? 120 : 30));
    },
    async waitFor(text, timeoutMs = 10_000) {
      const matches = () => {
        const current = frame();
        return (typeof text === "string" ? current.includes(text) : text.test(current)) ? current : undefined;
      };
      try {
        return await eventually(matches, timeoutMs, `a frame showing ${String(text)}`);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- last frame ---\n${frame()}`);
      }
    },
    resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit("resize");
    },
    rerender: (next) => instance.rerender(next),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
    waitUntilExit: () => instance.waitUntilExit(),
  };
}
