import type { HookResult } from "@paddock/shared/events";
import { describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { hookTriggers } from "./index.js";
import { splitShellWords } from "./shell-words.js";
import { sysCall } from "./sys-call.js";
import { type PreparedHook, WorkloadHooks } from "./workload-hooks.js";

describe("splitShellWords", () => {
  it("splits like Python's shlex.split", () => {
    expect(splitShellWords("/bin/sh -c 'echo hook-ran'")).toEqual(["/bin/sh", "-c", "echo hook-ran"]);
    expect(splitShellWords(`echo "a \\"b\\" \\$c" d\\ e  f`)).toEqual(["echo", 'a "b" \\$c', "d e", "f"]);
    expect(splitShellWords("  ")).toEqual([]);
    expect(() => splitShellWords("echo 'open")).toThrow("No closing quotation");
  });
});

describe("sys_call", () => {
  const signal = new AbortController().signal;

  it("shows plain output as Rally's TextArea", async () => {
    const outcome = await sysCall.run("/bin/sh -c 'echo hook-ran'", signal);
    expect(outcome).toEqual({
      status: "success",
      output: {
        additive: [],
        complete: [
          {
            title: "System call",
            chart_plugin: "TextArea",
            description: "Args: /bin/sh -c 'echo hook-ran'",
            data: ["RetCode: 0", "StdOut: hook-ran\n", "StdErr: (empty)"],
          },
        ],
      },
    });
  });

  it("takes JSON stdout as chart output", async () => {
    const chart = { title: "T", chart_plugin: "TextArea", data: ["x"] };
    const json = JSON.stringify({ additive: [], complete: [chart] });
    const outcome = await sysCall.run(`/bin/sh -c 'printf %s "$0"' '${json}'`, signal);
    expect(outcome.status).toBe("success");
    expect(outcome.output).toEqual({ additive: [], complete: [chart] });
  });

  it("marks a non-zero exit failed with Rally's error shape", async () => {
    const outcome = await sysCall.run("/bin/sh -c 'echo oops >&2; exit 3'", signal);
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toEqual({ etype: "n/a", msg: "Subprocess returned 3", details: "oops\n" });
  });

  it("reports a command that does not exist", async () => {
    const outcome = await sysCall.run("/nonexistent/command-xyz", signal);
    expect(outcome.status).toBe("failed");
    expect(outcome.error?.etype).toBe("ENOENT");
  });
});

describe("triggers", () => {
  it("event fires at the listed values", () => {
    const config = { unit: "iteration", at: [5, 10] };
    expect([1, 5, 6, 10].map((value) => hookTriggers.event.fires(config, value))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it("periodic fires every step from start to end", () => {
    const fires = (config: object) =>
      [0, 1, 2, 3, 4, 5, 6].filter((value) => hookTriggers.periodic.fires(config, value));
    expect(fires({ unit: "iteration", step: 2 })).toEqual([1, 3, 5]);
    expect(fires({ unit: "time", step: 2 })).toEqual([0, 2, 4, 6]);
    expect(fires({ unit: "time", step: 1, start: 2, end: 4 })).toEqual([2, 3, 4]);
  });
});

describe("WorkloadHooks", () => {
  it("runs iteration and time hooks and reports each result", async () => {
    const hooks: PreparedHook[] = [
      {
        index: 0,
        spec: {
          description: "",
          action: { name: "sys_call", args: "/bin/sh -c 'echo it'" },
          trigger: { name: "event", args: { unit: "iteration", at: [2] } },
        },
        action: sysCall,
        trigger: hookTriggers.event,
        unit: "iteration",
      },
      {
        index: 1,
        spec: {
          description: "",
          action: { name: "sys_call", args: "/bin/sh -c 'echo tick'" },
          trigger: { name: "periodic", args: { unit: "time", step: 1 } },
        },
        action: sysCall,
        trigger: hookTriggers.periodic,
        unit: "time",
      },
    ];
    const results: [number, HookResult][] = [];
    const runner = new WorkloadHooks(hooks, systemClock, (index, result) => results.push([index, result]));
    runner.onIterationStart(1);
    runner.onIterationStart(2);
    runner.onIterationStart(3);
    runner.stop();
    await runner.settled();
    expect(results.map(([index, result]) => [index, result.triggered_by])).toEqual(
      expect.arrayContaining([
        [0, { event_type: "iteration", value: 2 }],
        [1, { event_type: "time", value: 0 }],
      ]),
    );
    expect(results).toHaveLength(2);
    for (const [, result] of results) {
      expect(result.status).toBe("success");
      expect(result.finished_at).toBeGreaterThanOrEqual(result.started_at);
    }
  });
});
