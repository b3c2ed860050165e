/**
 * Scenario ids are paths below the library root with `/` separators (`keystone/authenticate.yaml`).
 * An id from a request is checked before it is used, so it can never name a file outside the root.
 */
import { RequestInvalid } from "@paddock/shared/errors";

/** Extensions of scenario files. */
export const SCENARIO_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

/** Whether a folder's entries can be scenarios: not hidden, and not `_contexts` or another `_folder`. */
export function isLibraryFolderName(name: string): boolean {
  return !name.startsWith(".") && !name.startsWith("_");
}

/**
 * Whether a file name is a scenario: a task file extension, not hidden, and not a `_fragment`
 * (files starting with `_` are for `{% include %}` only).
 */
export function isScenarioFileName(name: string): boolean {
  if (name.startsWith(".") || name.startsWith("_")) return false;
  return SCENARIO_EXTENSIONS.some((extension) => name.toLowerCase().endsWith(extension));
}

function refuse(id: string, reason: string): never {
  throw new RequestInvalid(`'${id}' is not a scenario id: ${reason}`, {
    problems: [{ path: "id", message: reason }],
  });
}

/**
 * Checks an id taken from a request: relative, `/`-separated, no `.`/`..`/empty segment, no
 * backslash or NUL. With `file`, it must also name a scenario file inside a service folder.
 */
export function checkScenarioId(id: string, options: { file?: boolean } = {}): string {
  if (id === "") refuse(id, "it is empty");
  if (id.includes("\u0000")) refuse(id, "it contains a NUL character");
  if (id.includes("\\")) refuse(id, "use '/' to separate folders");
  if (id.startsWith("/") || /^[A-Za-z]:/.test(id)) refuse(id, "it must be relative to the library root");
  const segments = id.split("/");
  if (segments.some((segment) => segment === ".." || segment === ".")) {
    refuse(id, "'.' and '..' are not allowed in a scenario id");
  }
  if (segments.some((segment) => segment === "")) refuse(id, "it has an empty folder name");
  if (options.file) {
    if (segments.length < 2) refuse(id, "a scenario lives in a service folder, e.g. 'dummy/dummy.yaml'");
    if (segments.some((segment) => segment.startsWith(".")))
      refuse(id, "hidden files and folders are not scenarios");
    if (segments.slice(0, -1).some((segment) => segment.startsWith("_")))
      refuse(id, "folders starting with '_' (such as _contexts) are not part of the library");
    const name = segments.at(-1) ?? "";
    if (!isScenarioFileName(name)) {
      refuse(id, `a scenario file ends in ${SCENARIO_EXTENSIONS.join(", ")} and does not start with '_'`);
    }
  }
  return id;
}
