#!/usr/bin/env node
// The `paddock` command. Plain JavaScript that runs on old Node versions (20 on Debian 12) just
// long enough to find a new enough one: Paddock needs Node >= 22.12. When the running Node is
// older, it re-runs itself under the Node that `npm start` installs into
// <repo>/.paddock/toolchain, forwarding arguments, stdio, the exit code and signals.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MINIMUM = [22, 12];
const self = realpathSync(fileURLToPath(import.meta.url));

function isNewEnough(version) {
  const [major, minor] = version.split(".").map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

function findRepoRoot(from) {
  let dir = from;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, "utf8")).name === "paddock") return dir;
      } catch {
        // An unreadable package.json is not the root; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function reexec(node) {
  const child = spawn(node, [self, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, PADDOCK_REEXEC: "1" },
  });
  // The child gets terminal signals itself (same process group); this process only waits.
  const forward = (signal) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on("SIGINT", () => {});
  process.on("SIGTERM", forward("SIGTERM"));
  process.on("SIGHUP", forward("SIGHUP"));
  child.on("error", (error) => {
    process.stderr.write(`paddock: cannot start ${node}: ${error.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

if (!isNewEnough(process.versions.node)) {
  const root = findRepoRoot(dirname(self));
  const toolchainNode = root
    ? join(
        root,
        ".paddock",
        "toolchain",
        "node_modules",
        `node-${process.platform}-${process.arch}`,
        "bin",
        "node",
      )
    : undefined;
  if (toolchainNode && existsSync(toolchainNode) && process.env.PADDOCK_REEXEC !== "1") {
    reexec(toolchainNode);
  } else {
    process.stderr.write(
      `paddock: Node ${process.versions.node} is too old (Paddock needs ${MINIMUM.join(".")} or newer): run \`npm start\` once in the Paddock repository (it installs Node 24 into .paddock/toolchain), or install Node 24.\n`,
    );
    process.exit(1);
  }
} else {
  const entry = join(dirname(self), "..", "dist", "bin.js");
  if (!existsSync(entry)) {
    process.stderr.write(
      `paddock: ${entry} is missing: build first (\`npm run build\` in the repository, or \`npm start\` once).\n`,
    );
    process.exit(1);
  }
  // React's production build for the TUI (the development one renders several times slower);
  // a NODE_ENV set by the user still wins. Set before React is first imported.
  process.env.NODE_ENV ??= "production";
  await import(new URL(`file://${entry}`).href);
}
