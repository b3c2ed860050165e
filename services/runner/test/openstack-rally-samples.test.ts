/**
 * Rally's own OpenStack sample task files (rally-openstack `samples/tasks/scenarios/`, copied
 * unchanged into `openstack-fixtures/rally-samples/`, see its README) for the scenarios Paddock
 * implements: every file, JSON and YAML, loads and validates unchanged; each sample (its YAML
 * file) runs against the real cloud with its own scenario arguments, contexts and SLA, with 0
 * failed iterations, and leaves users, projects, roles, services and images as they were.
 *
 * Changes at run time only, through workload overrides (Paddock's edit-before-start, as
 * `POST /tasks` applies it; the files are untouched): the Glance samples read their image from
 * download.cirros-cloud.net and there is no internet here, so they get a local file instead
 * (`image_location`, and the `images` context's `image_url`); and to keep the suite short the
 * runner's iterations are capped at 3 and the users context's users_per_tenant at 2 (the
 * Authenticate sample asks for 150 users) unless `PADDOCK_OPENSTACK_SAMPLES=full` (then every sample
 * runs exactly as written — 100 iterations at concurrency 10 for most Keystone ones — about 5
 * minutes against the local Keystone).
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { WorkloadOverrides } from "@paddock/shared/api";
import { loadTask } from "@paddock/tasks";
import { tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cloud, lockCloud, snapshot, startCloud } from "./openstack-cloud.js";
import { prepare, runTask } from "./openstack-tasks.js";

const SAMPLES = join(import.meta.dirname, "openstack-fixtures/rally-samples");
const FILES = ["keystone", "authenticate", "glance"].flatMap((folder) =>
  readdirSync(join(SAMPLES, folder))
    .filter((name) => /\.(json|ya?ml)$/.test(name))
    .map((name) => `${folder}/${name}`),
);
const CIRROS = "http://download.cirros-cloud.net/0.5.2/cirros-0.5.2-x86_64-disk.img";
/** Run the samples exactly as written (about 5 minutes here) rather than with at most 3 iterations. */
const FULL = process.env.PADDOCK_OPENSTACK_SAMPLES === "full";
const CAP = 3;
const USERS_CAP = 2;

describe("Rally's OpenStack samples validate unchanged", () => {
  it("are all here: 21 KeystoneBasic, 2 Authenticate, 7 GlanceImages samples, JSON and YAML", () => {
    expect(FILES).toHaveLength(60);
  });

  for (const file of FILES) {
    it(file, () => {
      const preparation = prepare(readFileSync(join(SAMPLES, file), "utf8"), file);
      expect(preparation.ok ? [] : preparation.problems).toEqual([]);
    });
  }
});

const cloud = await startCloud();
if (typeof cloud === "string") console.log(`SKIPPED openstack rally samples: ${cloud}`);
else if (!FULL) {
  console.log(
    `openstack rally samples: each runs with at most ${CAP} iterations and ${USERS_CAP} users per tenant (PADDOCK_OPENSTACK_SAMPLES=full runs them exactly as written)`,
  );
}

/**
 * The run-time changes: the local image instead of cirros from the internet, wherever the sample
 * names it; and, unless PADDOCK_OPENSTACK_SAMPLES=full, the runner's times and concurrency and the
 * users context's users_per_tenant capped.
 */
function overridesOf(text: string, image: string): WorkloadOverrides {
  const overrides: WorkloadOverrides = [];
  loadTask(text, { path: "sample" }).task.subtasks.forEach((subtask, subtaskIndex) => {
    subtask.workloads.forEach((spec, position) => {
      const workload = { subtaskIndex, position };
      const config = spec.runner.config as { times?: number; concurrency?: number };
      if (!FULL && (config.times ?? 1) > CAP) {
        overrides.push({
          workload,
          runner: {
            type: spec.runner.type,
            config: { ...config, times: CAP, concurrency: Math.min(config.concurrency ?? 1, CAP) },
          },
        });
      }
      const users = spec.contexts.users as { users_per_tenant?: number } | undefined;
      if (!FULL && users !== undefined && (users.users_per_tenant ?? 1) > USERS_CAP) {
        overrides.push({ workload, contexts: { users: { ...users, users_per_tenant: USERS_CAP } } });
      }
      if (spec.args.image_location === CIRROS) overrides.push({ workload, args: { image_location: image } });
      const images = spec.contexts.images as Record<string, unknown> | undefined;
      if (images?.image_url === CIRROS) {
        overrides.push({ workload, contexts: { images: { ...images, image_url: image } } });
      }
    });
  });
  return overrides;
}

describe.skipIf(typeof cloud === "string")("Rally's OpenStack samples run against the real cloud", () => {
  const live = cloud as Cloud;
  const folder = tempDir("paddock-rally-samples-");
  const image = join(folder.path, "cirros-0.5.2-x86_64-disk.img");
  let unlock: () => void = () => undefined;

  beforeAll(async () => {
    unlock = await lockCloud(live);
    writeFileSync(image, randomBytes(1024 * 1024));
  }, 900_000);
  afterAll(() => {
    unlock();
    folder.remove();
  });

  for (const file of FILES.filter((name) => name.endsWith(".yaml"))) {
    it(`${file} runs: every iteration passes, nothing left`, async () => {
      const text = readFileSync(join(SAMPLES, file), "utf8");
      if (!live.glance && file.includes("glance")) return;
      const before = await snapshot(live);
      const { outcome, iterations, cleanups } = await runTask(live.environment(), text, {
        overrides: overridesOf(text, image),
      });
      expect(iterations.filter((iteration) => iteration.error.length > 0).slice(0, 3)).toEqual([]);
      expect(iterations.length).toBeGreaterThan(0);
      expect(outcome).toEqual({ status: "finished", passSla: true });
      expect(cleanups.filter((event) => event.data.result.error.length > 0)).toEqual([]);
      expect(await snapshot(live)).toEqual(before);
    }, 600_000);
  }
});
