/**
 * One-line text editing shared by the filter, the command palette and the args form: printable
 * keys append, Backspace/Delete remove the last character, Ctrl-U clears the line.
 */
import type { Key } from "ink";

/** The new text after `input`/`key`, or `undefined` when the key does not edit text. */
export function editText(value: string, input: string, key: Key): string | undefined {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === "u") return "";
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return undefined;
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown)
    return undefined;
  if (input === "" || [...input].some(isControl)) return undefined;
  return value + input;
}

function isControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f;
}

/** Case-insensitive: does any of `fields` contain every word of `query`? */
export function matchesQuery(query: string, fields: readonly string[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fields.join("\n").toLowerCase();
  return words.every((word) => haystack.includes(word));
}
