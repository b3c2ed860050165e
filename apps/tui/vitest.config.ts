import { configDefaults, type ViteUserConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.shared.js";

/**
 * Tests that start the whole stack as processes (and time it: aborts within a second, live
 * progress, tmux key echoes). They run after the rest, one file at a time, so they never
 * compete for the machine's cores with each other or with the unit tests.
 */
const STACK_TESTS = [
  "src/stack/pipeline.test.ts",
  "src/stack/scale-out.test.ts",
  "src/stack/independence.test.ts",
  "src/stack/tui-tmux.test.ts",
  "src/stack/up.test.ts",
];

// The CLI tests spawn bin/paddock.mjs, which runs the built dist/: build it first.
const shared = packageTestConfig({ test: { globalSetup: ["test/global-setup.ts"], hookTimeout: 60_000 } });
// Each project says which files it takes: the package-wide `include` would add every file to both.
const { include: _everyFile, ...common } = shared.test ?? {};

const config: ViteUserConfig = {
  ...shared,
  test: {
    ...common,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
          exclude: [...configDefaults.exclude, ...STACK_TESTS],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "stack",
          include: STACK_TESTS,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
};

export default config;
