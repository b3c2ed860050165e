/**
 * The 7 `GlanceImages.*` scenarios that need no Nova, `Authenticate.validate_glance`, and the
 * `images` context, against a real Glance (see `openstack-cloud.ts`; SKIPPED without one).
 *
 * Each scenario runs with 0 failed iterations, Rally's atomic actions, and leaves the cloud as it
 * found it (users, projects, roles, services and images listed before and after). Against the
 * local Glance, the requests Glance really received (its request log) are compared, per
 * scenario, with what Debian's Rally sent for one iteration (`openstack-rally-calls.ts`); Keystone
 * only sees the user log in once for the whole run (token reuse) besides the users context.
 * Image data is a 256 KiB file written by the test (no internet here), once from a file and once
 * from a loopback HTTP server.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cloud,
  glanceCalls,
  keystoneCalls,
  lockCloud,
  mark,
  ROOT,
  snapshot,
  startCloud,
} from "./openstack-cloud.js";
import { expectedCalls, glancePart, keystonePart, USERS_SETUP } from "./openstack-rally-calls.js";
import {
  atomicTree,
  itRunsEveryShippedFile,
  itShipsEveryScenario,
  prepare,
  runTask,
  workload,
} from "./openstack-tasks.js";

const TIMES = 2;
const CREATE = "glance_v2.create_image{glance_v2.get_image, glance_v2.upload_data, glance_v2.get_image}";
const IMAGE = { container_format: "bare", disk_format: "qcow2" };

interface Case {
  readonly args: (location: string) => Record<string, unknown>;
  readonly atomics: string;
}

const withImage =
  (extra: Record<string, unknown> = {}) =>
  (location: string) => ({
    ...IMAGE,
    image_location: location,
    ...extra,
  });

const CASES: Record<string, Case> = {
  "GlanceImages.create_and_list_image": { args: withImage(), atomics: `${CREATE}, glance_v2.list_images` },
  "GlanceImages.create_and_delete_image": { args: withImage(), atomics: `${CREATE}, glance_v2.delete_image` },
  "GlanceImages.create_and_get_image": { args: withImage(), atomics: `${CREATE}, glance_v2.get_image` },
  "GlanceImages.create_and_update_image": { args: withImage(), atomics: `${CREATE}, glance_v2.update_image` },
  "GlanceImages.create_and_download_image": {
    args: withImage(),
    atomics: `${CREATE}, glance_v2.download_image`,
  },
  "GlanceImages.create_and_deactivate_image": {
    args: withImage(),
    atomics: `${CREATE}, glance_v2.deactivate_image`,
  },
  "GlanceImages.list_images": { args: () => ({}), atomics: "glance_v2.list_images" },
  "Authenticate.validate_glance": {
    args: () => ({ repetitions: 2 }),
    atomics: "authenticate.validate_glance",
  },
};

const SHIPPED = [
  ...readdirSync(join(ROOT, "scenarios/glance"))
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => `glance/${name}`),
  "authenticate/validate-glance.yaml",
];

describe("the shipped Glance scenario files", () => {
  itShipsEveryScenario(ROOT, SHIPPED, Object.keys(CASES));

  it("Rally's argument checks: formats and visibility are enums, image_location is required", () => {
    const preparation = prepare(
      workload(
        "GlanceImages.create_and_get_image",
        { container_format: "box", disk_format: "raw", visibility: "everyone" },
        {},
        1,
      ),
      "bad.json",
    );
    expect(preparation.ok ? [] : preparation.problems).toEqual([
      {
        path: "subtasks[0].workloads[0].args",
        message: "Argument(s) 'image_location' should be specified in task config.",
      },
      {
        path: "subtasks[0].workloads[0].args.container_format",
        message: "'box' is not one of ['ami', 'ari', 'aki', 'bare', 'ovf']",
      },
      {
        path: "subtasks[0].workloads[0].args.visibility",
        message: "'everyone' is not one of ['private', 'public', 'shared', 'community']",
      },
    ]);
  });
});

const cloud = await startCloud();
const skip =
  typeof cloud === "string"
    ? cloud
    : cloud.glance
      ? undefined
      : "Glance is not in the cloud's service catalog";
if (skip !== undefined) console.log(`SKIPPED openstack glance: ${skip}`);

describe.skipIf(skip !== undefined)("Glance scenarios against a real Glance", () => {
  const live = cloud as Cloud;
  let unlock: () => void = () => undefined;
  const folder = tempDir("paddock-glance-test-");
  const imageFile = join(folder.path, "image.qcow2");
  let server: Server;
  let imageUrl = "";

  beforeAll(async () => {
    unlock = await lockCloud(live);
    writeFileSync(imageFile, randomBytes(256 * 1024));
    server = createServer((request, response) => {
      if (request.url !== "/images/cirros.img") {
        response.writeHead(404);
        response.end();
        return;
      }
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(readFileSync(imageFile));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    imageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/images/cirros.img`;
  }, 900_000);

  afterAll(async () => {
    unlock();
    await new Promise((resolve) => server.close(resolve));
    folder.remove();
  });

  for (const scenario of Object.keys(CASES)) {
    it(`${scenario}: ${TIMES} iterations, none failed, Rally's atomic actions and requests, nothing left`, async () => {
      const testCase = CASES[scenario] as Case;
      const before = await snapshot(live);
      const from = await mark(live);
      const result = await runTask(
        live.environment(),
        workload(scenario, testCase.args(imageFile), { users: { tenants: 1, users_per_tenant: 1 } }, TIMES),
      );
      const to = await mark(live);
      expect(result.iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
      expect(result.iterations).toHaveLength(TIMES);
      expect(result.outcome).toEqual({ status: "finished", passSla: true });
      expect(result.cleanups.map((event) => event.data.result.error)).toEqual(result.cleanups.map(() => []));
      for (const iteration of result.iterations)
        expect(atomicTree(iteration.atomic_actions)).toBe(testCase.atomics);
      expect(await snapshot(live)).toEqual(before);
      if (live.glanceLog === undefined) return;
      const expected = expectedCalls(scenario);
      expect(keystonePart(expected, "/")).toEqual([]);
      const keystone = keystoneCalls(live, from, to).map((logged) => logged.call);
      expect(keystone.slice(0, USERS_SETUP.length + 1)).toEqual([...USERS_SETUP, "POST /v3/auth/tokens"]);
      const glance = glanceCalls(live, from, to).map((logged) => logged.call);
      const load = Array.from({ length: TIMES }, () => glancePart(expected)).flat();
      expect(glance.slice(0, load.length)).toEqual(load);
      // clean-up: the admin lists images and deletes this run's (the snapshots show which).
      expect(
        glance
          .slice(load.length)
          .filter((call) => !/^(GET \/v2\/images\?limit=200|DELETE \/v2\/images\/\{id\})$/.test(call)),
      ).toEqual([]);
    }, 120_000);
  }

  it("Authenticate.validate_glance with per_iteration_auth sends exactly Rally's requests", async () => {
    const from = await mark(live);
    const { iterations } = await runTask(
      live.environment(),
      workload(
        "Authenticate.validate_glance",
        { repetitions: 2 },
        { users: { tenants: 1, users_per_tenant: 1 }, per_iteration_auth: {} },
        TIMES,
      ),
    );
    const to = await mark(live);
    expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
    const rally = expectedCalls("Authenticate.validate_glance", { perIterationAuth: true });
    expect(rally).toEqual([
      "GET KS",
      "POST KS/v3/auth/tokens",
      "GET GLANCE/v2/images?limit=200",
      "GET GLANCE/v2/images?limit=200",
    ]);
    const keystone = keystoneCalls(live, from, to).map((logged) => logged.call);
    expect(keystone.slice(USERS_SETUP.length, USERS_SETUP.length + 2 * TIMES)).toEqual(
      Array.from({ length: TIMES }, () => keystonePart(rally, "/")).flat(),
    );
    expect(
      glanceCalls(live, from, to)
        .map((logged) => logged.call)
        .slice(0, 2 * TIMES),
    ).toEqual(Array.from({ length: TIMES }, () => glancePart(rally)).flat());
  }, 120_000);

  it("image data from an http(s) URL is streamed to Glance and downloads back equal", async () => {
    const before = await snapshot(live);
    const { iterations, outcome } = await runTask(
      live.environment(),
      workload(
        "GlanceImages.create_and_download_image",
        withImage()(imageUrl),
        { users: { tenants: 1, users_per_tenant: 1 } },
        TIMES,
      ),
    );
    expect(outcome).toEqual({ status: "finished", passSla: true });
    expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
    expect(await snapshot(live)).toEqual(before);
  }, 120_000);

  it("images context: images_per_tenant images in every project, all gone afterwards", async () => {
    const before = await snapshot(live);
    const from = await mark(live);
    const { iterations, outcome, setups } = await runTask(
      live.environment(),
      workload(
        "GlanceImages.list_images",
        {},
        {
          users: { tenants: 2, users_per_tenant: 1 },
          images: {
            image_url: imageFile,
            disk_format: "qcow2",
            container_format: "bare",
            images_per_tenant: 2,
          },
        },
        TIMES,
      ),
    );
    const to = await mark(live);
    expect(outcome).toEqual({ status: "finished", passSla: true });
    expect(iterations.filter((iteration) => iteration.error.length > 0)).toEqual([]);
    expect(setups.map((event) => [event.data.result.name, event.data.result.error])).toEqual([
      ["users", []],
      ["images", []],
    ]);
    const glance = glanceCalls(live, from, to).map((logged) => logged.call);
    expect(glance.filter((call) => call === "POST /v2/images")).toHaveLength(4);
    expect(glance.filter((call) => call === "PUT /v2/images/{id}/file")).toHaveLength(4);
    expect(glance.filter((call) => call === "DELETE /v2/images/{id}")).toHaveLength(4);
    expect(await snapshot(live)).toEqual(before);
  }, 120_000);

  it("leftovers of failed uploads go too: an unreadable image_location fails each iteration, nothing stays", async () => {
    const before = await snapshot(live);
    const { iterations, cleanups } = await runTask(
      live.environment(),
      workload(
        "GlanceImages.create_and_list_image",
        withImage()(join(folder.path, "missing.img")),
        { users: { tenants: 1, users_per_tenant: 1 } },
        TIMES,
      ),
    );
    expect(iterations.map((iteration) => iteration.error.slice(0, 2))).toEqual(
      Array.from({ length: TIMES }, () => [
        "ImageSourceUnreadable",
        `image location '${join(folder.path, "missing.img")}' is neither a file on the runner's machine nor an http(s) URL`,
      ]),
    );
    expect(cleanups.map((event) => [event.data.result.name, event.data.result.error])).toEqual([
      ["cleanup", []],
      ["users", []],
    ]);
    expect(await snapshot(live)).toEqual(before);
  }, 120_000);

  itRunsEveryShippedFile(live, SHIPPED);
});
