/**
 * The images in deploy/, checked as far as a machine without a container engine can: each
 * Dockerfile is read by a strict parser (instructions, JSON forms, stages, flags), the files it
 * copies from the build context exist and are not excluded by its .dockerignore, the image runs
 * as a non-root user with a HEALTHCHECK on /readyz, and the `turbo prune` it runs is run here for
 * real on a copy of the build context: it must succeed, name exactly the workspaces whose output
 * the image copies, and yield a consistent lockfile without the other deployables' dependencies.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();

// ---------------------------------------------------------------------------------------------
// A strict Dockerfile reader (the subset of the syntax BuildKit's frontend accepts that matters).

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

interface Dockerfile {
  readonly globalArgs: Map<string, string | undefined>;
  readonly stages: Stage[];
}

const KEYWORDS = new Set([
  "FROM",
  "RUN",
  "CMD",
  "LABEL",
  "EXPOSE",
  "ENV",
  "ADD",
  "COPY",
  "ENTRYPOINT",
  "VOLUME",
  "USER",
  "WORKDIR",
  "ARG",
  "ONBUILD",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "SHELL",
]);

function fail(file: string, line: number, message: string): never {
  throw new Error(`${file}:${line}: ${message}`);
}

/** Splits `text` into instructions, joining `\` continuations and dropping comments. */
function instructionsOf(file: string, text: string): Instruction[] {
  const lines = text.split("\n");
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    // Comments and blank lines are skipped, also inside a continued instruction.
    if (trimmed.startsWith("#") || trimmed === "") return;
    const continued = trimmed.endsWith("\\");
    const part = continued ? trimmed.slice(0, -1) : trimmed;
    pending =
      pending === undefined ? { text: part, line } : { text: `${pending.text} ${part}`, line: pending.line };
    if (continued) return;
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(pending.text.trim());
    if (!match) fail(file, pending.line, `not an instruction: '${pending.text}'`);
    const keyword = (match[1] as string).toUpperCase();
    if (!KEYWORDS.has(keyword)) fail(file, pending.line, `unknown instruction ${keyword}`);
    out.push({ keyword, args: (match[2] as string).trim(), line: pending.line });
    pending = undefined;
  });
  if (pending !== undefined) fail(file, pending.line, "the file ends inside a continued line");
  return out;
}

/** A JSON-form argument list (`["a", "b"]`), or undefined when `args` is in shell form. */
function jsonForm(file: string, instruction: Instruction): string[] | undefined {
  if (!instruction.args.startsWith("[")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(instruction.args);
  } catch (error) {
    fail(file, instruction.line, `${instruction.keyword}: invalid JSON form (${(error as Error).message})`);
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === "string"))
    fail(
      file,
      instruction.line,
      `${instruction.keyword}: the JSON form must be a non-empty array of strings`,
    );
  return value;
}

/** `--name=value` flags first, then the rest split on whitespace. */
function flagsAndWords(args: string): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words = args.split(/\s+/).filter((word) => word !== "");
  while (words[0]?.startsWith("--")) {
    const [name, value] = (words.shift() as string).slice(2).split("=", 2) as [string, string | undefined];
    flags.set(name, value ?? "true");
  }
  return { flags, words };
}

/** `KEY=value` pairs of ENV (values may be double-quoted). */
function envPairs(file: string, instruction: Instruction): Map<string, string> {
  const pairs = new Map<string, string>();
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)\s*/y;
  let rest = instruction.args;
  while (rest.length > 0) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) fail(file, instruction.line, `ENV: expected KEY=value at '${rest}'`);
    const raw = match[2] as string;
    pairs.set(match[1] as string, raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
    rest = rest.slice(match[0].length);
  }
  return pairs;
}

function parseDockerfile(file: string, text: string): Dockerfile {
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  const names = new Set<string>();
  for (const instruction of instructionsOf(file, text)) {
    const { keyword, args, line } = instruction;
    if (stages.length === 0 && keyword !== "FROM") {
      if (keyword !== "ARG") fail(file, line, `only ARG may come before the first FROM, not ${keyword}`);
      const [name, value] = args.split("=", 2) as [string, string | undefined];
      globalArgs.set(name, value);
      continue;
    }
    if (keyword === "FROM") {
      const { flags, words } = flagsAndWords(args);
      for (const flag of flags.keys())
        if (flag !== "platform") fail(file, line, `FROM: unknown flag --${flag}`);
      const [image, as, name, ...extra] = words;
      if (image === undefined) fail(file, line, "FROM needs an image");
      if (as !== undefined && (as.toUpperCase() !== "AS" || name === undefined || extra.length > 0))
        fail(file, line, "FROM: expected 'FROM image [AS name]'");
      const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(image);
      if (variable && !globalArgs.has(variable[1] as string))
        fail(file, line, `FROM uses ${image}, which no ARG before the first FROM declares`);
      if (name !== undefined) {
        if (names.has(name.toLowerCase())) fail(file, line, `stage name '${name}' is used twice`);
        names.add(name.toLowerCase());
      }
      stages.push({ image, name: name?.toLowerCase(), instructions: [] });
      continue;
    }
    const stage = stages.at(-1) as Stage;
    if (keyword === "COPY" || keyword === "ADD") {
      const { flags, words } = flagsAndWords(args);
      for (const flag of flags.keys())
        if (!["from", "chown", "chmod", "link", "parents", "exclude"].includes(flag))
          fail(file, line, `${keyword}: unknown flag --${flag}`);
      const from = flags.get("from");
      if (from !== undefined && !names.has(from.toLowerCase()) && !from.includes(":") && !from.includes("/"))
        fail(file, line, `${keyword} --from=${from} names no earlier stage`);
      if (jsonForm(file, instruction) === undefined && words.length < 2)
        fail(file, line, `${keyword} needs a source and a destination`);
    }
    if (["CMD", "ENTRYPOINT", "RUN", "SHELL"].includes(keyword)) jsonForm(file, instruction);
    if (keyword === "SHELL" && jsonForm(file, instruction) === undefined)
      fail(file, line, "SHELL needs the JSON form");
    if (keyword === "ENV") envPairs(file, instruction);
    if (keyword === "EXPOSE" && !args.split(/\s+/).every((port) => /^\d+(\/(tcp|udp))?$/.test(port)))
      fail(file, line, `EXPOSE: '${args}' is not a list of ports`);
    if (keyword === "HEALTHCHECK" && args !== "NONE") {
      const { flags, words } = flagsAndWords(args);
      for (const flag of flags.keys())
        if (!["interval", "timeout", "start-period", "start-interval", "retries"].includes(flag))
          fail(file, line, `HEALTHCHECK: unknown flag --${flag}`);
      if (words[0] !== "CMD") fail(file, line, "HEALTHCHECK: expected NONE or [options] CMD command");
      const command = args.slice(args.indexOf("CMD") + 3).trim();
      jsonForm(file, { keyword: "HEALTHCHECK CMD", args: command, line });
    }
    stage.instructions.push(instruction);
  }
  if (stages.length === 0) fail(file, 1, "no FROM");
  return { globalArgs, stages };
}

// ---------------------------------------------------------------------------------------------
// .dockerignore: which build-context paths the engine leaves out (no `!` exceptions are used).

function ignoreRules(text: string): RegExp[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((pattern) => {
      if (pattern.startsWith("!")) throw new Error(`exceptions ('${pattern}') are not handled by this test`);
      const body = pattern
        .replace(/^\/+/, "")
        .split("/")
        .map((segment) =>
          segment === "**"
            ? "(?:.*/)?"
            : `${segment
                .replace(/[.+^$()|[\]{}]/g, "\\$&")
                .replace(/\*/g, "[^/]*")
                .replace(/\?/g, "[^/]")}/`,
        )
        .join("");
      // A pattern excludes the path it matches and everything below it.
      return new RegExp(`^${body.replace(/\/$/, "")}(?:/.*)?$`);
    });
}

function ignored(rules: readonly RegExp[], path: string): boolean {
  return rules.some((rule) => rule.test(path));
}

/** Copies the build context the engine would send (the repository minus ignored paths) to `to`. */
function copyContext(rules: readonly RegExp[], to: string, folder = root): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    const relativePath = relative(root, path);
    if (ignored(rules, relativePath)) continue;
    if (entry.isDirectory()) copyContext(rules, to, path);
    else if (entry.isFile()) {
      mkdirSync(join(to, relative(root, folder)), { recursive: true });
      cpSync(path, join(to, relativePath));
    }
  }
}

// ---------------------------------------------------------------------------------------------

interface Deployable {
  readonly image: string;
  readonly pkg: string;
  /** The folder of the workspace the image runs. */
  readonly folder: string;
  /** Default port of its HTTP API (undefined for the CLI). */
  readonly port?: number;
}

const DEPLOYABLES: readonly Deployable[] = [
  { image: "catalog", pkg: "@paddock/catalog", folder: "services/catalog", port: 7401 },
  { image: "runner", pkg: "@paddock/runner", folder: "services/runner", port: 7402 },
  { image: "results", pkg: "@paddock/results", folder: "services/results", port: 7403 },
  { image: "cli", pkg: "@paddock/tui", folder: "apps/tui" },
];

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

interface Lockfile {
  packages: Record<
    string,
    { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
  >;
}

/** Names of the external packages `pkg` needs in production, by the repository's lockfile. */
function productionClosure(lock: Lockfile, folder: string): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    const entry = lock.packages[key];
    if (entry === undefined) return;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      if (seen.has(name)) continue;
      seen.add(name);
      const link = lock.packages[`node_modules/${name}`] as { link?: boolean; resolved?: string } | undefined;
      visit(link?.link ? (link.resolved as string) : `node_modules/${name}`);
    }
  };
  visit(folder);
  return seen;
}

/** The npm tree of a dependency listing (`npm ls --json`). */
interface NpmTree {
  readonly dependencies?: Record<string, NpmTree>;
}

/**
 * The packages `npm ci --omit=dev` installs from the lockfile in `folder`, as npm itself lists
 * them; fails when the lockfile is not a consistent tree.
 */
function productionInstall(folder: string): Set<string> {
  const listed = spawnSync("npm", ["ls", "--all", "--package-lock-only", "--omit=dev", "--json"], {
    cwd: folder,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) throw new Error(`npm ls failed in ${folder}:\n${listed.stderr}`);
  const names = new Set<string>();
  const walk = (tree: NpmTree) => {
    for (const [name, child] of Object.entries(tree.dependencies ?? {})) {
      names.add(name);
      walk(child);
    }
  };
  walk(JSON.parse(listed.stdout) as NpmTree);
  return names;
}

describe("deploy/*.Dockerfile", () => {
  let work: TempDir;
  const rootLock = readJson<Lockfile>(join(root, "package-lock.json"));
  const turboVersion = readJson<{ devDependencies: Record<string, string> }>(join(root, "package.json"))
    .devDependencies.turbo;

  beforeAll(() => {
    work = tempDir("paddock-dockerfiles-");
  });
  afterAll(() => work?.remove());

  it("replaces the single parametrised Dockerfile with one per deployable", () => {
    const files = readdirSync(join(root, "deploy")).filter((name) => name.endsWith(".Dockerfile"));
    expect(files.sort()).toEqual(DEPLOYABLES.map((d) => `${d.image}.Dockerfile`).sort());
    expect(existsSync(join(root, "deploy", "Dockerfile"))).toBe(false);
  });

  it("the reader refuses malformed Dockerfiles", () => {
    const bad = (text: string) => () => parseDockerfile("bad.Dockerfile", text);
    expect(bad("RUN echo\n")).toThrow(/only ARG may come before the first FROM/);
    expect(bad("FROM node AS a\nFROM node AS a\n")).toThrow(/used twice/);
    expect(bad("FROM node\nCOPY --from=nowhere /a /b\n")).toThrow(/names no earlier stage/);
    expect(bad('FROM node\nCMD ["node", "x.js"\n')).toThrow(/invalid JSON form/);
    expect(bad("FROM node\nFETCH x\n")).toThrow(/unknown instruction FETCH/);
    expect(bad("FROM node\nRUN a \\\n")).toThrow(/ends inside a continued line/);
    expect(bad("FROM node\nCOPY only-one\n")).toThrow(/needs a source and a destination/);
    expect(bad("FROM node\nENV =x\n")).toThrow(/expected KEY=value/);
    expect(bad("FROM node\nEXPOSE http\n")).toThrow(/not a list of ports/);
    expect(bad(`FROM $\{BASE}\n`)).toThrow(/no ARG before the first FROM/);
    expect(bad("FROM node\nHEALTHCHECK --every=1s CMD true\n")).toThrow(/unknown flag --every/);
  });

  for (const deployable of DEPLOYABLES) {
    describe(`${deployable.image}.Dockerfile`, () => {
      const file = join(root, "deploy", `${deployable.image}.Dockerfile`);
      const text = readFileSync(file, "utf8");
      const dockerfile = parseDockerfile(file, text);
      const final = dockerfile.stages.at(-1) as Stage;
      const rules = ignoreRules(readFileSync(`${file}.dockerignore`, "utf8"));
      const all = (keyword: string, stage?: Stage) =>
        (stage ? [stage] : dockerfile.stages).flatMap((s) =>
          s.instructions.filter((i) => i.keyword === keyword),
        );

      it("builds in stages on node:24-slim and keeps secrets, dependencies and outputs out of the context", () => {
        expect(dockerfile.globalArgs.get("NODE_IMAGE")).toBe("node:24-slim");
        expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
        for (const stage of dockerfile.stages) expect(stage.image).toBe(`$\{NODE_IMAGE}`);
        for (const path of [
          "node_modules",
          "services/runner/node_modules",
          ".env",
          ".git",
          "packages/shared/dist",
        ])
          expect(ignored(rules, path), path).toBe(true);
        for (const path of [
          "package.json",
          "package-lock.json",
          "tsconfig.base.json",
          `${deployable.folder}/src`,
        ])
          expect(ignored(rules, path), path).toBe(false);
      });

      it("copies from the build context only files that exist and are sent", () => {
        for (const instruction of [...all("COPY"), ...all("ADD")]) {
          const { flags, words } = flagsAndWords(instruction.args);
          if (flags.has("from")) continue;
          for (const source of words.slice(0, -1)) {
            const path = source.replace(/^\.\/?/, "");
            if (path === "") continue;
            expect(existsSync(join(root, path)), `${instruction.line}: ${source}`).toBe(true);
            expect(ignored(rules, path), `${instruction.line}: ${source} is excluded`).toBe(false);
          }
        }
      });

      it("runs as a non-root user, with a health check on /readyz unless it serves nothing", () => {
        const users = all("USER", final);
        const user = users.at(-1)?.args;
        expect(user, "the final stage sets USER").toBeDefined();
        expect(["root", "0"]).not.toContain(user?.split(":")[0]);
        const healthchecks = all("HEALTHCHECK", final);
        expect(healthchecks).toHaveLength(1);
        const healthcheck = healthchecks[0] as Instruction;
        if (deployable.port === undefined) {
          expect(healthcheck.args).toBe("NONE");
          return;
        }
        expect(healthcheck.args).toContain("/readyz");
        const env = new Map(all("ENV", final).flatMap((i) => [...envPairs(file, i)]));
        const portVariable = `PADDOCK_${deployable.image.toUpperCase()}_PORT`;
        expect(env.get(portVariable)).toBe(String(deployable.port));
        expect(env.get(`PADDOCK_${deployable.image.toUpperCase()}_HOST`)).toBe("0.0.0.0");
        expect(healthcheck.args).toContain(`process.env.${portVariable}`);
        expect(all("EXPOSE", final).map((i) => i.args)).toEqual([String(deployable.port)]);
        const cmd = jsonForm(file, all("CMD", final).at(-1) as Instruction);
        // The Node options the service declares (`paddock.nodeArgs`), as every launcher passes them.
        const nodeArgs =
          readJson<{ paddock?: { nodeArgs?: string[] } }>(join(root, deployable.folder, "package.json"))
            .paddock?.nodeArgs ?? [];
        expect(cmd).toEqual(["node", ...nodeArgs, `${deployable.folder}/dist/main.js`]);
        // And the environment it declares (`paddock.env`), as ENV of the image.
        const declaredEnv =
          readJson<{ paddock?: { env?: Record<string, string> } }>(
            join(root, deployable.folder, "package.json"),
          ).paddock?.env ?? {};
        for (const [name, value] of Object.entries(declaredEnv)) expect(env.get(name), name).toBe(value);
        expect(existsSync(join(root, deployable.folder, "src", "main.ts"))).toBe(true);
      });

      it("runs the real turbo prune: it names exactly the workspaces the image copies, and its lockfile holds no other deployable's dependencies", () => {
        const prune = all("RUN").find((i) => i.args.includes(" prune "));
        const match =
          /npx --yes turbo@\$\{TURBO_VERSION\} prune (\S+) (--docker --production) --out-dir (\S+)/.exec(
            prune?.args ?? "",
          );
        expect(match, "a RUN with turbo prune").not.toBeNull();
        const [, pkg, flags] = match as unknown as [string, string, string];
        expect(pkg).toBe(deployable.pkg);
        const turboArg = all("ARG").find((i) => i.args.startsWith("TURBO_VERSION="));
        expect(turboArg?.args).toBe(`TURBO_VERSION=${turboVersion}`);

        const context = join(work.path, deployable.image, "context");
        const out = join(work.path, deployable.image, "pruned");
        copyContext(rules, context);
        const result = spawnSync(
          join(root, "node_modules", ".bin", "turbo"),
          ["prune", pkg, ...flags.split(" "), "--out-dir", out],
          { cwd: context, encoding: "utf8", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
        );
        expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
        const added = [...result.stdout.matchAll(/Added (@paddock\/\S+)/g)].map((m) => m[1]);

        // The workspaces whose dist/ the final stage copies are exactly those turbo kept.
        const copied = all("COPY", final)
          .map((i) => /^--from=build \/app\/(\S+)\/dist /.exec(i.args)?.[1])
          .filter((folder): folder is string => folder !== undefined)
          .map((folder) => readJson<{ name: string }>(join(root, folder, "package.json")).name);
        expect(copied.sort()).toEqual([...added].sort());
        expect(added).not.toContain("@paddock/testkit");

        // What the image installs (`npm ci --omit=dev` on the pruned lockfile).
        const names = productionInstall(join(out, "json"));
        expect(names.has(deployable.pkg)).toBe(true);
        const own = productionClosure(rootLock, deployable.folder);
        for (const other of DEPLOYABLES.filter((d) => d !== deployable)) {
          expect(names.has(other.pkg), other.pkg).toBe(false);
          for (const dependency of productionClosure(rootLock, other.folder)) {
            if (own.has(dependency) || dependency.startsWith("@paddock/")) continue;
            expect(names.has(dependency), `${dependency} (of ${other.image})`).toBe(false);
          }
        }
        expect(statSync(join(out, "full", deployable.folder, "src")).isDirectory()).toBe(true);
      });
    });
  }

  it("has one deploy/README.md naming every file of the folder", () => {
    const readme = readFileSync(join(root, "deploy", "README.md"), "utf8");
    for (const name of readdirSync(join(root, "deploy")).filter((n) => n !== "README.md"))
      expect(readme, name).toContain(
        name.endsWith(".Dockerfile.dockerignore") ? ".Dockerfile.dockerignore" : name,
      );
  });
});
