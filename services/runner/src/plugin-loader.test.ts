import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { defineScenario, Type } from "./plugin.js";
import { loadPlugins, PluginLoadFailed } from "./plugin-loader.js";
import { createPluginRegistry, DuplicatePlugin } from "./plugins/index.js";

const pluginApi = pathToFileURL(resolve(import.meta.dirname, "plugin.ts")).href;
const dirs: { remove(): void }[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function folder(files: Record<string, string>): string {
  const dir = tempDir("paddock-plugins-");
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir.path, name), text);
  return dir.path;
}

describe("defineScenario", () => {
  it("needs a Group.method name", () => {
    expect(() => defineScenario({ name: "nodot", args: Type.Object({}), run() {} })).toThrow(
      "Scenario plugin name 'nodot' must look like 'Group.method'",
    );
  });
});

describe("loadPlugins", () => {
  it("registers the scenarios exported by the modules of a folder", async () => {
    const path = folder({
      "things.mjs": `
import { defineScenario, Type } from ${JSON.stringify(pluginApi)};
export default defineScenario({
  name: "MyService.list_things",
  args: Type.Object({ limit: Type.Integer({ default: 10 }) }),
  async run(ctx, { limit }) { await ctx.atomic("things.list", () => limit); },
});
export const other = defineScenario({ name: "MyService.other", args: Type.Object({}), run() {} });
export const notAPlugin = 42;
`,
      "README.txt": "ignored",
    });
    const plugins = await loadPlugins([path]);
    expect(plugins.map((plugin) => plugin.name).sort()).toEqual(["MyService.list_things", "MyService.other"]);
    const registry = createPluginRegistry(plugins);
    expect(registry.scenarios.get("MyService.list_things")?.description).toBe("");
    expect(registry.scenarios.has("Dummy.dummy")).toBe(true);
  });

  it("names the file that cannot be imported", async () => {
    const path = folder({ "broken.mjs": "export default {;" });
    await expect(loadPlugins([path])).rejects.toThrow(PluginLoadFailed);
    await expect(loadPlugins([path])).rejects.toThrow(
      `Plugin file ${join(path, "broken.mjs")} cannot be imported`,
    );
    await expect(loadPlugins(["/nonexistent/plugins"])).rejects.toThrow(
      "Plugin path /nonexistent/plugins cannot be read",
    );
  });

  it("refuses a name defined twice", () => {
    const copy = defineScenario({ name: "Dummy.dummy", args: Type.Object({}), run() {} });
    expect(() => createPluginRegistry([copy])).toThrow(DuplicatePlugin);
  });
});
