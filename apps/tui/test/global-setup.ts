/**
 * Builds the package once before the tests: the CLI tests run the real `bin/paddock.mjs`,
 * which imports `dist/`.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
  const tsc = join(packageDir, "..", "..", "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: packageDir,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`building @paddock/tui failed:\n${result.stdout}${result.stderr}`);
  }
}
