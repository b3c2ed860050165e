import { packageTestConfig } from "../../vitest.shared.js";

// The CLI tests spawn bin/paddock.mjs, which runs the built dist/: build it first.
export default packageTestConfig({ test: { globalSetup: ["test/global-setup.ts"], hookTimeout: 60_000 } });
