// `npm run bench [-- --comments N] [--seed S] [--input text|api] [--skip-verify] [--skip-search] [--skip-dev-server]
//   [--keep] [--quiet] [--write-docs] [--node-options "--max-old-space-size=12288"] [--memory-cap-gb G]`
// Builds a synthetic archive of N comments in a throw-away project copy and measures the full
// build, two incremental rebuilds (checked against from-scratch builds), the floor (parse +
// markdown-it + write, nothing else), the first search query's transfer and how soon the dev
// server serves each of three comments added to an export one at a time. Prints a table and writes
// bench/results/results-<N>.json; with --write-docs, also this size's row of docs/benchmarks.md. See bench/lib/.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import os from "node:os";
import { parseArgs } from "node:util";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../test/support/project-copy.ts";
import { compareTrees } from "../test/support/tree-compare.ts";
import { measureDevServer } from "./lib/dev-server.ts";
import { codeVersion, loadAverage, machineInfo } from "./lib/environment.ts";
import { runMeasured } from "./lib/process-monitor.ts";
import { Random } from "./lib/random.ts";
import { DOCUMENTED_SIZES, writeDocsRow } from "./lib/docs-table.ts";
import { countWarnings, formatReport, stageLines, writeResults, type BenchResults, type RunKind, type RunResult } from "./lib/report.ts";
import { measureSearchTransfer } from "./lib/search-transfer.ts";
import { addComment, editComment, generateArchive, pickQueryWord, renderApiExport, renderExport, type SyntheticArchive, type SyntheticExport } from "./lib/synthetic-archive.ts";
import { QUERY_CANDIDATES } from "./lib/vocabulary.ts";
import { loadSiteConfig } from "../scripts/lib/site/site-config.ts";

/** Inside each project copy; relative, so the exports' `source.file` (and so the output) is the same in every copy. */
const ARCHIVE_DIR = "bench-archives";
const TSX = path.join(PROJECT_ROOT, "node_modules/.bin/tsx");
const DOCS_FILE = path.join(PROJECT_ROOT, "docs", "benchmarks.md");

interface Options {
  comments: number;
  seed: number;
  verify: boolean;
  search: boolean;
  devServer: boolean;
  keep: boolean;
  echo: boolean;
  /** Rewrite this size's row of docs/benchmarks.md once the run is done. */
  writeDocs: boolean;
  /** NODE_OPTIONS for the measured runs (e.g. a larger heap); empty means Node's defaults. */
  nodeOptions: string;
  memoryCapBytes: number;
  /** What the exports are written as: the plain-text export, or the forum API's JSON. */
  input: "text" | "api";
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      comments: { type: "string", default: "10000" },
      seed: { type: "string", default: "20240601" },
      input: { type: "string", default: "text" },
      "skip-verify": { type: "boolean", default: false },
      "skip-search": { type: "boolean", default: false },
      "skip-dev-server": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      "write-docs": { type: "boolean", default: false },
      "node-options": { type: "string", default: process.env.NODE_OPTIONS ?? "" },
      // The machine is shared: by default a run may use at most 70% of its memory.
      "memory-cap-gb": { type: "string", default: String(Math.floor((os.totalmem() * 0.7) / 2 ** 30)) },
    },
  });
  const capGb = Number(values["memory-cap-gb"]);
  if (!(capGb > 0)) throw new Error(`--memory-cap-gb must be a positive number, got ${values["memory-cap-gb"]}`);
  const comments = Number(values.comments);
  const seed = Number(values.seed);
  if (!Number.isInteger(comments) || comments < 10) throw new Error(`--comments must be an integer of at least 10, got ${values.comments}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const writeDocs = values["write-docs"] ?? false;
  const input = values.input;
  if (input !== "text" && input !== "api") throw new Error(`--input must be text or api, got ${input}`);
  // docs/benchmarks.md's rows are of the text export, the input every site starts from.
  if (writeDocs && input !== "text") throw new Error("--write-docs documents runs on the text export only (--input text)");
  // Checked before the run, which can take an hour, rather than after it.
  if (writeDocs && !(DOCUMENTED_SIZES as readonly number[]).includes(comments)) {
    throw new Error(`--write-docs documents ${DOCUMENTED_SIZES.join(", ")} comments only, got ${comments}`);
  }
  return {
    comments,
    seed,
    verify: !values["skip-verify"],
    search: !values["skip-search"],
    devServer: !values["skip-dev-server"],
    keep: values.keep ?? false,
    echo: !values.quiet,
    writeDocs,
    nodeOptions: values["node-options"] ?? "",
    memoryCapBytes: capGb * 2 ** 30,
    input,
  };
}

const step = (text: string): void => console.log(`\n== ${text}`);

function generate(options: Options): SyntheticArchive {
  step(`generating ${options.comments.toLocaleString("en")} comments (seed ${options.seed})`);
  let decile = 0;
  const archive = generateArchive({
    comments: options.comments,
    seed: options.seed,
    onProgress: (done, total) => {
      if (Math.floor((done * 10) / total) <= decile) return;
      decile = Math.floor((done * 10) / total);
      console.log(`  ${done.toLocaleString("en")} / ${total.toLocaleString("en")} comments`);
    },
  });
  const s = archive.stats;
  console.log(`  ${s.authors} authors, ${s.threads} threads (largest ${s.largestThread}), ${s.posts} posts, ${s.meanBodyBytes} bytes/body`);
  return archive;
}

const archivePaths = (archive: SyntheticArchive): string[] => archive.exports.map((e) => path.posix.join(ARCHIVE_DIR, e.file));

/** Writes the exports into a copy as `input` (see Options): all of them, or only the named file after a change. */
async function writeExports(copy: ProjectCopy, archive: SyntheticArchive, input: Options["input"], only?: string): Promise<number> {
  const exportText = (exported: SyntheticExport): string => (input === "api" ? renderApiExport(exported) : renderExport(exported));
  await mkdir(path.join(copy.dir, ARCHIVE_DIR), { recursive: true });
  let bytes = 0;
  for (const exported of archive.exports) {
    if (only !== undefined && exported.file !== only) continue;
    const text = exportText(exported);
    bytes += Buffer.byteLength(text);
    await writeFile(path.join(copy.dir, ARCHIVE_DIR, exported.file), text);
  }
  return bytes;
}

async function measure(label: string, kind: RunKind, copy: ProjectCopy, args: string[], options: Options, change?: string): Promise<RunResult> {
  step(`${label}${change ? `: ${change}` : ""}`);
  const loadAverageAtStart = loadAverage();
  const env = { ...process.env, NODE_OPTIONS: options.nodeOptions };
  const measurement = await runMeasured({ command: TSX, args, cwd: copy.dir, env, label, echo: options.echo, memoryCapBytes: options.memoryCapBytes });
  const largest = measurement.processes[0];
  console.log(`  -> exit ${measurement.exitCode}, ${measurement.wallSeconds.toFixed(1)} s, largest process ${largest ? `${(largest.peakRssBytes / 2 ** 20).toFixed(0)} MB (${largest.name})` : "-"}`);
  if (measurement.exitCode !== 0) {
    for (const line of measurement.output.filter((l) => l.stream === "stderr").slice(-20)) console.log(`  stderr: ${line.text}`);
  }
  const result: RunResult = { label, kind, loadAverageAtStart, measurement, stages: stageLines(measurement.output), warnings: countWarnings(measurement.output) };
  if (change !== undefined) result.change = change;
  return result;
}

const buildArgs = (archive: SyntheticArchive): string[] => ["scripts/build.ts", ...archivePaths(archive).flatMap((file) => ["--archive", file])];

/** Records a run, failed ones included (a build that runs out of memory is a result); true when it succeeded. */
function record(results: BenchResults, run: RunResult): boolean {
  results.runs.push(run);
  if (run.measurement.exitCode === 0) return true;
  const why = `${run.label} exited with ${run.measurement.exitCode}${run.measurement.killed ? ` (killed: ${run.measurement.killed})` : ""}`;
  results.failed = results.failed === undefined ? why : `${results.failed}; ${why}`;
  return false;
}

/** An incremental rebuild in `main` after `change`, then (unless skipped) a from-scratch build of the same input in `scratch`, compared. */
async function incremental(label: string, change: { file: string; description: string }, main: ProjectCopy, scratch: ProjectCopy | undefined, archive: SyntheticArchive, options: Options, results: BenchResults): Promise<boolean> {
  await writeExports(main, archive, options.input, change.file);
  if (!record(results, await measure(`incremental: ${label}`, "incremental", main, buildArgs(archive), options, change.description))) return false;
  if (scratch === undefined) return true;
  await writeExports(scratch, archive, options.input);
  if (!record(results, await measure(`scratch build (${label} input)`, "scratch", scratch, buildArgs(archive), options, "same input, fresh copy"))) return false;
  step(`comparing dist/ of the incremental and the scratch build (${label})`);
  const result = await compareTrees(path.join(main.dir, "dist"), path.join(scratch.dir, "dist"), (done, total) => console.log(`  ${done.toLocaleString("en")} / ${total.toLocaleString("en")} files compared`));
  console.log(`  ${result.identical ? "identical" : `DIFFERENT: ${result.differing.length} differ, ${result.onlyInFirst.length} only incremental, ${result.onlyInSecond.length} only scratch`} (${result.files[0]} files)`);
  results.comparisons.push({ label, incremental: main.dir, scratch: scratch.dir, result });
  // A scratch copy is done with once compared; at 100,000 comments each holds gigabytes.
  if (!options.keep) await scratch.remove();
  return true;
}

/** New comments the dev server is timed on, one after another: its first rebuild, and rebuilds of a server that has rebuilt. */
const DEV_SERVER_CHANGES = 3;

/** `npm start` over the built copy; once it serves, comments are added to an export, one at a time. */
async function devServer(copy: ProjectCopy, archive: SyntheticArchive, options: Options): Promise<BenchResults["devServer"]> {
  const random = new Random(options.seed ^ 0xdef);
  const save = async (): Promise<{ change: string; path: string }> => {
    const added = addComment(archive, random);
    await writeExports(copy, archive, options.input, added.file);
    return { change: added.description, path: added.path };
  };
  step(`dev server: ${DEV_SERVER_CHANGES} comments added, one at a time`);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const latency = await measureDevServer({
    cwd: copy.dir,
    // As a user starts it, with the Node options of package.json's start script.
    command: "npm",
    args: ["start", "--silent", "--", "--port", String(port), ...archivePaths(archive).flatMap((file) => ["--archive", file])],
    env: { ...process.env, NODE_OPTIONS: options.nodeOptions },
    save,
    changes: DEV_SERVER_CHANGES,
    pauseSeconds: 5,
    echo: options.echo,
    timeoutSeconds: 1800,
  });
  for (const c of latency.changes) console.log(`  ${c.change}: served after ${c.servedSeconds.toFixed(1)} s, search re-indexed after ${c.indexedSeconds.toFixed(1)} s`);
  return latency;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const archive = generate(options);
  // The forum API's JSON is told apart by content; the name says what it is to whoever looks.
  if (options.input === "api") for (const exported of archive.exports) exported.file = exported.file.replace(/\.md$/, ".json");
  const query = pickQueryWord(archive, QUERY_CANDIDATES);
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    comments: options.comments,
    seed: options.seed,
    nodeOptions: options.nodeOptions,
    memoryCapBytes: options.memoryCapBytes,
    machine: machineInfo(),
    code: codeVersion(PROJECT_ROOT),
    archive: { stats: archive.stats, files: archive.exports.length, bytes: 0, query },
    runs: [],
    comparisons: [],
    search: undefined,
    devServer: undefined,
  };
  const outputFile = path.join(PROJECT_ROOT, "bench", "results", `results-${options.comments}.json`);

  // All copies are made now, from one state of the working tree, which others may be editing.
  step("copying the project");
  const main = await copyProject();
  const scratches = options.verify ? [await copyProject(), await copyProject()] : [];
  const copies = [main, ...scratches];
  console.log(`  ${copies.map((c) => c.dir).join(", ")}`);
  try {
    results.archive.bytes = await writeExports(main, archive, options.input);
    const built = record(results, await measure("full build", "full", main, buildArgs(archive), options, "empty content/ and dist/"));

    if (built && options.search) {
      step(`first search query "${query.word}" (in ${query.comments} comments)`);
      const prefix = loadSiteConfig(path.join(main.dir, "site.config.json"), {}).pathPrefix;
      results.search = await measureSearchTransfer(path.join(main.dir, "dist"), query.word, prefix);
      console.log("skipped" in results.search ? `  skipped: ${results.search.skipped}` : `  ${(results.search.pagefindBytes / 1024).toFixed(0)} KB under /pagefind/ in ${results.search.pagefindRequests} requests`);
    }

    const floorArgs = ["bench/lib/floor.ts", "--out", "bench-floor", ...archivePaths(archive).flatMap((file) => ["--archive", file])];
    // The floor is measured even when the build failed: it is the other half of the comparison.
    record(results, await measure("floor", "floor", main, floorArgs, options, "parse + markdown-it + write, one file per comment"));
    await rm(path.join(main.dir, "bench-floor"), { recursive: true, force: true });

    if (built && (await incremental("add", addComment(archive, new Random(options.seed ^ 0x5eed)), main, scratches[0], archive, options, results))) {
      if ((await incremental("edit", editComment(archive), main, scratches[1], archive, options, results)) && options.devServer) {
        results.devServer = await devServer(main, archive, options).catch((error: unknown) => {
          const why = `dev server: ${error instanceof Error ? error.message : String(error)}`;
          results.failed = results.failed === undefined ? why : `${results.failed}; ${why}`;
          return { failed: why };
        });
      }
    }
  } finally {
    await writeResults(outputFile, results);
    step("results");
    console.log(formatReport(results));
    console.log(`\nfigures written to ${path.relative(process.cwd(), outputFile)}`);
    if (options.keep) console.log(`copies kept: ${copies.map((c) => c.dir).join(" ")}`);
    else await Promise.all(copies.map((c) => c.remove()));
  }
  // Only a run that went to its end is documented; a command that failed within it is a figure like any other.
  if (options.writeDocs) {
    await writeDocsRow(DOCS_FILE, results);
    console.log(`row for ${options.comments.toLocaleString("en")} comments written to ${path.relative(process.cwd(), DOCS_FILE)}`);
  }
  if (results.failed !== undefined) process.exitCode = 1;
}

await main();
