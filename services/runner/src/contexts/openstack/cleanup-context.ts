/**
 * `admin_cleanup` and `cleanup` (Rally's hidden `admin_cleanup@openstack` / `cleanup@openstack`):
 * the scenarios that create resources declare them, so a workload removes what its iterations
 * created even without a `users` context, after failed iterations and after an abort. Each
 * deletes the run's resources of the listed services by name prefix (`paddock_<run>_`), as the
 * admin; nothing else is touched. They run last at clean-up (their order is the highest).
 */
import Type from "typebox";
import { sweepRun } from "../../openstack/resource-sweeper.js";
import type { ScenarioEnvironment } from "../../plugin.js";
import { ContextError, type ContextName, defineContext } from "../context.js";

const services = Type.Array(
  Type.Enum(["keystone", "glance"], {
    description: "A service whose resources to remove (Paddock removes keystone and glance resources)",
  }),
);

async function sweep(
  name: ContextName,
  config: readonly ("keystone" | "glance")[],
  environment: ScenarioEnvironment,
) {
  const problems = await sweepRun(environment, config);
  if (problems.length > 0) throw new ContextError(`${name}: could not delete ${problems.join("; ")}`);
}

export const adminCleanupContext = defineContext({
  name: "admin_cleanup",
  description: "Deletes the run's resources of the listed services (by name prefix) as the admin.",
  order: 1_000_000,
  schema: services,
  setup() {},
  async cleanup(config, environment) {
    await sweep("admin_cleanup", config, environment);
  },
});

export const userCleanupContext = defineContext({
  name: "cleanup",
  description: "Deletes the run's resources of the listed services that its users created (by name prefix).",
  order: 1_000_001,
  schema: services,
  setup() {},
  async cleanup(config, environment) {
    await sweep("cleanup", config, environment);
  },
});
