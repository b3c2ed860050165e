/** A real catalog on loopback over a temporary library, for tests of the clients that talk to it. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildApp } from "@paddock/catalog/app";
import { createContextPresetStore } from "@paddock/catalog/context-presets";
import { createEnvironmentStore } from "@paddock/catalog/environment-store";
import { openScenarioLibrary } from "@paddock/catalog/scenario-library";
import { createLogger } from "@paddock/http";
import { tempDir } from "@paddock/testkit";

/** A scenario with a `times` argument (default 10) and one Dummy.dummy workload. */
export const SLEEPY_SCENARIO = `{% set times = times or 10 %}
version: 2
title: Sleepy
subtasks:
  - title: sleep
    scenario: {Dummy.dummy: {sleep: 0}}
    runner: {constant: {times: {{ times }}, concurrency: 2}}
`;

export interface RealCatalog {
  readonly url: string;
  /** The temporary folder: `scenarios/` (context presets in `scenarios/_contexts/`), `environments/`. */
  readonly dir: string;
  stop(): Promise<void>;
}

/** Writes `files` (paths relative to `scenarios/`) and starts the catalog over them. */
export async function startRealCatalog(files: Readonly<Record<string, string>>): Promise<RealCatalog> {
  const dir = tempDir("paddock-real-catalog-");
  const scenarios = join(dir.path, "scenarios");
  mkdirSync(join(scenarios, "_contexts"), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scenarios, path)), { recursive: true });
    writeFileSync(join(scenarios, path), text);
  }
  const logger = createLogger("catalog-test", "silent");
  const library = await openScenarioLibrary({ root: scenarios, logger, watch: false });
  const app = await buildApp({
    library,
    environments: createEnvironmentStore({ root: join(dir.path, "environments") }),
    contexts: createContextPresetStore({ root: join(scenarios, "_contexts") }),
    logger,
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    dir: dir.path,
    async stop() {
      await app.close();
      await library.close();
      dir.remove();
    },
  };
}
