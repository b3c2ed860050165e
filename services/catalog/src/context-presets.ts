/**
 * Context presets: `<contexts folder>/<name>.yaml` files (by default `_contexts/` inside the
 * scenario library, which the library itself skips), each a reusable block of contexts:
 *
 * ```yaml
 * name: two-tenants            # optional; must be the file's base name
 * description: 2 tenants with 2 users each
 * contexts:
 *   users: {tenants: 2, users_per_tenant: 2}
 * ```
 *
 * A preset is applied at start time through a workload override: its `contexts` go into a
 * `WorkloadOverride`'s `contexts` (merged into the workload's own by default). Files are read on
 * each request; a file that cannot be read is listed with its problem.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ContextPreset, ContextPresetList } from "@paddock/shared/api";
import { parseTaskText } from "@paddock/tasks";
import { ContextPresetNotFound } from "./catalog-errors.js";
import { toProblem } from "./scenario-reader.js";
import { listYamlFiles } from "./yaml-folder.js";

export interface ContextPresetStore {
  /** Every preset, sorted by name. */
  list(): Promise<ContextPresetList>;
  /** One preset by name. Throws `ContextPresetNotFound`. */
  get(name: string): Promise<ContextPreset>;
}

const PRESET_KEYS = ["name", "description", "contexts"];

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads one preset file's text; never throws. */
export function readContextPreset(file: string, text: string): ContextPreset {
  const preset: ContextPreset = { name: file.replace(/\.ya?ml$/i, ""), description: "", contexts: {}, file };
  const invalid = (message: string): ContextPreset => ({ ...preset, error: { file, message } });
  let document: unknown;
  try {
    document = parseTaskText(text, file);
  } catch (error) {
    return { ...preset, error: toProblem(file, error) };
  }
  if (!isMapping(document)) return invalid("a context preset is a mapping with 'description' and 'contexts'");
  const problems: string[] = [];
  const extra = Object.keys(document).filter((key) => !PRESET_KEYS.includes(key));
  if (extra.length > 0)
    problems.push(
      `unexpected ${extra.map((key) => `'${key}'`).join(", ")}; a preset has ${PRESET_KEYS.join(", ")}`,
    );
  if (document.name !== undefined && document.name !== preset.name) {
    problems.push(`'name' is ${JSON.stringify(document.name)} but the file is ${file}; they must agree`);
  }
  if (document.description !== undefined && typeof document.description !== "string") {
    problems.push("'description' must be a string");
  }
  if (!isMapping(document.contexts)) {
    problems.push("'contexts' must be a mapping of context names to their configuration");
  }
  const read: ContextPreset = {
    ...preset,
    description: typeof document.description === "string" ? document.description.trim() : "",
    contexts: isMapping(document.contexts) ? document.contexts : {},
  };
  return problems.length === 0 ? read : { ...read, error: { file, message: problems.join("; ") } };
}

/** A preset store over a folder; a missing folder has no presets. */
export function createContextPresetStore(options: { readonly root: string }): ContextPresetStore {
  const list = async (): Promise<ContextPresetList> => {
    const files = await listYamlFiles(options.root);
    if (files === undefined) return { presets: [] };
    const presets: ContextPreset[] = [];
    for (const file of files) {
      const text = await readFile(join(options.root, file), "utf8").catch(() => undefined);
      if (text === undefined) continue;
      const preset = readContextPreset(file, text);
      const duplicate = presets.some((other) => other.name === preset.name);
      presets.push(
        duplicate
          ? {
              ...preset,
              error: { file, message: `another file already defines the preset '${preset.name}'` },
            }
          : preset,
      );
    }
    return { presets: presets.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file)) };
  };
  return {
    list,
    async get(name) {
      const found = (await list()).presets.find((preset) => preset.name === name);
      if (!found) throw new ContextPresetNotFound(name);
      return found;
    },
  };
}
