#!/usr/bin/env node
// Runs every package's tests through turbo, then prints one closing count over all of them.
// Each package's vitest writes a JSON report into .paddock/test-results/; a package whose
// tests could not run at all (no report) counts as one failure so it cannot pass silently.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const resultsDir = join(root, ".paddock", "test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const workspaces = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;
const packages = workspaces.flatMap((pattern) => {
  const dir = join(root, pattern.replace(/\/\*$/, ""));
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")))
    .filter((pkg) => pkg.scripts?.test);
});

const concurrency = process.env.PADDOCK_TEST_CONCURRENCY ?? "1";
// A hung test must not hold CI until its own limit: give up on the whole run after this long.
const timeoutMinutes = Number(process.env.PADDOCK_TEST_TIMEOUT_MINUTES ?? "40");
const turbo = spawnSync(
  "npx",
  [
    "--no-install",
    "turbo",
    "run",
    "test",
    `--concurrency=${concurrency}`,
    "--continue",
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      PADDOCK_TEST_RESULTS: resultsDir,
      TURBO_TELEMETRY_DISABLED: "1",
      FORCE_COLOR: process.env.FORCE_COLOR ?? "0",
    },
    timeout: timeoutMinutes * 60_000,
    killSignal: "SIGKILL",
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const pkg of packages) {
  const short = pkg.name.split("/").pop();
  const file = join(resultsDir, `${short}.json`);
  if (!existsSync(file)) {
    failed += 1;
    lines.push(`  ${pkg.name.padEnd(20)} no test report (the test run crashed or did not start)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  const p = report.numPassedTests ?? 0;
  // A file that fails to load fails its suite without failing a test: count it too.
  const brokenSuites = (report.numFailedTests ?? 0) === 0 ? (report.numFailedTestSuites ?? 0) : 0;
  const f = (report.numFailedTests ?? 0) + brokenSuites;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  lines.push(`  ${pkg.name.padEnd(20)} ${p} passed, ${f} failed, ${s} skipped`);
}

console.log("\nPaddock test summary");
for (const line of lines) console.log(line);
const ok = failed === 0 && turbo.status === 0;
if (turbo.error?.code === "ETIMEDOUT") {
  console.log(`  the test run took longer than ${timeoutMinutes} minutes and was stopped`);
}
if (turbo.status !== 0 && failed === 0) {
  console.log(`  turbo exited with ${turbo.status ?? turbo.signal}: counted as a failure`);
  failed += 1;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
