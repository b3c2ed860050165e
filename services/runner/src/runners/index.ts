/** Every runner by its Rally type name. */
import { constant } from "./constant.js";
import { constantForDuration } from "./constant-for-duration.js";
import { rps } from "./rps.js";
import type { Runner, RunnerType } from "./runner.js";
import { serial } from "./serial.js";

export type { LoadDriver, Runner, RunnerConfig, RunnerPlan, RunnerType, ShareSlice } from "./runner.js";

export const runners = {
  constant,
  constant_for_duration: constantForDuration,
  rps,
  serial,
} satisfies Record<RunnerType, Runner>;

export function isRunnerType(name: string): name is RunnerType {
  return Object.hasOwn(runners, name);
}
