/**
 * Typed reads of an untrusted JSON document: each getter checks the value's type and, when it is
 * wrong, throws a `RequestInvalid` naming the exact place (`tasks[0].subtasks[1].workloads[0].data`).
 */
import { RequestInvalid } from "@paddock/shared/errors";

export type JsonObject = Readonly<Record<string, unknown>>;

/** A value and where it sits in the document. */
export class JsonAt {
  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  fail(message: string): never {
    throw new RequestInvalid(`Import refused: ${this.path} ${message}`, {
      problems: [{ path: this.path, message }],
    });
  }

  get(key: string): JsonAt {
    return new JsonAt(this.object()[key], this.path === "" ? key : `${this.path}.${key}`);
  }

  has(key: string): boolean {
    return this.object()[key] !== undefined;
  }

  object(): JsonObject {
    if (typeof this.value !== "object" || this.value === null || Array.isArray(this.value)) {
      this.fail(`must be an object, got ${describe(this.value)}`);
    }
    return this.value as JsonObject;
  }

  array(): JsonAt[] {
    if (!Array.isArray(this.value)) this.fail(`must be a list, got ${describe(this.value)}`);
    return (this.value as unknown[]).map((item, index) => new JsonAt(item, `${this.path}[${index}]`));
  }

  string(): string {
    if (typeof this.value !== "string") this.fail(`must be a string, got ${describe(this.value)}`);
    return this.value as string;
  }

  number(): number {
    if (typeof this.value !== "number") this.fail(`must be a number, got ${describe(this.value)}`);
    return this.value as number;
  }

  numberOrNull(): number | null {
    return this.value === null || this.value === undefined ? null : this.number();
  }

  boolean(): boolean {
    if (typeof this.value !== "boolean") this.fail(`must be true or false, got ${describe(this.value)}`);
    return this.value as boolean;
  }

  /** An object with exactly one key, as Rally writes `{Name: args}` and `{type: config}`. */
  single(): [string, unknown] {
    const entries = Object.entries(this.object());
    if (entries.length !== 1) this.fail(`must have exactly one key, got ${entries.length}`);
    return entries[0] as [string, unknown];
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}
