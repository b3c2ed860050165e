/**
 * JSON as Python writes it: Rally's files may hold bare `Infinity`, `-Infinity` and `NaN` (e.g. a
 * periodic hook's `"end": Infinity`), which `JSON.parse` refuses. Outside strings they become
 * `Number.MAX_VALUE`, `-Number.MAX_VALUE` and `null`, so the values stay numbers that every JSON
 * reader (Rally's included) accepts when written back.
 */
import { RequestInvalid } from "@paddock/shared/errors";

const SPECIALS: Readonly<Record<string, string>> = {
  Infinity: String(Number.MAX_VALUE),
  "-Infinity": String(-Number.MAX_VALUE),
  NaN: "null",
};

/** Replaces the non-JSON number tokens outside strings; text without them is returned as is. */
export function normalizePythonJson(text: string): string {
  if (!text.includes("Infinity") && !text.includes("NaN")) return text;
  let out = "";
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    for (const [token, replacement] of Object.entries(SPECIALS)) {
      if (text.startsWith(token, i)) {
        out += text.slice(from, i) + replacement;
        i += token.length - 1;
        from = i + 1;
        break;
      }
    }
  }
  return out + text.slice(from);
}

/** Parses JSON written by Python; a syntax error is a `RequestInvalid` naming `source`. */
export function parsePythonJson(text: string, source: string): unknown {
  try {
    return JSON.parse(normalizePythonJson(text));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RequestInvalid(`${source} is not JSON: ${message}`, { problems: [{ path: source, message }] });
  }
}
