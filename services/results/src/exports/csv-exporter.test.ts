import type { IterationRecord } from "@paddock/shared/events";
import { describe, expect, it } from "vitest";
import type { TaskRecord, WorkloadRecord } from "../store/result-store.js";
import { CSV_COLUMNS, csvExporter } from "./csv-exporter.js";
import type { ExportSource } from "./export-source.js";

const iterations: IterationRecord[] = [
  {
    seq: 0,
    timestamp: 1795486237.7587838,
    duration: 0.25,
    idle_duration: 0,
    error: [],
    output: { additive: [], complete: [] },
    atomic_actions: [
      {
        name: "outer",
        started_at: 1795486237.75,
        finished_at: 1795486238,
        children: [
          {
            name: "inner, with a comma",
            started_at: 1795486237.75,
            finished_at: 1795486237.875,
            children: [],
          },
        ],
      },
    ],
  },
  {
    seq: 1,
    timestamp: 1795486238.1,
    duration: 1e-7,
    idle_duration: 0.5,
    error: ["ValueError", 'Expected "200", got\n"503", twice', "Traceback ..."],
    output: { additive: [], complete: [] },
    atomic_actions: [{ name: "never ended", started_at: 1795486238.1, finished_at: null, children: [] }],
  },
];

const source: ExportSource = {
  tasks: [
    {
      task: { id: "task-1" } as TaskRecord,
      workloads: [
        { id: "w-1", subtaskIndex: 0, position: 2, spec: { scenario: "A, B" } } as unknown as WorkloadRecord,
      ],
    },
  ],
  generatedAt: new Date(0),
  producer: "test",
  async *iterations() {
    yield iterations;
  },
  async *rallyIterations() {},
  statistics: () => Promise.reject(new Error("not used by the CSV")),
};

async function csv(): Promise<string> {
  let text = "";
  for await (const piece of csvExporter.render(source)) text += piece;
  return text;
}

describe("csv export", () => {
  it("quotes only the cells that need it: commas, quotes and line breaks in names and errors", async () => {
    expect(await csv()).toBe(
      [
        CSV_COLUMNS.join(","),
        'task-1,0,2,w-1,"A, B",0,1795486237.7587838,0.25,0,,,"outer=0.25; outer > inner, with a comma=0.125"',
        'task-1,0,2,w-1,"A, B",1,1795486238.1,1e-7,0.5,ValueError,"Expected ""200"", got\n""503"", twice",never ended=',
        "",
      ].join("\n"),
    );
  });
});
