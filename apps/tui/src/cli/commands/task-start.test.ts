import { describe, expect, it } from "vitest";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";

async function run(argv: string[], clients = twinClients()) {
  const io = memoryIo();
  const code = await main(argv, io, { clients, bus: twinBus(), config: loadCliConfig({}) });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("paddock task start --abort-on-sla-failure", () => {
  it("asks the runner to stop the task at the first SLA failure", async () => {
    const clients = twinClients();
    const { code } = await run(["task", "start", "dummy/dummy.yaml", "--abort-on-sla-failure"], clients);
    expect(code).toBe(0);
    expect(clients.started).toEqual([{ scenarioId: "dummy/dummy.yaml", abortOnSlaFailure: true }]);
  });

  it("leaves the field out without the flag, and documents the flag", async () => {
    const clients = twinClients();
    await run(["task", "start", "dummy/dummy.yaml"], clients);
    expect(clients.started).toEqual([{ scenarioId: "dummy/dummy.yaml" }]);
    expect((await run(["task", "start", "--help"])).out).toContain("--abort-on-sla-failure");
  });

  it("takes no value", async () => {
    const { code, err } = await run(["task", "start", "dummy/dummy.yaml", "--abort-on-sla-failure=yes"]);
    expect(code).toBe(1);
    expect(err).toContain("--abort-on-sla-failure");
  });
});
