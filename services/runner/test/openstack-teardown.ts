/**
 * Vitest global set-up of the runner's tests: after the run, stops the local Keystone and Glance
 * if an OpenStack test of this run started them (they stay up between test files, and a cloud
 * that was already running is left as it was) — once no OpenStack test of another checkout on
 * this machine holds the cloud (the lock of `openstack-cloud.ts`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { acquireLock, cloudLockFile } from "./cloud-lock.js";

const ROOT = join(import.meta.dirname, "../../..");
/** Written by `startCloud` (openstack-cloud.ts) when it started the local cloud. */
const STARTED_BY_TESTS = join(ROOT, ".paddock/openstack-started-by-tests");
const SCRIPT = join(ROOT, "scripts/openstack-local.sh");

export default function setup(): () => Promise<void> {
  return async () => {
    if (!existsSync(STARTED_BY_TESTS)) return;
    const starter = JSON.parse(readFileSync(STARTED_BY_TESTS, "utf8")) as { pid?: number; ppid?: number };
    if (starter.pid !== process.pid && starter.ppid !== process.pid) return;
    // The lock `lockCloud` takes for the local Keystone (port 5000); after 15 minutes, stop anyway.
    const release = await acquireLock(cloudLockFile("5000"), 900_000).catch(() => () => undefined);
    try {
      rmSync(STARTED_BY_TESTS, { force: true });
      execFileSync("bash", [SCRIPT, "stop"], { stdio: "ignore", timeout: 60_000 });
    } finally {
      release();
    }
  };
}
