/**
 * File operations confined to the scenario library. A scenario id has already passed
 * `checkScenarioId` (no `..`, absolute path, backslash or NUL); here each folder on its path is
 * looked at without following links, so a symbolic link (whether it leads outside the root or
 * not) is refused before anything is created or written through it, and the real path of the
 * file's folder is checked to be inside the real root once more before writing.
 *
 * Writes are atomic: the text goes to a hidden temporary file in the same folder, which then
 * replaces (`rename`) or becomes (`link`, failing if the name is taken) the scenario file.
 */
import { randomUUID } from "node:crypto";
import { link, lstat, mkdir, realpath, rename, rm, unlink, writeFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { Conflict, DependencyUnavailable, RequestInvalid, ScenarioNotFound } from "@paddock/shared/errors";

/** Where a scenario file is: its real folder inside the root, and the file's full path. */
export interface ScenarioLocation {
  readonly folder: string;
  readonly file: string;
  /** Whether a regular file is there now. */
  readonly exists: boolean;
}

const isInside = (root: string, path: string): boolean => path === root || path.startsWith(`${root}${sep}`);

const errorCode = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null ? (error as { code?: string }).code : undefined;

function refuse(id: string, where: string, reason: string): never {
  throw new RequestInvalid(`Cannot use scenario '${id}': ${reason}`, {
    problems: [{ path: where, message: reason }],
  });
}

/** The real path of the library root. Throws `DependencyUnavailable` when it is missing. */
export async function realRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (error) {
    throw new DependencyUnavailable(`The scenario library folder ${root} is missing`, { cause: error });
  }
}

/**
 * How to treat a missing folder on the way: `existing` refuses it (`ScenarioNotFound`), `plan`
 * accepts it without making it (to check a text before anything is written), `create` makes it.
 */
export type LocateMode = "existing" | "plan" | "create";

/**
 * Finds the folders of `id` below `root`, refusing links and non-folders on the way; what
 * happens to a missing folder depends on `mode`.
 */
export async function locateScenario(root: string, id: string, mode: LocateMode): Promise<ScenarioLocation> {
  const real = await realRoot(root);
  const segments = id.split("/");
  const name = segments.pop() ?? "";
  let folder = real;
  for (const [index, segment] of segments.entries()) {
    const next = join(folder, segment);
    const where = segments.slice(0, index + 1).join("/");
    let info = await lstat(next).catch(() => undefined);
    if (info === undefined && mode === "plan") {
      const planned = join(folder, ...segments.slice(index));
      return { folder: planned, file: join(planned, name), exists: false };
    }
    if (info === undefined) {
      if (mode === "existing") throw new ScenarioNotFound(id);
      try {
        await mkdir(next);
      } catch (error) {
        if (errorCode(error) !== "EEXIST") {
          throw new Conflict(`Cannot save '${id}': cannot make the folder '${where}'`, { cause: error });
        }
      }
      info = await lstat(next);
    }
    if (info.isSymbolicLink()) {
      const target = await realpath(next).catch(() => undefined);
      refuse(
        id,
        where,
        target === undefined || !isInside(real, target)
          ? `'${where}' is a symbolic link leading outside the scenario library`
          : `'${where}' is a symbolic link; the library does not follow links`,
      );
    }
    if (!info.isDirectory())
      throw new Conflict(`Cannot use scenario '${id}': '${where}' is a file, not a folder`);
    folder = next;
  }
  const realFolder = await realpath(folder);
  if (!isInside(real, realFolder)) refuse(id, "id", "its folder leads outside the scenario library");
  const file = join(realFolder, name);
  const info = await lstat(file).catch(() => undefined);
  if (info?.isSymbolicLink())
    refuse(id, "id", `'${id}' is a symbolic link; the library does not follow links`);
  if (info !== undefined && !info.isFile())
    throw new Conflict(`Cannot use scenario '${id}': it is not a regular file`);
  return { folder: realFolder, file, exists: info !== undefined };
}

async function writeTemporary(location: ScenarioLocation, text: string): Promise<string> {
  const name = location.file.slice(location.folder.length + 1);
  const temporary = join(location.folder, `.${name}.${randomUUID()}.tmp`);
  await writeFile(temporary, text, { encoding: "utf8", flag: "wx", mode: 0o644 });
  return temporary;
}

/** Writes `text` as the file at `location`, replacing what is there, atomically. */
export async function replaceFile(location: ScenarioLocation, text: string): Promise<void> {
  const temporary = await writeTemporary(location, text);
  try {
    await rename(temporary, location.file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Writes `text` as a new file at `location`; `Conflict` when a file of that name appeared. */
export async function createFile(location: ScenarioLocation, id: string, text: string): Promise<void> {
  const temporary = await writeTemporary(location, text);
  try {
    await link(temporary, location.file);
  } catch (error) {
    if (errorCode(error) === "EEXIST") {
      throw new Conflict(`Scenario '${id}' already exists; change it with PUT /scenarios/${id}`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Removes the file at `location`. */
export async function removeFile(location: ScenarioLocation, id: string): Promise<void> {
  try {
    await unlink(location.file);
  } catch (error) {
    if (errorCode(error) === "ENOENT") throw new ScenarioNotFound(id);
    throw error;
  }
}
