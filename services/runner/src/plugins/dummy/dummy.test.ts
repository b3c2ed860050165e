import type { AtomicAction } from "@paddock/shared/task-model";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../clock.js";
import { IterationContext } from "../../iteration-context.js";
import type { ScenarioPlugin } from "../../plugin.js";
import { iterationError } from "../../workload-load.js";
import { createPluginRegistry } from "../index.js";

const registry = createPluginRegistry();

function plugin(name: string): ScenarioPlugin {
  const found = registry.scenarios.get(name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

async function once(name: string, args: Record<string, unknown>, iteration = 1) {
  const ctx = new IterationContext(iteration, systemClock);
  let error: ReturnType<typeof iterationError> | [] = [];
  try {
    await plugin(name).run(ctx, args);
  } catch (thrown) {
    error = iterationError(thrown);
  }
  return { ctx, error };
}

const shape = (actions: AtomicAction[]): unknown[] =>
  actions.map((action) => ({
    name: action.name,
    ...(action.failed ? { failed: true } : {}),
    ...(action.children.length > 0 ? { children: shape(action.children) } : {}),
  }));

describe("Dummy scenarios", () => {
  it("registers Rally's eight generic Dummy scenarios", () => {
    expect([...registry.scenarios.keys()].filter((name) => name.startsWith("Dummy.")).sort()).toEqual([
      "Dummy.dummy",
      "Dummy.dummy_exception",
      "Dummy.dummy_exception_probability",
      "Dummy.dummy_output",
      "Dummy.dummy_random_action",
      "Dummy.dummy_random_fail_in_atomic",
      "Dummy.dummy_timed_atomic_actions",
      "Dummy.failure",
    ]);
  });

  it("Dummy.dummy waits inside bar, nested in foo, as work", async () => {
    const { ctx, error } = await once("Dummy.dummy", { sleep: 0.02 });
    expect(error).toEqual([]);
    expect(shape(ctx.atomics)).toEqual([{ name: "foo", children: [{ name: "bar" }] }]);
    const bar = ctx.atomics[0]?.children[0] as AtomicAction;
    expect((bar.finished_at as number) - bar.started_at).toBeGreaterThanOrEqual(0.015);
    expect(ctx.idle).toBe(0);
  });

  it("Dummy.failure fails every `each`-th iteration of its range", async () => {
    const args = { sleep: 0, from_iteration: 2, to_iteration: 6, each: 2 };
    const failed: number[] = [];
    for (let iteration = 1; iteration <= 8; iteration += 1) {
      if ((await once("Dummy.failure", args, iteration)).error.length > 0) failed.push(iteration);
    }
    expect(failed).toEqual([2, 4, 6]);
    const { error } = await once("Dummy.failure", args, 4);
    expect(error.slice(0, 2)).toEqual([
      "DummyScenarioException",
      "Dummy scenario expected exception: 'Expected failure'",
    ]);
  });

  it("Dummy.dummy_exception raises its message, or size_of_message M's", async () => {
    expect(
      (await once("Dummy.dummy_exception", { sleep: 0, size_of_message: 3, message: "" })).error[1],
    ).toBe("Dummy scenario expected exception: 'MMM'");
    expect(
      (await once("Dummy.dummy_exception", { sleep: 0, size_of_message: 1, message: "hi" })).error[1],
    ).toBe("Dummy scenario expected exception: 'hi'");
  });

  it("Dummy.dummy_exception_probability fails always at 1 and never at 0", async () => {
    expect((await once("Dummy.dummy_exception_probability", { exception_probability: 1 })).error[1]).toBe(
      "Dummy scenario expected exception: 'Dummy Scenario Exception: Probability: 1'",
    );
    expect((await once("Dummy.dummy_exception_probability", { exception_probability: 0 })).error).toEqual([]);
  });

  it("Dummy.dummy_random_fail_in_atomic fails in the first atomic at probability 1, as Rally records it", async () => {
    const { ctx, error } = await once("Dummy.dummy_random_fail_in_atomic", { exception_probability: 1 });
    expect(error.slice(0, 2)).toEqual(["KeyError", "'Dummy test exception'"]);
    expect(shape(ctx.atomics)).toEqual([{ name: "dummy_fail_test", failed: true }]);
    const clean = await once("Dummy.dummy_random_fail_in_atomic", { exception_probability: 0 });
    expect(shape(clean.ctx.atomics)).toEqual([
      { name: "dummy_fail_test", children: [{ name: "dummy_fail_inner_test" }] },
      { name: "dummy_fail_test", children: [{ name: "dummy_fail_inner_test" }] },
    ]);
  });

  it("Dummy.dummy_output adds Rally's sample charts", async () => {
    const { ctx } = await once("Dummy.dummy_output", { random_range: 5 });
    const output = ctx.output();
    expect(output.additive.map((chart) => (chart as { title: string }).title)).toEqual([
      "Additive StatsTable",
      "Additive StackedArea (no description)",
      "Additive Lines",
      "Additive Pie",
    ]);
    expect(output.complete.map((chart) => (chart as { chart_plugin: string }).chart_plugin)).toEqual([
      "Lines",
      "StackedArea",
      "TextArea",
      "Pie",
      "Table",
    ]);
    const stats = output.additive[0] as { data: [string, number][] };
    expect(stats.data.every(([, value]) => value >= 1 && value <= 5)).toBe(true);
  });

  it("Dummy.dummy_random_action and Dummy.dummy_timed_atomic_actions name their atomics action_<i>", async () => {
    const random = await once("Dummy.dummy_random_action", {
      actions_num: 3,
      sleep_min: 0,
      sleep_max: 0.002,
    });
    expect(random.ctx.atomics.map((action) => action.name)).toEqual(["action_0", "action_1", "action_2"]);
    const timed = await once("Dummy.dummy_timed_atomic_actions", {
      number_of_actions: 3,
      sleep_factor: 0.01,
    });
    const durations = timed.ctx.atomics.map((action) => (action.finished_at as number) - action.started_at);
    expect(timed.ctx.atomics.map((action) => action.name)).toEqual(["action_0", "action_1", "action_2"]);
    expect(durations[2] as number).toBeGreaterThanOrEqual(0.015);
  });
});
