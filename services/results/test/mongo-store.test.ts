/**
 * The store contract against MongoDB. There is no MongoDB adapter in this version of the results
 * service, so this file says why it does not run — one line, `SKIPPED mongodb contract: <reason>`
 * — and skips; it never pretends. When the adapter exists, call `describeStoreContract` here with
 * a factory opening it against MONGO_URL or a testcontainers MongoDB.
 */
import { describe, it } from "vitest";

const RUNTIME_TIMEOUT_MS = 3000;

/** Whether a container runtime answers within a few seconds (testcontainers' own discovery). */
async function containerRuntime(): Promise<{ ok: true } | { ok: false; why: string }> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false; why: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, why: `no answer within ${RUNTIME_TIMEOUT_MS / 1000} s` }),
      RUNTIME_TIMEOUT_MS,
    );
  });
  const probe = getContainerRuntimeClient().then(
    () => ({ ok: true }) as const,
    (error: unknown) => ({ ok: false, why: error instanceof Error ? error.message : String(error) }) as const,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function skipReason(): Promise<string> {
  if (process.env.MONGO_URL) return "MONGO_URL is set, but the MongoDB adapter does not exist yet";
  const runtime = await containerRuntime();
  if (runtime.ok) return "a container runtime answered, but the MongoDB adapter does not exist yet";
  return `MONGO_URL not set and no container runtime answered (${runtime.why}); the MongoDB adapter does not exist yet either`;
}

const reason = await skipReason();
console.log(`SKIPPED mongodb contract: ${reason}`);

describe.skip("ResultStore contract: MongoDB", () => {
  it(`skipped: ${reason}`, () => undefined);
});
