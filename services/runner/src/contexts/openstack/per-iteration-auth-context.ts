/**
 * `per_iteration_auth` (Paddock's own): makes OpenStack scenarios behave like Rally's clients,
 * which are built anew for every iteration: each iteration discovers Keystone's version
 * (`GET <auth_url>`) and authenticates again (`POST /v3/auth/tokens`) as the admin or user it runs
 * as, instead of reusing the run's token. Use it when the load on Keystone must compare with
 * Rally's. Rally builds most clients before it starts an iteration's timer; Paddock times the
 * whole iteration, so with this context an iteration's duration includes that authentication
 * (atomic actions do not: they time the same calls as Rally's).
 */
import Type from "typebox";
import { runOf } from "../../openstack/openstack-environment.js";
import { defineContext } from "../context.js";

export const perIterationAuthContext = defineContext({
  name: "per_iteration_auth",
  description:
    "Each iteration discovers Keystone's version and authenticates again, as Rally's per-iteration clients do.",
  order: 50,
  schema: Type.Object(
    { enabled: Type.Optional(Type.Boolean({ description: "Default true." })) },
    { additionalProperties: false },
  ),
  setup(config, environment) {
    runOf(environment).perIterationAuth = config.enabled ?? true;
  },
  cleanup(_config, environment) {
    runOf(environment).perIterationAuth = false;
  },
});
