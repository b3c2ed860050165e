/**
 * `export`: streaming a 1,000,000-iteration task out of the results service. The runner runs
 * `Dummy.dummy_random_fail_in_atomic` (two atomic actions, a share failing with a traceback)
 * 1,000,000 times into a real nats-server; the results service (its `dist/main.js`, SQLite)
 * ingests it; once the statistics are stored and the chunks compacted, each export type is
 * fetched over HTTP and read to the end while the service's RSS is sampled every 50 ms. The
 * output is checked for completeness: the Rally JSON must hold 1,000,000 iterations and end the
 * document, the CSV 1,000,000 rows.
 *
 * `PADDOCK_BENCH_BEFORE_RESULTS=<an older build's services/results/dist/main.js>` runs the whole
 * scenario with that build first (fresh store), then with this one (`withResultsBeforeAfter`).
 */
import { rssOf, startPaddock, startService, tempDir, withResultsBeforeAfter } from "./lib/paddock-stack.mjs";
import { fmt, heading, line, mb, sleep, target } from "./lib/report.mjs";

const TIMES = 1_000_000;
const LIMIT_MS = 600_000;
const TYPES = ["json", "csv", "junit-xml", "old-json-results"];

/** Occurrences of `needle` in a stream of chunks (a match may straddle two chunks). */
function createCounter(needle) {
  let carry = "";
  let count = 0;
  return {
    push(text) {
      const joined = carry + text;
      let at = joined.indexOf(needle);
      while (at !== -1) {
        count += 1;
        at = joined.indexOf(needle, at + needle.length);
      }
      carry = joined.slice(Math.max(0, joined.length - needle.length + 1));
    },
    get count() {
      return count;
    },
  };
}

/** Reads the export to the end: seconds, bytes, the last 64 characters, and counted needles. */
async function download(url, needle, pid) {
  let peakRss = rssOf(pid) ?? 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(pid) ?? 0);
  }, 50);
  const started = performance.now();
  try {
    const response = await fetch(url);
    if (response.status !== 200)
      throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
    const counter = createCounter(needle);
    const decoder = new TextDecoder();
    let bytes = 0;
    let tail = "";
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      const text = decoder.decode(chunk, { stream: true });
      counter.push(text);
      tail = (tail + text).slice(-64);
    }
    return { seconds: (performance.now() - started) / 1000, bytes, tail, count: counter.count, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

async function waitSettled(resultsUrl, taskId, pid) {
  const deadline = performance.now() + LIMIT_MS;
  let peakRss = 0;
  while (performance.now() < deadline) {
    peakRss = Math.max(peakRss, rssOf(pid) ?? 0);
    const response = await fetch(`${resultsUrl}/tasks/${taskId}`);
    if (response.status === 200) {
      const detail = await response.json();
      if (
        detail.status === "finished" &&
        detail.iterations === TIMES &&
        detail.workloads.every((workload) => workload.statistics !== null)
      )
        return peakRss;
    }
    await sleep(250);
  }
  throw new Error(`the results service did not settle task ${taskId} within ${LIMIT_MS / 1000} s`);
}

export async function benchExport() {
  heading(`export: a ${fmt(TIMES)}-iteration task streamed out of the results service (SQLite)`);
  await withResultsBeforeAfter(exportRun);
}

/** One run of the scenario with the results service at `main` (default: this build); judged when `judge`. */
async function exportRun({ label, prefix, main, judge }) {
  if (label !== undefined) line("results service", label);
  const paddock = await startPaddock();
  const data = tempDir("paddock-bench-export-");
  let results;
  try {
    results = await startService(
      "results",
      { NATS_URL: paddock.nats.url, PADDOCK_DATA_DIR: data.path },
      "PADDOCK_RESULTS_PORT",
      main,
    );
    const run = await paddock.runTask(
      {
        version: 2,
        title: "bench export",
        subtasks: [
          {
            title: "Dummy.dummy_random_fail_in_atomic",
            workloads: [
              {
                scenario: { "Dummy.dummy_random_fail_in_atomic": { exception_probability: 0.05 } },
                runner: { constant: { times: TIMES, concurrency: 10 } },
              },
            ],
          },
        ],
      },
      { timeoutMs: LIMIT_MS },
    );
    const ingestRss = await waitSettled(results.url, run.taskId, results.pid);
    line(
      `${prefix}task run and stored`,
      `${fmt(TIMES)} iterations, results RSS peak while ingesting ${mb(ingestRss)}`,
    );
    // Let the compaction that follows the statistics finish, then start from a quiet service.
    await sleep(8000);
    line(`${prefix}results RSS before the exports`, mb(rssOf(results.pid) ?? 0));

    const checks = {
      json: { needle: '{"duration":', expected: TIMES, ends: "]}]}]}\n" },
      csv: { needle: "\n", expected: TIMES + 1, ends: "\n" },
      "junit-xml": { needle: "<testcase", expected: null, ends: "</testsuites>\n" },
      "old-json-results": { needle: '"duration":', expected: null, ends: "]\n" },
    };
    let jsonOk = false;
    let jsonSeconds = Number.POSITIVE_INFINITY;
    let jsonRss = Number.POSITIVE_INFINITY;
    for (const type of TYPES) {
      const check = checks[type];
      const got = await download(
        `${results.url}/tasks/${run.taskId}/export?type=${type}`,
        check.needle,
        results.pid,
      );
      const complete =
        (check.expected === null || got.count === check.expected) && got.tail.endsWith(check.ends);
      line(
        `${prefix}${type}: streamed`,
        `${fmt(got.seconds, 2)} s, ${mb(got.bytes)} (${fmt(got.bytes / 1e6 / got.seconds)} MB/s), service RSS peak ${mb(got.peakRss)}`,
      );
      line(
        `${prefix}${type}: complete`,
        `${complete ? "yes" : "NO"} (${fmt(got.count)} × ${JSON.stringify(check.needle)}, ends ${JSON.stringify(got.tail.slice(-16))})`,
      );
      if (type === "json") {
        jsonOk = complete;
        jsonSeconds = got.seconds;
        jsonRss = got.peakRss;
      }
    }
    if (judge) {
      target("Rally JSON export of 1M iterations complete", jsonOk);
      target("Rally JSON export of 1M iterations ≤ 10 s", jsonSeconds <= 10);
      target("results memory during the export < 300 MB", jsonRss < 300 * 1024 * 1024);
    }
  } finally {
    await results?.stop();
    await paddock.stop();
    data.remove();
  }
}
