/**
 * The lock OpenStack test files take in turn on the cloud they share (one per machine and Keystone
 * port: other checkouts of the repository — a CI copy, another developer's — use the same local
 * cloud). The file holds the holder's pid; a dead holder's lock is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The lock file for the cloud whose Keystone listens on `port`. */
export function cloudLockFile(port: string): string {
  return join(tmpdir(), `paddock-openstack-tests-${port}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock file `path`, waiting up to `timeoutMs`; resolves with its release. */
export async function acquireLock(path: string, timeoutMs: number): Promise<() => void> {
  for (let waited = 0; waited < timeoutMs; waited += 250) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch {
      const holder = Number(readFileSync(path, { encoding: "utf8", flag: "a+" }) || "0");
      if (holder > 0 && !alive(holder)) rmSync(path, { force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${path} stayed locked for ${timeoutMs / 1000} s`);
}
