import { describe, expect, it } from "vitest";
import { rallyDemoDetail, scenarioDetail, scenarioList } from "../../../test/fixtures/index.js";
import { expectFits } from "../../../test/support/frames.js";
import { renderTui } from "../../../test/support/render-tui.js";
import type { LiveWorkload } from "../../live/live-task-state.js";
import { ProgressBar, progressCells } from "./ProgressBar.js";
import { ScenarioDetailPane } from "./ScenarioDetailPane.js";
import { SummaryTable } from "./SummaryTable.js";
import { TaskReport } from "./TaskReport.js";
import { WorkloadDetail } from "./WorkloadDetail.js";
import { WorkloadProgress } from "./WorkloadProgress.js";

async function frameOf(element: React.ReactElement, columns = 80, rows = 24): Promise<string> {
  const ui = renderTui(element, { columns, rows });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const frame = ui.frame();
  ui.unmount();
  return frame;
}

describe("TaskReport", () => {
  it("fits every workload of a real Rally task into 80×20", async () => {
    const detail = rallyDemoDetail();
    for (let index = 0; index < detail.workloads.length; index += 1) {
      const frame = await frameOf(
        <TaskReport detail={detail} workloadIndex={index} width={80} height={20} />,
      );
      expect(frame).toContain(`(${index + 1} of 5, ←/→)`);
      expectFits(frame, 80, 20);
    }
  });

  it("shows the HTTP workload's single atomic and its SLA", async () => {
    const frame = await frameOf(
      <TaskReport detail={rallyDemoDetail()} workloadIndex={4} width={80} height={20} />,
    );
    expect(frame).toContain("Workload 3.1");
    expect(frame).toMatch(
      /requests\.check_request\s+0\.001\s+0\.001\s+0\.002\s+0\.002\s+0\.012\s+0\.001\s+100\.0%\s+1472/,
    );
    expect(frame).toContain("Iterations 1472 · Failures 0");
    expect(frame).toContain("PASS failure_rate: Failure rate criteria 0.00% <= 0.00% <= 1.00% - Passed");
  });

  it("says so when a workload's statistics are not stored yet, and when no workload ran", async () => {
    const detail = rallyDemoDetail();
    const pending = {
      ...detail,
      workloads: detail.workloads.map((workload) => ({ ...workload, statistics: null })),
    };
    expect(await frameOf(<TaskReport detail={pending} workloadIndex={0} width={80} height={20} />)).toContain(
      "Statistics are not stored yet.",
    );
    const empty = {
      ...detail,
      status: "aborted" as const,
      reason: "aborted before the first workload",
      workloads: [],
    };
    const frame = await frameOf(<TaskReport detail={empty} workloadIndex={0} width={80} height={20} />);
    expect(frame).toContain("No workload ran.");
    expect(frame).toContain("aborted before the first workload");
  });
});

describe("SummaryTable", () => {
  it("cuts long action names and extra rows to the space it has", async () => {
    const stats = rallyDemoDetail().workloads[2]?.statistics;
    if (!stats) throw new Error("fixture");
    const frame = await frameOf(<SummaryTable statistics={stats} width={60} maxRows={4} />, 60);
    expect(frame.split("\n")).toEqual([
      "Response Times (sec)",
      "Action    Min Median 90%ile 95%ile   Max   Avg Success Count",
      "dummy_… 0.000  0.000  0.000  0.000 0.000 0.000   75.0%    16",
      " -> du… 0.000  0.000  0.000  0.000 0.000 0.000   75.0%    16",
      "dummy_… 0.000  0.000  0.000  0.000 0.000 0.000    0.0%     4",
      "… 4 more rows (see paddock task status)",
    ]);
  });
});

function workload(overrides: Partial<LiveWorkload>): LiveWorkload {
  return {
    workloadId: "w-1",
    subtaskIndex: 0,
    position: 1,
    subtaskTitle: "HTTP for a fixed duration",
    scenario: "HttpRequests.check_request",
    runner: "constant_for_duration",
    expected: null,
    completed: 731,
    failed: 3,
    inFlight: 2,
    rate: 736.2,
    elapsed: 1.0,
    latency: { p50: 0.0011, p90: 0.0016, p95: 0.0019, p99: 0.0042, max: 0.012 },
    p95History: [0.0018, 0.0019],
    durationLimit: null,
    hooks: [],
    hookActions: [],
    errorsByType: { HTTPError: 3 },
    histogram: null,
    atomics: [],
    liveSla: [],
    scheduleLag: null,
    shares: [],
    lostReasons: {},
    status: "running",
    passSla: null,
    slaResults: [],
    loadDuration: null,
    fullDuration: null,
    ...overrides,
  };
}

describe("WorkloadProgress", () => {
  it("shows an open-ended run's count, rate, errors and latencies", async () => {
    const frame = await frameOf(<WorkloadProgress workload={workload({})} width={80} />);
    const [first, second] = frame.split("\n");
    expect(first).toMatch(/^1\.2 HttpRequests\.check_request…\s+░+█░+ 731$/);
    expect(second).toBe("  736/s · 2 in flight · 3 errors · p95 1.90 ms · 1.0 s");
    expectFits(frame, 80, 2);
  });

  it("fills the bar by completed/expected and reports the SLA once finished", async () => {
    expect(progressCells(25, 100, 40)).toBe(10);
    expect(progressCells(300, 100, 40)).toBe(40);
    const frame = await frameOf(
      <WorkloadProgress
        workload={workload({
          expected: 100,
          completed: 100,
          status: "finished",
          passSla: false,
          runner: "constant",
        })}
        width={80}
      />,
    );
    expect(frame).toMatch(/█{20,} 100\/100 \(100%\)/);
    expect(frame).toContain("SLA ✗ · 736/s · 3 errors");
    expectFits(frame, 80, 2);
  });

  it("draws a bar of exactly the given width", async () => {
    const frame = await frameOf(<ProgressBar completed={3} expected={10} width={10} />, 20);
    expect(frame.trim()).toBe("███░░░░░░░");
  });
});

describe("ScenarioDetailPane", () => {
  it("shows title, tags, plugins, arguments with defaults and the head of the file", async () => {
    const summary = scenarioList.services[0]?.scenarios[0];
    if (!summary) throw new Error("fixture");
    const frame = await frameOf(
      <ScenarioDetailPane scenario={summary} detail={scenarioDetail(summary.id)} width={50} height={16} />,
      50,
    );
    expect(frame).toContain("Dummy — the smallest benchmark");
    expect(frame).toContain("dummy/dummy.yaml  #dummy #smoke");
    expect(frame).toContain("Plugins Dummy.dummy");
    expect(frame).toContain("  concurrency = 4");
    expect(frame).toContain("{% set times = times or 100 %}");
    expectFits(frame, 50, 16);
  });

  it("marks required arguments and does not show another scenario's file", async () => {
    const summary = scenarioList.services[1]?.scenarios[0];
    if (!summary) throw new Error("fixture");
    const frame = await frameOf(
      <ScenarioDetailPane
        scenario={summary}
        detail={scenarioDetail("dummy/dummy.yaml")}
        width={50}
        height={16}
      />,
      50,
    );
    expect(frame).toContain("  url (required)");
    expect(frame).not.toContain("{% set");
  });
});

describe("WorkloadDetail", () => {
  const finished = workload({
    status: "finished",
    passSla: false,
    slaResults: [
      {
        criterion: "failure_rate",
        success: false,
        detail: "Failure rate criteria 0.00% <= 0.41% <= 0.00% - Failed",
      },
    ],
    hooks: [
      {
        hookIndex: 0,
        action: "sys_call",
        status: "failed",
        trigger: "time 10",
        duration: 0.03,
        error: "OSError: [Errno 2] No such file",
      },
    ],
  });

  it("shows the latency section, a light per SLA criterion at a glance, and the other sections' tabs", async () => {
    const frame = await frameOf(
      <WorkloadDetail workload={finished} section="latency" width={80} height={10} />,
    );
    const lines = frame.split("\n");
    expect(lines[0]).toBe("─ 1.2 HttpRequests.check_request · constant_for_duration — HTTP for a fixed d… ─");
    expect(lines[1]).toBe("SLA ● failure_rate");
    expect(lines[2]?.trimEnd()).toBe(" Latency  SLA  Errors & hooks");
    expect(frame).toContain("p95 ▁█ 1.80 ms–1.90 ms (2 s)");
    expect(frame).toMatch(/p99 [█▏▎▍▌▋▊▉]+ +4\.20 ms/);
    expectFits(frame, 80, 10);
  });

  it("shows a finished workload's SLA verdicts, and a failed hook with its error", async () => {
    const sla = await frameOf(<WorkloadDetail workload={finished} section="sla" width={80} height={10} />);
    expect(sla).toContain("● failure_rate Failure rate criteria 0.00% <= 0.41% <= 0.00% - Failed");
    const events = await frameOf(
      <WorkloadDetail workload={finished} section="events" width={80} height={10} />,
    );
    expect(events).toContain("Errors: HTTPError ×3");
    expect(events).toContain("Hook #0 sys_call ✗ at time 10 (0.03 s): OSError: [Errno 2] No such file");
  });

  it("keeps the title, the glance line and the tabs when it is short of rows", async () => {
    const frame = await frameOf(
      <WorkloadDetail workload={workload({})} section="latency" width={80} height={4} />,
    );
    expect(frame.split("\n")).toHaveLength(4);
    expect(frame).toContain("SLA: no verdict yet");
    expect(frame).toContain("p95 ▁█");
    expect(frame).not.toContain("max ");
    expectFits(frame, 80, 4);
  });
});
