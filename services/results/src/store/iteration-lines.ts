/**
 * How an iteration record is written as one line of a stored chunk, and read back as Rally's
 * report text without parsing it.
 *
 * A record is stored *Rally-first*: the exact text Rally's report holds for the iteration
 * (`rallyIterationJson`: its six keys in Rally's order, times and durations as Python floats)
 * with the closing brace replaced by Paddock's own fields, `,"seq":…` first:
 *
 *   {"duration":0.5,"timestamp":1795486252.3,"idle_duration":0.0,"error":[],"output":{…},"atomic_actions":[…],"seq":7,"schedule_lag":0.0002}
 *
 * Parsed, the line is the record (Python floats read back as the same numbers). For Rally's
 * JSON export the line is cut at its last `,"seq":` — nothing after it can hold that text, since
 * only Paddock's own fields (numbers and one string, all escaped) follow — so a million
 * iterations are exported without a `JSON.parse`. A record that does not fit the form (a key
 * outside the event schema, kept rather than dropped) is stored as plain JSON with `seq` first;
 * such a line never starts with `{"duration":`, which is how readers tell the two apart.
 */
import type { IterationRecord } from "@paddock/shared/events";
import type { AtomicAction } from "@paddock/shared/task-model";

/**
 * A number as a Python float literal: Rally's import checks that times and durations are floats,
 * and a whole number written `0` reads as an int there (`0.0` does not).
 */
export function pythonFloat(value: number | null): string {
  if (value === null) return "null";
  // JSON.stringify writes numbers faster than String() (export profile: 1.3 s against 3.3 s per
  // million iterations), and `null` for NaN/Infinity as JSON needs.
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(1) : JSON.stringify(value);
}

const NO_OUTPUT = '{"additive":[],"complete":[]}';

function isEmptyOutput(output: IterationRecord["output"]): boolean {
  for (const key in output) if (key !== "additive" && key !== "complete") return false;
  return output.additive.length === 0 && output.complete.length === 0;
}

function atomicActionJson(action: AtomicAction): string {
  let children = "";
  for (let i = 0; i < action.children.length; i += 1) {
    children += (i === 0 ? "" : ",") + atomicActionJson(action.children[i] as AtomicAction);
  }
  const failed = action.failed === undefined ? "" : action.failed ? ',"failed":true' : ',"failed":false';
  return `{"name":${JSON.stringify(action.name)},"children":[${children}],"started_at":${pythonFloat(action.started_at)},"finished_at":${pythonFloat(action.finished_at)}${failed}}`;
}

/** Rally's six keys without the closing brace. */
function rallyBody(iteration: IterationRecord): string {
  const { error, output } = iteration;
  const outputJson = isEmptyOutput(output) ? NO_OUTPUT : JSON.stringify(output);
  let actions = "";
  for (let i = 0; i < iteration.atomic_actions.length; i += 1) {
    actions += (i === 0 ? "" : ",") + atomicActionJson(iteration.atomic_actions[i] as AtomicAction);
  }
  return `{"duration":${pythonFloat(iteration.duration)},"timestamp":${pythonFloat(iteration.timestamp)},"idle_duration":${pythonFloat(iteration.idle_duration)},"error":${error.length === 0 ? "[]" : JSON.stringify(error)},"output":${outputJson},"atomic_actions":[${actions}]`;
}

/**
 * An iteration as Rally records it, as JSON text: Paddock's `seq`, `intended_start`,
 * `schedule_lag` and `runner_id` dropped, times and durations written as floats.
 */
export function rallyIterationJson(iteration: IterationRecord): string {
  return `${rallyBody(iteration)}}`;
}

const RECORD_KEYS = new Set([
  "seq",
  "timestamp",
  "duration",
  "idle_duration",
  "error",
  "output",
  "atomic_actions",
  "intended_start",
  "schedule_lag",
  "runner_id",
]);
const ACTION_KEYS = new Set(["name", "started_at", "finished_at", "children", "failed"]);

function onlyKeys(value: object, known: ReadonlySet<string>): boolean {
  for (const key in value) if (!known.has(key)) return false;
  return true;
}

function actionsFit(actions: readonly AtomicAction[]): boolean {
  for (const action of actions) {
    if (!onlyKeys(action, ACTION_KEYS) || !actionsFit(action.children)) return false;
  }
  return true;
}

/** Marks a line written Rally-first. */
const RALLY_FIRST = '{"duration":';
/** Where Paddock's fields start in a Rally-first line (the last occurrence). */
const PADDOCK_FIELDS = ',"seq":';

/** The line a record is stored as (see the module comment). */
export function encodeIterationLine(record: IterationRecord): string {
  if (!onlyKeys(record, RECORD_KEYS) || !actionsFit(record.atomic_actions)) {
    const { seq, ...rest } = record;
    return JSON.stringify({ seq, ...rest });
  }
  let paddock = `${PADDOCK_FIELDS}${record.seq}`;
  if (record.intended_start !== undefined)
    paddock += `,"intended_start":${JSON.stringify(record.intended_start)}`;
  if (record.schedule_lag !== undefined) paddock += `,"schedule_lag":${JSON.stringify(record.schedule_lag)}`;
  if (record.runner_id !== undefined) paddock += `,"runner_id":${JSON.stringify(record.runner_id)}`;
  return `${rallyBody(record)}${paddock}}`;
}

/** An iteration read for Rally's report: its start, its seq and its text there. */
export interface RallyIterationText {
  readonly seq: number;
  /** Start, epoch seconds. */
  readonly timestamp: number;
  /** `rallyIterationJson` of the record, UTF-8. */
  readonly json: Uint8Array;
}

export function rallyIterationOfRecord(record: IterationRecord): RallyIterationText {
  return { seq: record.seq, timestamp: record.timestamp, json: Buffer.from(rallyIterationJson(record)) };
}

const RALLY_FIRST_BYTES = Buffer.from(RALLY_FIRST);
const PADDOCK_FIELDS_BYTES = Buffer.from(PADDOCK_FIELDS);
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const CLOSING_BRACE = 0x7d;
/** `,"timestamp":` */
const TIMESTAMP_KEY_LENGTH = 13;

/**
 * A chunk's iterations as Rally's report text, from the chunk's `records` as UTF-8 bytes
 * (`chunkText` of `encodeIterationLine`s) and its seqs: Rally-first lines are cut, not parsed,
 * and never become JS strings, so the bytes go from the store to the response as they are.
 * `bytes` must be the caller's own copy: each Rally-first line's text is a view into it, closed
 * by overwriting the comma before `"seq"`.
 */
export function rallyIterationsOfChunk(seqs: readonly number[], bytes: Uint8Array): RallyIterationText[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: RallyIterationText[] = [];
  // `[\n` line `,\n` line … `\n]`; no line holds a raw newline (JSON escapes it).
  let start = 2;
  const last = text.length - 2;
  while (start < last) {
    let end = text.indexOf(NEWLINE, start);
    if (end === -1 || end > last) end = last;
    const next = end + 1;
    if (text[end - 1] === COMMA) end -= 1;
    const seq = seqs[out.length];
    if (seq === undefined) throw new Error(`a chunk holds more lines than its ${seqs.length} seqs`);
    out.push(rallyIterationOfBytes(seq, text, start, end));
    start = next;
  }
  if (out.length !== seqs.length) {
    throw new Error(`a chunk holds ${out.length} lines for its ${seqs.length} seqs`);
  }
  return out;
}

function rallyIterationOfBytes(seq: number, text: Buffer, start: number, end: number): RallyIterationText {
  if (
    text.compare(RALLY_FIRST_BYTES, 0, RALLY_FIRST_BYTES.length, start, start + RALLY_FIRST_BYTES.length) !==
    0
  ) {
    return rallyIterationOfRecord(JSON.parse(text.toString("utf8", start, end)) as IterationRecord);
  }
  const durationEnd = text.indexOf(COMMA, start + RALLY_FIRST_BYTES.length);
  const timestampEnd = text.indexOf(COMMA, durationEnd + 1);
  const cut = text.lastIndexOf(PADDOCK_FIELDS_BYTES, end - PADDOCK_FIELDS_BYTES.length);
  if (durationEnd === -1 || timestampEnd === -1 || cut < timestampEnd) {
    throw new Error(`a stored iteration line (seq ${seq}) is not in the form it was written in`);
  }
  const timestamp = Number(text.toString("latin1", durationEnd + TIMESTAMP_KEY_LENGTH, timestampEnd));
  // The comma of `,"seq":` becomes the closing brace: the text is a view of the chunk, not a copy.
  text[cut] = CLOSING_BRACE;
  return { seq, timestamp, json: text.subarray(start, cut + 1) };
}

/** A chunk's `records` text: one line per record, `[\n…,\n…\n]`, so chunks are re-cut without parsing. */
export function chunkText(lines: readonly string[]): string {
  return `[\n${lines.join(",\n")}\n]`;
}

/** The lines of a chunk's `records` text written by `chunkText`. */
export function chunkLines(text: string): string[] {
  return text.length <= 4 ? [] : text.slice(2, -2).split(",\n");
}
