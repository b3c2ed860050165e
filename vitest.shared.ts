/**
 * The test settings every package shares. Each package's `vitest.config.ts` calls
 * `packageTestConfig()`; the JSON report lands where `scripts/run-tests.mjs` collects it
 * (`PADDOCK_TEST_RESULTS/<package folder>.json`).
 */
import { basename } from "node:path";
import { defineConfig, mergeConfig, type ViteUserConfig } from "vitest/config";

export function packageTestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  const report = `${process.env.PADDOCK_TEST_RESULTS ?? ".test-results"}/${basename(process.cwd())}.json`;
  const base = defineConfig({
    test: {
      include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      reporters: ["default", ["json", { outputFile: report }]],
    },
  });
  return mergeConfig(base, overrides);
}
