/**
 * Turns JSON-Schema validation errors (TypeBox) into the messages Rally prints, which come from
 * Python's `jsonschema`: `200 is greater than the maximum of 100.0`, `'x' is not of type
 * 'integer'`, `Additional properties are not allowed ('x' was unexpected)`. A Rally user sees the
 * same words, plus the exact path of the field.
 */
import type { ProblemDetail } from "@paddock/shared/errors";
import type { TSchema } from "typebox";
import Compile, { type Validator } from "typebox/compile";
import type { TLocalizedValidationError } from "typebox/error";

/** Python's `repr` of a JSON value; `asFloat` prints whole numbers as `100.0`. */
export function pyRepr(value: unknown, asFloat = false): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return asFloat && Number.isInteger(value) ? `${value}.0` : String(value);
  }
  if (typeof value === "string") {
    const escaped = value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
    if (value.includes("'") && !value.includes('"')) return `"${escaped}"`;
    return `'${escaped.replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => pyRepr(item)).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pyRepr(key)}: ${pyRepr(item)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function pointerSegments(pointer: string): string[] {
  const trimmed = pointer.startsWith("#") ? pointer.slice(1) : pointer;
  return trimmed === "" ? [] : trimmed.slice(1).split("/").map(unescapePointer);
}

function at(root: unknown, pointer: string): unknown {
  let current = root;
  for (const segment of pointerSegments(pointer)) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** `base` followed by the instance path: `/times` → `.times`, `/hooks/0` → `[0]`. */
export function joinPath(base: string, instancePath: string): string {
  let path = base;
  for (const segment of pointerSegments(instancePath)) {
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === "" ? segment : `.${segment}`;
  }
  return path;
}

function isNumberSchema(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && (schema as { type?: unknown }).type === "number";
}

function messageOf(error: TLocalizedValidationError, schema: TSchema, value: unknown): string {
  const actual = at(value, error.instancePath);
  const node = at(schema, error.schemaPath);
  const limit = (raw: number | bigint) => pyRepr(Number(raw), isNumberSchema(node));
  switch (error.keyword) {
    case "type": {
      const types = Array.isArray(error.params.type) ? error.params.type : [error.params.type];
      return `${pyRepr(actual)} is not of type ${types.map((type) => `'${type}'`).join(", ")}`;
    }
    case "minimum":
      return `${pyRepr(actual)} is less than the minimum of ${limit(error.params.limit)}`;
    case "maximum":
      return `${pyRepr(actual)} is greater than the maximum of ${limit(error.params.limit)}`;
    case "exclusiveMinimum":
      return `${pyRepr(actual)} is less than or equal to the minimum of ${limit(error.params.limit)}`;
    case "exclusiveMaximum":
      return `${pyRepr(actual)} is greater than or equal to the maximum of ${limit(error.params.limit)}`;
    case "required":
      return error.params.requiredProperties
        .map((name) => `${pyRepr(name)} is a required property`)
        .join("; ");
    case "additionalProperties": {
      const extra = error.params.additionalProperties;
      return `Additional properties are not allowed (${extra.map((key) => pyRepr(key)).join(", ")} ${
        extra.length === 1 ? "was" : "were"
      } unexpected)`;
    }
    case "enum":
      return `${pyRepr(actual)} is not one of ${pyRepr(error.params.allowedValues)}`;
    case "const":
      return `${pyRepr(error.params.allowedValue)} was expected`;
    case "minItems":
    case "minLength":
      return `${pyRepr(actual)} is too short`;
    case "maxItems":
    case "maxLength":
      return `${pyRepr(actual)} is too long`;
    case "minProperties":
      return `${pyRepr(actual)} does not have enough properties`;
    case "pattern":
      return `${pyRepr(actual)} does not match ${pyRepr(String(error.params.pattern))}`;
    case "anyOf":
    case "oneOf":
      return `${pyRepr(actual)} is not valid under any of the given schemas`;
    default:
      return error.message;
  }
}

/**
 * Keeps the errors a person needs: drops the per-key `false` schema errors that duplicate an
 * `additionalProperties` error, and for `anyOf` reports the one branch whose type matched (e.g.
 * the ramp object of `rps`), or whose discriminating constant matched (e.g. a hook trigger's
 * `unit`), or else a single "not valid under any" line.
 */
function relevant(errors: TLocalizedValidationError[]): TLocalizedValidationError[] {
  let kept = errors.filter(
    (error) => !(error.keyword === "boolean" && error.schemaPath.endsWith("/additionalProperties")),
  );
  for (const union of kept.filter((error) => error.keyword === "anyOf" || error.keyword === "oneOf")) {
    const prefix = `${union.schemaPath}/${union.keyword}/`;
    const inside = kept.filter((error) => error.schemaPath.startsWith(prefix));
    const branches = new Map<string, TLocalizedValidationError[]>();
    for (const error of inside) {
      const branch = error.schemaPath.slice(prefix.length).split("/")[0] ?? "";
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const typed = [...branches.values()].filter(
      (branch) =>
        !branch.some((error) => error.keyword === "type" && error.instancePath === union.instancePath),
    );
    const discriminated = typed.filter(
      (branch) => !branch.some((error) => error.keyword === "const" || error.keyword === "enum"),
    );
    const chosen =
      typed.length === 1 ? (typed[0] ?? []) : discriminated.length === 1 ? (discriminated[0] ?? []) : [union];
    kept = kept.filter((error) => error !== union && !inside.includes(error));
    kept.push(...chosen);
  }
  return kept;
}

/** Every problem of `value` against `schema`, each with `base` + the field's path. */
export function schemaProblems(
  validator: Validator,
  schema: TSchema,
  value: unknown,
  base: string,
): ProblemDetail[] {
  if (validator.Check(value)) return [];
  return relevant(validator.Errors(value)).map((error) => ({
    path: joinPath(base, error.instancePath),
    message: messageOf(error, schema, value),
  }));
}

/** A compiled schema with its Rally-worded checker. */
export interface SchemaChecker {
  readonly schema: TSchema;
  problems(value: unknown, base: string): ProblemDetail[];
}

export function schemaChecker(schema: TSchema): SchemaChecker {
  const validator = Compile(schema);
  return { schema, problems: (value, base) => schemaProblems(validator, schema, value, base) };
}
