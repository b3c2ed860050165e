/**
 * Loading user scenario plugins from `PADDOCK_PLUGIN_PATHS`: each path is a `.js`/`.mjs` file or
 * a folder of them (not recursive). Every export that `defineScenario` made is registered.
 */
import { readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describeError, PaddockError } from "@paddock/shared/errors";
import { isScenarioPlugin, type ScenarioPlugin } from "./plugin.js";

export class PluginLoadFailed extends PaddockError {
  readonly code = "PLUGIN_LOAD_FAILED";
  readonly status = 500;
}

const MODULE_EXTENSIONS = new Set([".js", ".mjs"]);

function moduleFiles(path: string): string[] {
  const absolute = resolve(path);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(absolute).isDirectory();
  } catch (error) {
    throw new PluginLoadFailed(`Plugin path ${absolute} cannot be read: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (!isDirectory) return [absolute];
  return readdirSync(absolute)
    .filter((name) => MODULE_EXTENSIONS.has(extname(name)))
    .sort()
    .map((name) => join(absolute, name));
}

/** Imports every plugin module under `paths`; throws `PluginLoadFailed` naming the file at fault. */
export async function loadPlugins(paths: readonly string[]): Promise<ScenarioPlugin[]> {
  const plugins: ScenarioPlugin[] = [];
  const origin = new Map<string, string>();
  for (const file of paths.flatMap(moduleFiles)) {
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new PluginLoadFailed(`Plugin file ${file} cannot be imported: ${describeError(error)}`, {
        cause: error,
      });
    }
    for (const value of new Set(Object.values(exports))) {
      if (!isScenarioPlugin(value)) continue;
      const previous = origin.get(value.name);
      if (previous !== undefined) {
        throw new PluginLoadFailed(
          `Scenario plugin '${value.name}' is defined in both ${previous} and ${file}`,
        );
      }
      origin.set(value.name, file);
      plugins.push(value);
    }
  }
  return plugins;
}
