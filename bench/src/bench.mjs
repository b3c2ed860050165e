/**
 * `npm run bench -- <name>...` (from bench/ or the root): runs the named benchmarks, or all of
 * them with `all`, each measuring Paddock and its peers in the same run.
 */
import { summary } from "./lib/report.mjs";

const BENCHMARKS = {
  dummy: async () => (await import("./dummy-bench.mjs")).benchDummy(),
  http: async () => (await import("./http-bench.mjs")).benchHttp(),
  "http-ab": async () => (await import("./http-ab-bench.mjs")).benchHttpAb(),
  alloc: async () => (await import("./alloc-bench.mjs")).benchAlloc(),
  rps: async () => (await import("./rps-bench.mjs")).benchRps(),
  memory: async () => (await import("./memory-bench.mjs")).benchMemory(),
  ingest: async () => (await import("./ingest-bench.mjs")).benchIngest(),
  stats: async () => (await import("./stats-bench.mjs")).benchStats(),
  list: async () => (await import("./list-bench.mjs")).benchList(),
  export: async () => (await import("./export-bench.mjs")).benchExport(),
  tui: async () => (await import("./tui-bench.mjs")).benchTui(),
  keystone: async () => (await import("./keystone-bench.mjs")).benchKeystone(),
};

const names = process.argv.slice(2);
const chosen = names.includes("all") ? Object.keys(BENCHMARKS) : names;
const unknown = chosen.filter((name) => !(name in BENCHMARKS));
if (chosen.length === 0 || unknown.length > 0) {
  if (unknown.length > 0) console.error(`unknown benchmark: ${unknown.join(", ")}`);
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join("|")}|all>...`);
  process.exit(2);
}

console.log(`paddock bench — ${new Date().toISOString()}, node ${process.version}`);
let failed = false;
for (const name of chosen) {
  try {
    await BENCHMARKS[name]();
  } catch (error) {
    failed = true;
    console.error(`  ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
summary();
process.exit(failed ? 1 : 0);
