import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: [
      "default",
      ["json", { outputFile: `${process.env.PADDOCK_TEST_RESULTS ?? ".test-results"}/catalog.json` }],
    ],
  },
});
