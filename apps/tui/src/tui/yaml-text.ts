/**
 * A small YAML writer for JSON values (what a task spec holds): block mappings and sequences,
 * scalars quoted only when YAML would read them as something else.
 */

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ ./:@-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  return PLAIN.test(text) && !RESERVED.test(text) && !text.endsWith(" ") && !text.includes(": ")
    ? text
    : JSON.stringify(text);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const isEmpty = (value: unknown) =>
  (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);

/** The lines of `value` as a YAML document, indented by two spaces a level. */
export function yamlLines(value: unknown, indent = ""): string[] {
  if (isObject(value)) {
    return Object.entries(value).flatMap(([key, inner]) => {
      const name = scalar(key);
      if (isEmpty(inner)) return [`${indent}${name}: ${Array.isArray(inner) ? "[]" : "{}"}`];
      if (isObject(inner) || Array.isArray(inner))
        return [`${indent}${name}:`, ...yamlLines(inner, `${indent}  `)];
      return [`${indent}${name}: ${scalar(inner)}`];
    });
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isEmpty(item)) return [`${indent}- ${Array.isArray(item) ? "[]" : "{}"}`];
      if (isObject(item) || Array.isArray(item)) {
        const [first = "", ...rest] = yamlLines(item, `${indent}  `);
        return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
      }
      return [`${indent}- ${scalar(item)}`];
    });
  }
  return [`${indent}${scalar(value)}`];
}
