/**
 * Vitest global set-up of the runner's tests: after the run, stops the local Keystone and Glance
 * if an OpenStack test of this run started them (they stay up between test files, and a cloud
 * that was already running is left as it was) — once no OpenStack test of another checkout on
 * this machine holds the cloud (the lock of `openstack-cloud.ts`).
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../../..");
/** Written by `startCloud` (openstack-cloud.ts) when it started the local cloud. */
const STARTED_BY_TESTS = join(ROOT, ".paddock/openstack-started-by-tests");
const SCRIPT = join(ROOT, "scripts/openstack-local.sh");
/** The lock `lockCloud` takes for the local Keystone on port 5000. */
const LOCK = join(tmpdir(), "paddock-openstack-tests-5000.lock");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function holdLock(): Promise<() => void> {
  for (let waited = 0; waited < 900_000; waited += 250) {
    try {
      const fd = openSync(LOCK, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(LOCK, { force: true });
    } catch {
      const holder = Number(readFileSync(LOCK, { encoding: "utf8", flag: "a+" }) || "0");
      if (holder > 0 && !alive(holder)) rmSync(LOCK, { force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return () => undefined;
}

export default function setup(): () => Promise<void> {
  return async () => {
    if (!existsSync(STARTED_BY_TESTS)) return;
    const starter = JSON.parse(readFileSync(STARTED_BY_TESTS, "utf8")) as { pid?: number; ppid?: number };
    if (starter.pid !== process.pid && starter.ppid !== process.pid) return;
    const release = await holdLock();
    try {
      rmSync(STARTED_BY_TESTS, { force: true });
      execFileSync("bash", [SCRIPT, "stop"], { stdio: "ignore", timeout: 60_000 });
    } finally {
      release();
    }
  };
}
