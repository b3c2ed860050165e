import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: [
      "default",
      ["json", { outputFile: `${process.env.PADDOCK_TEST_RESULTS ?? ".test-results"}/tui.json` }],
    ],
  },
});
