/**
 * `POST /environments/<name>/sweep` against a real Keystone and Glance (see `openstack-cloud.ts`;
 * SKIPPED without one): what a runner that died mid-task left behind — resources named with
 * Paddock's prefix, whatever run made them — is listed by a dry run and deleted by a sweep, and
 * nothing else is touched.
 */
import { randomBytes } from "node:crypto";
import type { ServiceApp } from "@paddock/http";
import type { EnvironmentSweep } from "@paddock/shared/api";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { createPluginRegistry } from "../src/plugins/index.js";
import { adminClients, type Cloud, lockCloud, snapshot, startCloud } from "./openstack-cloud.js";
import { MemoryPublisher } from "./support/memory-publisher.js";

const cloud = await startCloud();
if (typeof cloud === "string") console.log(`SKIPPED openstack sweep: ${cloud}`);

describe.skipIf(typeof cloud === "string")("sweeping what dead runs left in a real cloud", () => {
  const live = cloud as Cloud;
  let unlock: () => void = () => undefined;
  let app: ServiceApp;
  /** A user that is not Paddock's: the sweep must leave it. */
  let keeper: { id: string; name: string } | undefined;

  beforeAll(async () => {
    unlock = await lockCloud(live);
    const environment = live.environment();
    app = await buildApp({
      publisher: new MemoryPublisher(),
      fetchScenario: async () => {
        throw new Error("no scenarios in this test");
      },
      fetchEnvironment: async (name) => ({
        ...environment,
        name,
        file: `${name}.yaml`,
        description: "the test cloud",
        secrets: [],
      }),
      plugins: createPluginRegistry(),
      runnerId: "runner-sweep-test",
      clock: systemClock,
      logger: pino({ level: "silent" }),
    });
  }, 900_000);

  afterAll(async () => {
    await app?.close();
    if (keeper !== undefined) await adminClients(live).identity.deleteUser(keeper.id);
    unlock();
  });

  async function sweep(payload: Record<string, unknown>): Promise<EnvironmentSweep> {
    const response = await app.inject({ method: "POST", url: "/environments/cloud/sweep", payload });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  it("lists the leftovers of two dead runs on a dry run, deletes them on a sweep, and leaves everything else", async () => {
    const { identity, images } = adminClients(live);
    const domainId = await identity.domainId("default");
    // Whatever an earlier interrupted test session left goes first, so the counts below are ours.
    await sweep({});
    const clean = await snapshot(live);
    keeper = await identity.createUser({ name: `sweeptest_${randomBytes(4).toString("hex")}`, domainId });
    const before = await snapshot(live);
    // Two runs that never cleaned up, with their own tags.
    const runs = [randomBytes(4).toString("hex"), randomBytes(4).toString("hex")];
    const project = await identity.createProject(`paddock_${runs[0]}_project`, domainId);
    await identity.createUser({ name: `paddock_${runs[0]}_user`, domainId, projectId: project.id });
    await identity.createRole(`paddock_${runs[1]}_role`);
    if (live.glance) {
      await images.create({
        name: `paddock_${runs[1]}_image`,
        container_format: "bare",
        disk_format: "raw",
        visibility: "private",
        min_disk: 0,
        min_ram: 0,
      });
    }
    const left = (await snapshot(live)).filter((entry) => !before.includes(entry));
    expect(left).toHaveLength(live.glance ? 4 : 3);

    const listed = await sweep({ dryRun: true });
    expect(listed).toMatchObject({ environment: "cloud", dryRun: true, prefix: "paddock_", problems: [] });
    const found = listed.resources.map((resource) => `${resource.kind} ${resource.name}`).sort();
    expect(found).toEqual(
      [
        `project paddock_${runs[0]}_project`,
        `user paddock_${runs[0]}_user`,
        `role paddock_${runs[1]}_role`,
        ...(live.glance ? [`image paddock_${runs[1]}_image`] : []),
      ].sort(),
    );
    expect(listed.resources.every((resource) => !resource.removed)).toBe(true);
    expect(await snapshot(live)).toHaveLength(before.length + left.length);

    const swept = await sweep({});
    expect(swept).toMatchObject({ dryRun: false, problems: [] });
    expect(swept.resources.map((resource) => `${resource.kind} ${resource.name}`).sort()).toEqual(found);
    expect(swept.resources.every((resource) => resource.removed)).toBe(true);
    expect(await snapshot(live)).toEqual(before);
    expect(before.filter((entry) => !clean.includes(entry))).toEqual([`user ${keeper.name}`]);

    const again = await sweep({});
    expect(again.resources).toEqual([]);
  }, 120_000);
});
