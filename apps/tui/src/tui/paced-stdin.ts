/**
 * The terminal's input, one key at a time. A terminal (or `tmux send-keys`, or a fast typist over
 * ssh) can deliver several keys in one read: `12⌫⌫3` or `/abc`. Ink hands the keys of one read to
 * the handlers back to back, before React has applied the first key's state, so every handler
 * sees the state from before the burst: Backspaces edit a stale value and vanish, `/abc` is read
 * as one unknown key. This stream sits between the terminal and Ink, cuts each read into keys
 * (`splitKeys`) and gives Ink one key per turn of the event loop, after React has committed the
 * previous one.
 */
import { EventEmitter } from "node:events";

const ESC = "\u001B";
const PASTE_START = `${ESC}[200~`;
const PASTE_END = `${ESC}[201~`;

/** Ink waits this long (20 ms) for the rest of an escape sequence; a key after a lone Esc waits longer. */
const AFTER_LONE_ESCAPE_MS = 40;

const isFinalByte = (code: number) => code >= 0x40 && code <= 0x7e;

/** End index (exclusive) of the CSI sequence whose `[` is at `open`, or the text's length when it is cut short. */
function csiEnd(text: string, open: number): number {
  let index = open + 1;
  if (text[index] === "[") index += 1; // legacy ESC [ [ A
  for (; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isFinalByte(code)) return index + 1;
    if (code < 0x20 || code > 0x3f) return index; // not a parameter or intermediate byte: ends here
  }
  return text.length;
}

/** End index of the SS3 sequence (`ESC O …`) whose `O` is at `open`. */
function ss3End(text: string, open: number): number {
  for (let index = open + 1; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isFinalByte(code)) return index + 1;
    if (code !== 0x3b && (code < 0x30 || code > 0x39)) return index;
  }
  return text.length;
}

/**
 * One read of terminal input cut into keys: each printable character and each control byte on
 * its own, an escape sequence (arrows, PgUp, Shift-Tab…) whole, Esc followed by a character whole
 * (Alt-x), a bracketed paste whole. A sequence cut short at the end stays one piece: Ink keeps it
 * and joins the rest when it comes.
 */
export function splitKeys(text: string): string[] {
  const keys: string[] = [];
  let index = 0;
  while (index < text.length) {
    if (text.startsWith(PASTE_START, index)) {
      const end = text.indexOf(PASTE_END, index + PASTE_START.length);
      const stop = end === -1 ? text.length : end + PASTE_END.length;
      keys.push(text.slice(index, stop));
      index = stop;
      continue;
    }
    if (text[index] === ESC) {
      const next = text[index + 1];
      const prefix = next === ESC && (text[index + 2] === "[" || text[index + 2] === "O") ? 2 : 1;
      const kind = text[index + prefix];
      let end: number;
      if (kind === "[") end = csiEnd(text, index + prefix);
      else if (kind === "O") end = ss3End(text, index + prefix);
      else if (next === undefined || next === ESC) end = index + 1;
      else end = index + 1 + ((text.codePointAt(index + 1) as number) > 0xffff ? 2 : 1);
      keys.push(text.slice(index, end));
      index = end;
      continue;
    }
    const code = text.codePointAt(index) as number;
    const width = code > 0xffff ? 2 : 1;
    keys.push(text.slice(index, index + width));
    index += width;
  }
  return keys;
}

/** Node's handle under a TTY stream (`process.stdin._handle`): reading starts and stops here. */
interface StreamHandle {
  reading?: boolean;
  readStart?(): number;
  readStop?(): number;
}

/** What Ink needs of its stdin. */
export interface InputSource {
  /** Node's TTY handle; when present, reading is really stopped while nobody listens. */
  readonly _handle?: StreamHandle | null;
  readonly isTTY?: boolean;
  read(): string | Buffer | null;
  on(event: "readable", listener: () => void): unknown;
  removeListener(event: "readable", listener: () => void): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  setRawMode?(mode: boolean): unknown;
  ref?(): unknown;
  unref?(): unknown;
  pause?(): unknown;
  resume?(): unknown;
}

/**
 * A stdin for Ink's `render({ stdin })` that hands over one key per `readable`: reads the source
 * only while Ink listens, keeps the keys of a burst in order, and releases the next one on a later
 * turn of the event loop. While Ink does not listen (the TUI is suspended for `$EDITOR`) the
 * terminal is not read at all: Node's TTY stream otherwise keeps reading into its buffer even when
 * paused, and an editor sharing the terminal would lose keys to it.
 */
export class PacedStdin extends EventEmitter {
  readonly isTTY: boolean;
  private readonly queue: string[] = [];
  private ready: string | null = null;
  private scheduled = false;
  private attached = false;
  /** Set while this stream has stopped the handle's reading. */
  private stoppedReading = false;

  constructor(private readonly source: InputSource) {
    super();
    this.isTTY = source.isTTY === true;
    this.on("newListener", (event) => {
      if (event === "readable") queueMicrotask(() => this.sync());
    });
    this.on("removeListener", (event) => {
      if (event === "readable") this.sync();
    });
  }

  /** The key Ink may take now; then `null` until the next `readable`. */
  read(): string | null {
    const key = this.ready;
    this.ready = null;
    return key;
  }

  setEncoding(encoding: BufferEncoding): this {
    this.source.setEncoding(encoding);
    return this;
  }

  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode);
    return this;
  }

  ref(): this {
    this.source.ref?.();
    return this;
  }

  unref(): this {
    this.source.unref?.();
    return this;
  }

  pause(): this {
    this.source.pause?.();
    return this;
  }

  resume(): this {
    this.source.resume?.();
    return this;
  }

  /** Keys waiting to be handed over. */
  get pending(): number {
    return this.queue.length + (this.ready === null ? 0 : 1);
  }

  private readonly pump = () => {
    let chunk = this.source.read();
    while (chunk !== null) {
      this.queue.push(...splitKeys(typeof chunk === "string" ? chunk : chunk.toString("utf8")));
      chunk = this.source.read();
    }
    this.deliver();
  };

  /** Reads the source while someone listens to this stream, and only then. */
  private sync(): void {
    const listening = this.listenerCount("readable") > 0;
    if (listening && !this.attached) {
      this.attached = true;
      this.startReading();
      this.source.on("readable", this.pump);
      this.pump();
    } else if (!listening && this.attached) {
      this.attached = false;
      this.source.removeListener("readable", this.pump);
      this.stopReading();
    }
  }

  private stopReading(): void {
    const handle = this.source._handle;
    if (!handle?.reading || handle.readStop === undefined) return;
    handle.reading = false;
    handle.readStop();
    this.stoppedReading = true;
  }

  private startReading(): void {
    const handle = this.source._handle;
    if (!this.stoppedReading || handle?.readStart === undefined) return;
    this.stoppedReading = false;
    handle.reading = true;
    handle.readStart();
  }

  private deliver(): void {
    if (this.scheduled || this.ready !== null || this.queue.length === 0) return;
    if (this.listenerCount("readable") === 0) return;
    const key = this.queue.shift() as string;
    this.ready = key;
    this.emit("readable");
    // Ink reads every key offered; one it left (it stopped listening meanwhile) goes back in line.
    if (this.ready !== null) {
      this.queue.unshift(this.ready);
      this.ready = null;
      return;
    }
    if (this.queue.length === 0) return;
    // The next key waits for React to commit this one (a macrotask runs after every microtask),
    // and after a lone Esc for Ink to give up waiting for the rest of a sequence.
    this.scheduled = true;
    const next = () => {
      this.scheduled = false;
      this.deliver();
    };
    if (key === ESC) setTimeout(next, AFTER_LONE_ESCAPE_MS);
    else setImmediate(next);
  }
}
