import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigInvalid } from "@paddock/shared/errors";
import { tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { findRepositoryRoot, loadCatalogConfig } from "./config.js";

describe("catalog configuration", () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it("defaults to the repository's scenarios/ and environments/, found from a subfolder", () => {
    const repo = tempDir();
    dirs.push(repo);
    writeFileSync(join(repo.path, "package.json"), JSON.stringify({ workspaces: ["services/*"] }));
    const service = join(repo.path, "services", "catalog");
    mkdirSync(service, { recursive: true });
    writeFileSync(join(service, "package.json"), JSON.stringify({ name: "@paddock/catalog" }));
    expect(findRepositoryRoot(service)).toBe(repo.path);
    expect(loadCatalogConfig({}, service)).toEqual({
      host: "127.0.0.1",
      port: 7401,
      scenarios: join(repo.path, "scenarios"),
      environments: join(repo.path, "environments"),
      contexts: join(repo.path, "scenarios", "_contexts"),
      scenarioMaxBytes: 524288,
      apiToken: undefined,
      logLevel: "info",
    });
  });

  it("reads every variable, resolving folders against the working directory", () => {
    expect(
      loadCatalogConfig(
        {
          PADDOCK_CATALOG_HOST: "0.0.0.0",
          PADDOCK_CATALOG_PORT: "9001",
          PADDOCK_SCENARIOS: "lib",
          PADDOCK_ENVIRONMENTS: "/etc/paddock/environments",
          PADDOCK_CONTEXTS: "presets",
          PADDOCK_SCENARIO_MAX_BYTES: "1000",
          PADDOCK_API_TOKEN: "t0ken",
          PADDOCK_LOG_LEVEL: "debug",
        },
        "/srv",
      ),
    ).toEqual({
      host: "0.0.0.0",
      port: 9001,
      scenarios: "/srv/lib",
      environments: "/etc/paddock/environments",
      contexts: "/srv/presets",
      scenarioMaxBytes: 1000,
      apiToken: "t0ken",
      logLevel: "debug",
    });
  });

  it("lists every bad variable at once", () => {
    expect(() =>
      loadCatalogConfig({ PADDOCK_CATALOG_PORT: "http", PADDOCK_LOG_LEVEL: "loud" }, "/srv"),
    ).toThrow(ConfigInvalid);
    try {
      loadCatalogConfig({ PADDOCK_CATALOG_PORT: "http", PADDOCK_LOG_LEVEL: "loud" }, "/srv");
    } catch (error) {
      expect((error as ConfigInvalid).problems.map((problem) => problem.path)).toEqual([
        "PADDOCK_CATALOG_PORT",
        "PADDOCK_LOG_LEVEL",
      ]);
    }
  });
});
