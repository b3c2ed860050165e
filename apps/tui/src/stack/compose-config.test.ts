/**
 * docker-compose.yml as compose itself reads it: `docker-compose config` (Debian's package; or
 * `docker compose config`) must accept it with the secrets an .env gives, refuse it naming each
 * missing secret, and resolve to services that start in dependency order, scale (runner), mount
 * the library (catalog) and use MongoDB (results). Without either binary, one SKIPPED line. Also
 * checks that .env stays uncommitted and that every variable a deployable reads is documented.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseTaskText } from "@paddock/tasks";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();
const composeFile = join(root, "docker-compose.yml");

/** The compose command available here, or why there is none. */
function findCompose(): { command: string[] } | { missing: string } {
  const v1 = spawnSync("docker-compose", ["version"], { encoding: "utf8" });
  if (v1.status === 0) return { command: ["docker-compose"] };
  const v2 = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
  if (v2.status === 0) return { command: ["docker", "compose"] };
  return {
    missing: "neither docker-compose nor `docker compose` is installed (apt-get install docker-compose)",
  };
}

const compose = findCompose();
if ("missing" in compose) console.log(`SKIPPED compose config: ${compose.missing}`);

interface ComposeService {
  readonly image?: string;
  readonly container_name?: string;
  readonly command?: string[];
  readonly environment?: Record<string, string | null>;
  readonly volumes?: (string | { source?: string; target: string; read_only?: boolean })[];
  readonly ports?: (string | { published?: string | number; target: number; host_ip?: string })[];
  readonly depends_on?: Record<string, { condition: string }>;
  readonly healthcheck?: { test: string[] };
  readonly build?: { context: string; dockerfile: string };
  readonly profiles?: string[];
}

interface ComposeModel {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

/** Host IP, host port ('' when left to the engine) and container port of a port mapping. */
function portOf(port: string | { published?: string | number; target: number; host_ip?: string }) {
  if (typeof port === "string") {
    const parts = port.replace(/\/tcp$/, "").split(":");
    const target = Number(parts.pop());
    const published = parts.pop() ?? "";
    return { hostIp: parts.pop() ?? "", published, target };
  }
  return { hostIp: port.host_ip ?? "", published: String(port.published ?? ""), target: port.target };
}

function mountOf(volume: string | { source?: string; target: string; read_only?: boolean }) {
  if (typeof volume !== "string")
    return { source: volume.source ?? "", target: volume.target, readOnly: volume.read_only === true };
  const [source = "", target = "", mode = ""] = volume.split(":");
  return { source, target, readOnly: mode === "ro" };
}

describe.skipIf("missing" in compose)("docker-compose config", () => {
  const command = "command" in compose ? compose.command : [];
  let dir: TempDir;
  let envFile: string;

  function config(env: string): { status: number | null; stdout: string; stderr: string } {
    writeFileSync(envFile, env);
    const [bin, ...args] = command as [string, ...string[]];
    const result = spawnSync(bin, [...args, "--env-file", envFile, "-f", composeFile, "config"], {
      cwd: root,
      encoding: "utf8",
      // Only what the env file says: a developer's shell must not change the outcome.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir.path },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  beforeAll(() => {
    dir = tempDir("paddock-compose-");
    envFile = join(dir.path, "test.env");
  });
  afterAll(() => dir?.remove());

  it("accepts the file with the secrets of an .env, and resolves every service as documented", () => {
    const result = config("NATS_PASSWORD=nats-pw-1\nPADDOCK_API_TOKEN=api-token-1\n");
    expect(result.status, result.stderr).toBe(0);
    const model = parseTaskText(result.stdout, "docker-compose config") as ComposeModel;
    const { nats, mongo, catalog, runner, results, cli } = model.services;
    expect(Object.keys(model.services).sort()).toEqual([
      "catalog",
      "cli",
      "mongo",
      "nats",
      "results",
      "runner",
    ]);
    if (!nats || !mongo || !catalog || !runner || !results || !cli) throw new Error("a service is missing");

    // nats: JetStream configured by deploy/nats.conf, data on a volume, the user from .env.
    expect(nats.command).toEqual([
      "nats-server",
      "--config",
      "/etc/nats/paddock.conf",
      "--store_dir",
      "/data",
    ]);
    expect(nats.volumes?.map(mountOf)).toContainEqual(
      expect.objectContaining({
        source: join(root, "deploy", "nats.conf"),
        target: "/etc/nats/paddock.conf",
      }),
    );
    expect(nats.volumes?.map(mountOf)).toContainEqual(expect.objectContaining({ target: "/data" }));
    expect(nats.environment).toMatchObject({ NATS_USER: "paddock", NATS_PASSWORD: "nats-pw-1" });
    expect(nats.healthcheck?.test.join(" ")).toContain("js-enabled-only=true");

    // mongo: a volume and a health check.
    expect(mongo.volumes?.map(mountOf)).toContainEqual(expect.objectContaining({ target: "/data/db" }));
    expect(mongo.healthcheck?.test).toContain("mongosh");

    // catalog: the library folders mounted where its image serves them.
    expect(catalog.volumes?.map(mountOf)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: join(root, "scenarios"), target: "/app/scenarios" }),
        expect.objectContaining({ source: join(root, "environments"), target: "/app/environments" }),
      ]),
    );

    // runner: scalable — no container name, no fixed host port; after NATS and the catalog.
    expect(runner.container_name).toBeUndefined();
    for (const port of runner.ports ?? []) expect(portOf(port).published).toBe("");
    expect(runner.depends_on).toMatchObject({
      nats: { condition: "service_healthy" },
      catalog: { condition: "service_healthy" },
    });
    expect(runner.environment).toMatchObject({
      NATS_URL: "nats://nats:4222",
      NATS_USER: "paddock",
      NATS_PASSWORD: "nats-pw-1",
      PADDOCK_API_TOKEN: "api-token-1",
      PADDOCK_CATALOG_URL: "http://catalog:7401",
    });
    expect(runner.environment?.PADDOCK_RUNNER_ID).toBeUndefined();

    // results: MongoDB (the compose mongo by default), after NATS and MongoDB are healthy.
    expect(results.environment?.MONGO_URL).toBe("mongodb://mongo:27017/paddock?directConnection=true");
    expect(results.depends_on).toMatchObject({
      nats: { condition: "service_healthy" },
      mongo: { condition: "service_healthy" },
    });

    // Published ports stay on the host's loopback; each service has its own image and Dockerfile.
    for (const [name, service] of Object.entries(model.services)) {
      for (const port of service.ports ?? []) expect(portOf(port).hostIp, name).toBe("127.0.0.1");
      if (service.build) {
        expect(service.build.dockerfile).toBe(`deploy/${name}.Dockerfile`);
        expect(readdirSync(join(root, "deploy"))).toContain(`${name}.Dockerfile`);
      }
    }
    expect(cli.profiles).toEqual(["cli"]);
    expect(Object.keys(model.volumes ?? {}).sort()).toEqual(["mongo-data", "nats-data", "results-data"]);
  });

  it("takes MONGO_URL from .env, and keeps SQLite when it is set empty", () => {
    const other = config(
      "NATS_PASSWORD=p\nPADDOCK_API_TOKEN=t\nMONGO_URL=mongodb://db1,db2/paddock?replicaSet=rs0\n",
    );
    expect(other.status, other.stderr).toBe(0);
    const model = parseTaskText(other.stdout, "config") as ComposeModel;
    expect(model.services.results?.environment?.MONGO_URL).toBe("mongodb://db1,db2/paddock?replicaSet=rs0");
    const empty = config("NATS_PASSWORD=p\nPADDOCK_API_TOKEN=t\nMONGO_URL=\n");
    expect(empty.status, empty.stderr).toBe(0);
    const sqlite = parseTaskText(empty.stdout, "config") as ComposeModel;
    expect(sqlite.services.results?.environment?.MONGO_URL ?? "").toBe("");
  });

  it("refuses to resolve without the secrets, naming the one to set", () => {
    const noPassword = config("PADDOCK_API_TOKEN=t\n");
    expect(noPassword.status).not.toBe(0);
    expect(noPassword.stderr).toContain("set NATS_PASSWORD in .env");
    const noToken = config("NATS_PASSWORD=p\n");
    expect(noToken.status).not.toBe(0);
    expect(noToken.stderr).toContain("set PADDOCK_API_TOKEN in .env");
  });
});

describe("configuration files", () => {
  it("keeps .env out of git and ships .env.example", () => {
    const ignoredEnv = spawnSync("git", ["check-ignore", "-q", ".env"], { cwd: root });
    expect(ignoredEnv.status).toBe(0);
    const tracked = spawnSync("git", ["ls-files", "--error-unmatch", ".env.example"], { cwd: root });
    expect(tracked.status).toBe(0);
  });

  it("documents every variable a deployable reads in .env.example and docs/operations.md", () => {
    const sources = [
      "services/catalog/src/config.ts",
      "services/runner/src/config.ts",
      "services/results/src/config.ts",
      "packages/bus/src/connection.ts",
      "apps/tui/src/config.ts",
      "apps/tui/src/stack/stack-config.ts",
      "apps/tui/src/tui/tui-config.ts",
    ];
    const names = new Set<string>();
    for (const source of sources) {
      const text = readFileSync(join(root, source), "utf8");
      for (const match of text.matchAll(/(?:variable|optional)(?:<[^>]*>)?\(\s*"([A-Z][A-Z0-9_]+)"/g))
        names.add(match[1] as string);
    }
    expect(names.size).toBeGreaterThan(25);
    const example = readFileSync(join(root, ".env.example"), "utf8");
    const operations = readFileSync(join(root, "docs", "operations.md"), "utf8");
    for (const name of names) {
      expect(example, `.env.example lists ${name}`).toMatch(new RegExp(`^#? ?${name}=`, "m"));
      expect(operations, `docs/operations.md documents ${name}`).toContain(`\`${name}\``);
    }
  });
});
