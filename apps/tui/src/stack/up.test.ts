/**
 * `paddock up --no-tui` as a process: it prints every URL once all services are ready, and a
 * signal — even sent twice, as npm and a terminal do — stops everything it started.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { eventually, freePort, portIsOpen, tempDir } from "@paddock/testkit";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();

describe("paddock up --no-tui", () => {
  it("brings up NATS and the three services, and stops them all on a repeated SIGTERM", async () => {
    const dir = tempDir("paddock-up-");
    const ports = {
      nats: await freePort(),
      catalog: await freePort(),
      runner: await freePort(),
      results: await freePort(),
    };
    const env = {
      ...process.env,
      NATS_URL: "",
      PADDOCK_NATS_PORT: String(ports.nats),
      PADDOCK_CATALOG_PORT: String(ports.catalog),
      PADDOCK_RUNNER_PORT: String(ports.runner),
      PADDOCK_RESULTS_PORT: String(ports.results),
      PADDOCK_DATA_DIR: join(dir.path, "state"),
    };
    const up = spawn(process.execPath, [join(root, "apps", "tui", "bin", "paddock.mjs"), "up", "--no-tui"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    up.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    up.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => up.once("exit", (code) => resolve(code)));
    try {
      await eventually(
        () => output.includes("Press Ctrl-C to stop."),
        60_000,
        `paddock up to be ready; output:\n${output}`,
      );
      expect(output).toContain(`catalog  http://127.0.0.1:${ports.catalog}`);
      expect(output).toContain(`runner   http://127.0.0.1:${ports.runner}`);
      expect(output).toContain(`results  http://127.0.0.1:${ports.results}`);
      expect(output).toContain(`nats     nats://127.0.0.1:${ports.nats}`);
      for (const port of Object.values(ports)) expect(await portIsOpen(port)).toBe(true);

      up.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 20));
      up.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).toContain("stopped");
      for (const port of Object.values(ports)) expect(await portIsOpen(port)).toBe(false);
    } finally {
      if (up.exitCode === null) up.kill("SIGKILL");
      dir.remove();
    }
  }, 120_000);
});
