#!/usr/bin/env node
// Bootstrap for `npm start` and `npm test` on a fresh machine.
//
// Runs on whatever Node started it (Node 20 on a stock Debian 12), so it uses no dependencies and
// no syntax newer than Node 18. It makes sure of, in order:
//   1. Node 24 LTS (the pinned version in package.json "paddock.node"), from the npm registry into
//      .paddock/toolchain when the running Node is older than 24;
//   2. node_modules (`npm ci`, again whenever package-lock.json changes);
//   3. a build (`turbo run build`, cached);
//   4. a nats-server binary (on PATH, else `apt-get install nats-server` when root on Debian/Ubuntu)
//      unless NATS_URL points at a server that already runs;
// then hands over to the real command under Node 24:
//   start → `paddock up` (the local stack and the TUI), test → scripts/run-tests.mjs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const stateDir = join(root, ".paddock");
const [mode = "start", ...rest] = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pinnedNode = pkg.paddock.node;

function say(message) {
  process.stderr.write(`[paddock] ${message}\n`);
}

function fail(message) {
  say(message);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.error) fail(`${command} ${args.join(" ")} could not start: ${result.error.message}`);
  return result.status ?? 1;
}

function onPath(name, envPath) {
  for (const dir of envPath.split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Returns the environment every later step runs with: Node 24 first on PATH. */
function ensureNode() {
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 24) return env;

  const platformPackage = `node-${process.platform}-${process.arch}`;
  const toolchain = join(stateDir, "toolchain");
  const nodeHome = join(toolchain, "node_modules", platformPackage);
  const nodeBin = join(nodeHome, "bin", "node");
  const installed = existsSync(nodeBin)
    ? spawnSync(nodeBin, ["--version"], { encoding: "utf8" }).stdout.trim()
    : "";
  if (installed !== `v${pinnedNode}`) {
    say(
      `Node ${process.versions.node} is older than 24: installing Node ${pinnedNode} (${platformPackage}) into .paddock/toolchain`,
    );
    mkdirSync(toolchain, { recursive: true });
    writeFileSync(join(toolchain, "package.json"), '{ "private": true }\n');
    const status = run("npm", [
      "install",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "--prefix",
      toolchain,
      `${platformPackage}@${pinnedNode}`,
    ]);
    if (status !== 0 || !existsSync(nodeBin)) {
      fail(
        `could not install ${platformPackage}@${pinnedNode} from the npm registry; install Node ${pinnedNode} yourself and run this again`,
      );
    }
  }
  env.PATH = `${join(nodeHome, "bin")}${delimiter}${env.PATH ?? ""}`;
  // Native addons must build against Node 24's headers, not the system Node's.
  env.npm_config_nodedir = nodeHome;
  return env;
}

function ensureDependencies(env) {
  const lock = join(root, "package-lock.json");
  const stamp = join(root, "node_modules", ".package-lock.json");
  const fresh = existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  say("installing dependencies (npm ci)");
  if (run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { env }) !== 0) {
    fail("npm ci failed (see above)");
  }
}

function build(env) {
  say("building (turbo run build)");
  const status = run("npx", ["--no-install", "turbo", "run", "build", "--output-logs=errors-only"], { env });
  if (status !== 0) fail("the build failed (see above)");
}

function ensureNatsServer(env) {
  if (env.NATS_URL) return;
  if (env.NATS_SERVER_BIN && existsSync(env.NATS_SERVER_BIN)) return;
  if (onPath("nats-server", env.PATH ?? "")) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = onPath("apt-get", env.PATH ?? "") !== undefined;
  if (isRoot && hasApt) {
    say("nats-server not found: installing it with apt-get");
    const aptEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
    let status = run("apt-get", ["install", "-y", "-qq", "nats-server"], {
      env: aptEnv,
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (status !== 0) {
      run("apt-get", ["update", "-qq"], { env: aptEnv });
      status = run("apt-get", ["install", "-y", "-qq", "nats-server"], { env: aptEnv });
    }
    if (status === 0 && onPath("nats-server", env.PATH ?? "")) return;
  }
  fail(
    "nats-server is needed and was not found on PATH.\n" +
      "  Install it (Debian/Ubuntu: `sudo apt-get install nats-server`; elsewhere: https://docs.nats.io),\n" +
      "  or set NATS_SERVER_BIN to its path, or set NATS_URL to a running server with JetStream enabled.",
  );
}

function handOver(env, script, args) {
  const child = spawn("node", [script, ...args], {
    stdio: "inherit",
    cwd: root,
    env,
  });
  // The child owns the terminal and the shutdown; this process only waits for it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const env = ensureNode();
ensureDependencies(env);
build(env);
ensureNatsServer(env);
switch (mode) {
  case "start":
    handOver(env, join(root, "apps", "tui", "dist", "bin.js"), ["up", ...rest]);
    break;
  case "test":
    handOver(env, join(root, "scripts", "run-tests.mjs"), rest);
    break;
  case "prepare":
    break;
  default:
    fail(`unknown bootstrap mode '${mode}' (expected start, test or prepare)`);
}
