// The benchmark's output: a table a person reads, and the same figures as JSON for comparing runs.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TreeComparison } from "../../test/support/tree-compare.ts";
import type { CodeVersion, Machine } from "./environment.ts";
import type { OutputLine, RunMeasurement } from "./process-monitor.ts";
import type { DevServerLatency } from "./dev-server.ts";
import type { SearchTransfer } from "./search-transfer.ts";
import type { ArchiveStats } from "./synthetic-archive.ts";

export type RunKind = "full" | "incremental" | "floor" | "scratch";

export interface StageLine {
  /** When the line arrived, seconds after the command started. */
  at: number;
  text: string;
  /** The duration the line itself states (`... in 12.3 s`), if any. */
  seconds?: number;
}

export interface RunResult {
  label: string;
  kind: RunKind;
  /** What changed in the input before this run, for incremental and scratch runs. */
  change?: string;
  loadAverageAtStart: number;
  measurement: RunMeasurement;
  stages: StageLine[];
  /** `warning:` lines the import printed: a realistic synthetic archive should produce none. */
  warnings: number;
}

export interface Comparison {
  label: string;
  incremental: string;
  scratch: string;
  result: TreeComparison;
}

export interface BenchResults {
  startedAt: string;
  comments: number;
  seed: number;
  /** NODE_OPTIONS the measured runs had ("" = Node's defaults, a 4 GB heap here). */
  nodeOptions: string;
  memoryCapBytes: number;
  machine: Machine;
  code: CodeVersion;
  archive: { stats: ArchiveStats; files: number; bytes: number; query: { word: string; comments: number } };
  runs: RunResult[];
  comparisons: Comparison[];
  search: SearchTransfer | { skipped: string } | undefined;
  devServer: DevServerLatency | { failed: string } | undefined;
  failed?: string;
}

/** The build's own report lines (`import: ...`, `eleventy: ... in 12.3 s`, `search: ...`, `build: done in ...`) and Eleventy's. */
export function stageLines(output: OutputLine[]): StageLine[] {
  return output
    // Eleventy's own summary and benchmark warnings (`[11ty] Benchmark ... "url" Nunjucks Filter`) say where its time goes.
    .filter((line) => (line.stream === "stdout" && /^[a-z][a-z -]*: /.test(line.text) && !line.text.startsWith("updated:")) || line.text.startsWith("[11ty]"))
    .map((line) => {
      const stated = / in (\d+(?:\.\d+)?) s\b/.exec(line.text)?.[1];
      return stated === undefined ? { at: line.at, text: line.text } : { at: line.at, text: line.text, seconds: Number(stated) };
    });
}

export const countWarnings = (output: OutputLine[]): number => output.filter((l) => /^warning: /.test(l.text)).length;

const MB = 2 ** 20;
const mb = (bytes: number): string => `${Math.round(bytes / MB).toLocaleString("en")} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toLocaleString("en", { maximumFractionDigits: 0 })} KB`;
const secs = (s: number): string => `${s.toFixed(s < 10 ? 2 : 1)} s`;
const pad = (text: string, width: number): string => (text.length >= width ? text : text + " ".repeat(width - text.length));
const padLeft = (text: string, width: number): string => (text.length >= width ? text : " ".repeat(width - text.length) + text);

function table(rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (rightAligned.has(c) ? padLeft(cell, widths[c] ?? 0) : pad(cell, widths[c] ?? 0))).join("  ").trimEnd()).join("\n");
}

function runsTable(results: BenchResults): string {
  const floor = results.runs.find((r) => r.kind === "floor");
  // CPU is the steadier figure on a shared machine: other people's work stretches wall time more than CPU time.
  const header = ["run", "wall", "CPU", "largest process (peak RSS)", "", "tree peak", "ms/comment", "× floor", "exit"];
  const rows = results.runs.map((run) => {
    const m = run.measurement;
    const largest = m.processes[0];
    return [
      run.label,
      secs(m.wallSeconds),
      secs(m.processes.reduce((sum, p) => sum + p.cpuSeconds, 0)),
      largest === undefined ? "-" : mb(largest.peakRssBytes),
      largest?.name ?? "",
      mb(m.treePeakRssBytes),
      ((m.wallSeconds * 1000) / results.comments).toFixed(3),
      floor === undefined ? "-" : `${(m.wallSeconds / floor.measurement.wallSeconds).toFixed(1)}×`,
      m.killed === undefined ? String(m.exitCode) : `${m.exitCode} (killed: over memory cap)`,
    ];
  });
  return table([header, ...rows], new Set([1, 2, 3, 5, 6, 7]));
}

function stagesSection(results: BenchResults): string {
  const lines: string[] = [];
  for (const run of results.runs) {
    if (run.kind === "floor" && run.stages.length === 0) continue;
    lines.push(`  ${run.label}${run.change ? ` (${run.change})` : ""}; load average at start ${run.loadAverageAtStart.toFixed(2)}`);
    for (const stage of run.stages.filter((s) => !/^floor: .*\.md:/.test(s.text))) lines.push(`    +${stage.at.toFixed(1).padStart(6)} s  ${stage.text}`);
    const processes = run.measurement.processes.filter((p) => p.peakRssBytes > 0);
    lines.push(`    processes: ${processes.map((p) => `${p.name} ${mb(p.peakRssBytes)} peak, ${p.cpuSeconds.toFixed(1)} s CPU`).join("; ")}`);
    lines.push(`    memory (tree RSS): ${memoryCurve(run.measurement)}`);
    // CPU over wall time: how many of the cores the run kept busy (2 would be both, on this machine).
    const cpu = processes.reduce((sum, p) => sum + p.cpuSeconds, 0);
    lines.push(`    CPU: ${cpu.toFixed(1)} s over ${secs(run.measurement.wallSeconds)} wall = ${(cpu / run.measurement.wallSeconds).toFixed(2)} cores busy on average`);
  }
  return lines.join("\n");
}

/** About ten points of the memory curve, so the report shows whether memory grows steadily or jumps. */
function memoryCurve(m: RunMeasurement): string {
  const points = m.timeline;
  if (points.length === 0) return "-";
  const step = Math.max(1, Math.round(points.length / 10));
  const picked = points.filter((_, i) => i % step === 0 || i === points.length - 1);
  return picked.map((p) => `${(p.treeRssBytes / 2 ** 30).toFixed(1)} GB @${p.at.toFixed(0)}s`).join(", ");
}

function comparisonSection(comparisons: Comparison[]): string {
  return comparisons
    .map(({ label, result }) => {
      if (result.identical) return `  ${label}: identical (${result.files[0].toLocaleString("en")} files, ${mb(result.bytes[0])})`;
      const lines = [
        `  ${label}: DIFFERENT — ${result.differing.length} files differ, ${result.onlyInFirst.length} only in the incremental dist, ${result.onlyInSecond.length} only in the scratch dist (of ${result.files[0]} / ${result.files[1]} files)`,
      ];
      for (const d of result.differing.slice(0, 10)) {
        lines.push(`    differs: ${d.file} (${d.sizes[0]} vs ${d.sizes[1]} bytes, first at byte ${d.offset})`);
        lines.push(`      incremental: …${JSON.stringify(d.context[0])}…`);
        lines.push(`      scratch:     …${JSON.stringify(d.context[1])}…`);
      }
      for (const f of result.onlyInFirst.slice(0, 10)) lines.push(`    only in incremental: ${f}`);
      for (const f of result.onlyInSecond.slice(0, 10)) lines.push(`    only in scratch: ${f}`);
      return lines.join("\n");
    })
    .join("\n");
}

function searchSection(search: BenchResults["search"], query: BenchResults["archive"]["query"]): string {
  if (search === undefined) return "  not measured (--skip-search, or the build failed)";
  if ("skipped" in search) return `  not measured: ${search.skipped}`;
  const kinds = Object.entries(search.byKind)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([kind, g]) => `${kind} ${kb(g.bytes)} (${g.requests})`)
    .join(", ");
  const how = search.method === "search-page" ? "the site's /search/ page" : "a minimal page on the Pagefind JS API (the build has no /search/ page)";
  const every = search.everyYear;
  return [
    `  "${search.query}" (in ${query.comments.toLocaleString("en")} comments), via ${how}: ${search.resultsRendered} results shown, from ${search.shardsSearched} of ${search.shards} index shards`,
    ...(search.status === undefined ? [] : [`  status: ${search.status}`]),
    `  under /pagefind/: ${kb(search.pagefindBytes)} in ${search.pagefindRequests} requests — ${kinds}`,
    `  whole page: ${kb(search.totalBytes)} (uncompressed: the test server sends no Content-Encoding)`,
    `  time: ${secs(search.resultsSeconds)} to the first results on screen, ${secs(search.seconds)} until the network was quiet (headless Chromium, same machine)`,
    ...(every === undefined
      ? []
      : [`  then "Search every year": ${every.shardsSearched} of ${search.shards} shards, ${kb(every.pagefindBytes)} more in ${every.pagefindRequests} requests, results after ${secs(every.resultsSeconds)}`, `  status: ${every.status}`]),
  ].join("\n");
}

const sortedServedSeconds = (devServer: DevServerLatency): number[] => devServer.changes.map((c) => c.servedSeconds).sort((a, b) => a - b);

/** The middle of the changes' serve times (the upper middle of an even count). */
export function medianServedSeconds(devServer: DevServerLatency): number {
  const served = sortedServedSeconds(devServer);
  return served[Math.floor(served.length / 2)] ?? 0;
}

function devServerSection(devServer: BenchResults["devServer"]): string {
  if (devServer === undefined) return "  not measured (--skip-dev-server, or a build failed)";
  if ("failed" in devServer) return `  ${devServer.failed.split("\n")[0] ?? ""}`;
  const served = sortedServedSeconds(devServer);
  return [
    ...devServer.changes.flatMap((c, i) => [
      `  ${i + 1}. ${c.change}: ${c.url}`,
      `     served ${secs(c.servedSeconds)} after the export was saved; search re-indexed after ${secs(c.indexedSeconds)}`,
    ]),
    `  served after ${secs(served[0] ?? 0)} to ${secs(served.at(-1) ?? 0)}, median ${secs(medianServedSeconds(devServer))}`,
    `  (\`npm start\` over the built site took ${secs(devServer.startSeconds)} to serve)`,
  ].join("\n");
}

export function formatReport(results: BenchResults): string {
  const { machine, archive, code } = results;
  const s = archive.stats;
  return [
    `Commentarium benchmark, ${results.comments.toLocaleString("en")} comments (seed ${results.seed}), ${results.startedAt}`,
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}, ${machine.platform}`,
    `node options: ${results.nodeOptions === "" ? "(defaults)" : results.nodeOptions}; memory cap per run ${mb(results.memoryCapBytes)}`,
    `code: ${code.commit}${code.uncommitted.length > 0 ? ` + ${code.uncommitted.length} uncommitted paths in the working tree` : ""}`,
    `input: ${archive.files} export files, ${mb(archive.bytes)}; ${s.authors} authors (${s.largestAuthor}..${s.smallestAuthor} comments each), ${s.threads.toLocaleString("en")} threads (largest ${s.largestThread.toLocaleString("en")}, median ${s.medianThread}, ${s.threadsOver1000} over 1,000), ${s.posts} posts, ${s.withFootnotes} with footnotes, ${s.meanBodyBytes} bytes/comment body`,
    "",
    runsTable(results),
    "",
    "stages and processes:",
    stagesSection(results),
    "",
    "incremental build == from-scratch build of the same input?",
    results.comparisons.length === 0 ? "  not checked" : comparisonSection(results.comparisons),
    "",
    "first search query transfer:",
    searchSection(results.search, archive.query),
    "",
    "dev server (`npm start`): comments added to an export, one at a time",
    devServerSection(results.devServer),
    ...(results.failed === undefined ? [] : ["", `FAILED: ${results.failed}`]),
  ].join("\n");
}

/** Writes the figures; long name lists are capped so the file stays readable, with the true counts kept. */
export async function writeResults(file: string, results: BenchResults): Promise<void> {
  const capped = {
    ...results,
    comparisons: results.comparisons.map((c) => ({
      ...c,
      result: {
        ...c.result,
        counts: { differing: c.result.differing.length, onlyInFirst: c.result.onlyInFirst.length, onlyInSecond: c.result.onlyInSecond.length },
        differing: c.result.differing.slice(0, 200),
        onlyInFirst: c.result.onlyInFirst.slice(0, 200),
        onlyInSecond: c.result.onlyInSecond.slice(0, 200),
      },
    })),
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(capped, null, 2)}\n`);
}
