import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { PacedStdin, splitKeys } from "./paced-stdin.js";

describe("splitKeys", () => {
  it("cuts printable text and control bytes into single keys", () => {
    expect(splitKeys("12\u007F\u007F3")).toEqual(["1", "2", "\u007F", "\u007F", "3"]);
    expect(splitKeys("/ab\r")).toEqual(["/", "a", "b", "\r"]);
    expect(splitKeys("a\tb\u0015")).toEqual(["a", "\t", "b", "\u0015"]);
    expect(splitKeys("é😀x")).toEqual(["é", "😀", "x"]);
  });

  it("keeps escape sequences, Alt-keys and pastes whole", () => {
    expect(splitKeys("\u001B[A\u001B[Bj")).toEqual(["\u001B[A", "\u001B[B", "j"]);
    expect(splitKeys("\u001B[5~\u001B[Z\u001BOP")).toEqual(["\u001B[5~", "\u001B[Z", "\u001BOP"]);
    expect(splitKeys("\u001B[1;5A\u001B[[A")).toEqual(["\u001B[1;5A", "\u001B[[A"]);
    expect(splitKeys("\u001Bx1")).toEqual(["\u001Bx", "1"]);
    expect(splitKeys("\u001B\u001B[A")).toEqual(["\u001B\u001B[A"]);
    expect(splitKeys("\u001B\u001Bq")).toEqual(["\u001B", "\u001Bq"]);
    expect(splitKeys("q\u001B")).toEqual(["q", "\u001B"]);
    expect(splitKeys("\u001B[200~a\rb\u001B[201~c")).toEqual(["\u001B[200~a\rb\u001B[201~", "c"]);
  });

  it("leaves a sequence cut short as one piece for Ink to complete", () => {
    expect(splitKeys("a\u001B[1;")).toEqual(["a", "\u001B[1;"]);
    expect(splitKeys("\u001B[200~abc")).toEqual(["\u001B[200~abc"]);
  });
});

/** A terminal: `type` makes one read hold everything typed. */
class FakeTerminal extends EventEmitter {
  isTTY = true;
  raw = false;
  /** Like Node's TTY handle: reading from the terminal starts and stops here. */
  readonly _handle = {
    reading: true,
    stops: 0,
    starts: 0,
    readStop() {
      this.stops += 1;
      return 0;
    },
    readStart() {
      this.starts += 1;
      return 0;
    },
  };
  private buffer: string[] = [];
  type(text: string) {
    this.buffer.push(text);
    this.emit("readable");
  }
  read() {
    return this.buffer.shift() ?? null;
  }
  setEncoding() {}
  setRawMode(mode: boolean) {
    this.raw = mode;
  }
}

describe("PacedStdin", () => {
  it("hands over a burst one key per readable, each after the previous key's microtasks, only while someone listens", async () => {
    const terminal = new FakeTerminal();
    const stdin = new PacedStdin(terminal);
    const keys: string[] = [];
    const perReadable: number[] = [];
    let settled = true;
    let overlapped = false;
    const onReadable = () => {
      if (!settled) overlapped = true;
      let count = 0;
      for (let key = stdin.read(); key !== null; key = stdin.read()) {
        keys.push(key);
        count += 1;
      }
      perReadable.push(count);
      // What React does after a key (commit, effects, their updates) runs as microtasks.
      settled = false;
      queueMicrotask(() => queueMicrotask(() => (settled = true)));
    };
    stdin.on("readable", onReadable);
    await new Promise((resolve) => setImmediate(resolve));
    terminal.type("ab\u007F\u001B[Ac");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(keys).toEqual(["a", "b", "\u007F", "\u001B[A", "c"]);
    expect(perReadable).toEqual([1, 1, 1, 1, 1]);
    expect(overlapped).toBe(false);

    // Suspended (an editor has the terminal): the terminal is not read at all.
    stdin.removeListener("readable", onReadable);
    expect(terminal._handle).toMatchObject({ reading: false, stops: 1, starts: 0 });
    terminal.type("xyz");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(terminal.listenerCount("readable")).toBe(0);
    expect(keys).toHaveLength(5);

    stdin.on("readable", onReadable);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(terminal._handle).toMatchObject({ reading: true, stops: 1, starts: 1 });
    expect(keys.slice(5)).toEqual(["x", "y", "z"]);
    stdin.setRawMode(true);
    expect(terminal.raw).toBe(true);
  });
});
