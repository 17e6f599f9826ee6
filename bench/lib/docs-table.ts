// docs/benchmarks.md: one current row per archive size. A run rewrites its own size's row and keeps the
// others as the file has them, so the table is always the latest figure for each size.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Machine } from "./environment.ts";
import { medianServedSeconds, type BenchResults, type RunResult } from "./report.ts";

/** The archive sizes the table has a row for, smallest first. */
export const DOCUMENTED_SIZES = [1_000, 10_000, 100_000] as const;

const COLUMNS = [
  "comments",
  "full build (s)",
  "add one comment (s)",
  "edit one comment (s)",
  "dev server (median s)",
  "floor (s)",
  "peak memory of the largest process (MB)",
  "first search transfer (KB)",
  "machine",
  "measured",
] as const;

type Column = (typeof COLUMNS)[number];
export type DocsRow = Record<Column, string>;

const NOT_MEASURED = "—";

const INTRO = `# Benchmarks

\`npm run bench -- --comments N --write-docs\` measures a deterministic synthetic archive of N
comments in a throw-away copy of the project and rewrites that size's row below, keeping the
others. History lives in git: \`git log -p docs/benchmarks.md\` shows earlier figures, and each
commit message says what a run measured. Times are wall-clock seconds. The rows are of the
plain-text export; \`--input api\` writes the same archive as the forum API's JSON (its figures
go to commit messages).

- **full build**: \`npm run build\` from an empty \`content/\` and \`dist/\`.
- **add one comment**, **edit one comment**: the rebuild after one comment is added to an
  export, then after one is edited; each is checked file for file against a from-scratch build
  of the same input, and the cell says so when they differ.
- **dev server**: how soon \`npm start\`, running over the built site, serves each of three
  comments added to an export one at a time; the median of the three.
- **floor**: the least work any pipeline must do with the same exports: parse them, render
  every comment with the project's Markdown setup and write one HTML file per comment.
- **peak memory of the largest process**: the highest peak resident memory (RSS) of any one
  process, the build or one of its child processes, during the full build and the two rebuilds.
- **first search transfer**: what a visitor downloads under \`/pagefind/\` for a first search
  query, in headless Chromium.
- **machine**: logical cores, memory, CPU model and Node version; **measured**: the day of the
  run (UTC).

${NOT_MEASURED} means not measured (never run at that size, the part skipped, or the run failed
before it); \`failed\`, that the command itself failed. On a shared machine wall times vary by
10-20% between runs.
`;

const seconds = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
const thousands = (value: number): string => Math.round(value).toLocaleString("en");

export const machineSummary = (machine: Machine): string =>
  `${machine.cpus} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${machine.cpuModel}, Node ${machine.node}`;

function runCell(run: RunResult | undefined, results: BenchResults, comparisonLabel?: string): string {
  if (run === undefined) return NOT_MEASURED;
  if (run.measurement.exitCode !== 0) return run.measurement.killed === undefined ? "failed" : "failed (over memory cap)";
  const comparison = results.comparisons.find((c) => c.label === comparisonLabel);
  const differs = comparison !== undefined && !comparison.result.identical;
  return `${seconds(run.measurement.wallSeconds)}${differs ? " (differs from a scratch build)" : ""}`;
}

/** The row one run gives its size. */
export function docsRow(results: BenchResults): DocsRow {
  const run = (label: string): RunResult | undefined => results.runs.find((r) => r.label === label);
  const builds = results.runs.filter((r) => r.kind === "full" || r.kind === "incremental");
  const peaks = builds.flatMap((r) => r.measurement.processes.map((p) => p.peakRssBytes));
  const search = results.search;
  const devServer = results.devServer;
  return {
    comments: thousands(results.comments),
    "full build (s)": runCell(run("full build"), results),
    "add one comment (s)": runCell(run("incremental: add"), results, "add"),
    "edit one comment (s)": runCell(run("incremental: edit"), results, "edit"),
    "dev server (median s)": devServer === undefined ? NOT_MEASURED : "failed" in devServer ? "failed" : seconds(medianServedSeconds(devServer)),
    "floor (s)": runCell(run("floor"), results),
    "peak memory of the largest process (MB)": peaks.length === 0 ? NOT_MEASURED : thousands(Math.max(...peaks) / 2 ** 20),
    "first search transfer (KB)": search === undefined || "skipped" in search ? NOT_MEASURED : thousands(search.pagefindBytes / 1024),
    machine: machineSummary(results.machine),
    measured: results.startedAt.slice(0, 10),
  };
}

const neverMeasured = (comments: number): DocsRow => {
  const row = Object.fromEntries(COLUMNS.map((column) => [column, NOT_MEASURED])) as DocsRow;
  row.comments = thousands(comments);
  row.measured = "never";
  return row;
};

/** Splits a Markdown table line into its cells; `\|` is a pipe inside a cell. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

const escapeCell = (text: string): string => text.replace(/\|/g, "\\|");

/** The rows the file has now, by number of comments; cells of columns it no longer has are dropped, new ones are `—`. */
export function parseDocsRows(markdown: string): Map<number, DocsRow> {
  const rows = new Map<number, DocsRow>();
  const lines = markdown.split("\n");
  const headerAt = lines.findIndex((line) => line.trimStart().startsWith("|") && cells(line)[0] === "comments");
  if (headerAt === -1) return rows;
  const header = cells(lines[headerAt] ?? "");
  for (const line of lines.slice(headerAt + 2)) {
    if (!line.trimStart().startsWith("|")) break;
    const values = cells(line);
    const comments = Number((values[0] ?? "").replace(/,/g, ""));
    if (!Number.isInteger(comments)) continue;
    const row = neverMeasured(comments);
    header.forEach((column, i) => {
      if ((COLUMNS as readonly string[]).includes(column) && values[i] !== undefined) row[column as Column] = values[i];
    });
    rows.set(comments, row);
  }
  return rows;
}

/** The whole file for these rows: the sizes of DOCUMENTED_SIZES in order, never-measured ones included. */
export function formatDocs(rows: Map<number, DocsRow>): string {
  const numeric = new Set<Column>(COLUMNS.filter((c) => c.endsWith(")") && c !== "comments"));
  const line = (values: string[]): string => `| ${values.map(escapeCell).join(" | ")} |`;
  const table = [
    line([...COLUMNS]),
    `| ${COLUMNS.map((c) => (c === "comments" || numeric.has(c) ? "---:" : "---")).join(" | ")} |`,
    ...DOCUMENTED_SIZES.map((size) => line(COLUMNS.map((c) => (rows.get(size) ?? neverMeasured(size))[c]))),
  ];
  return `${INTRO}\n${table.join("\n")}\n`;
}

/** Rewrites `file` with this run's row in place of its size's, the other rows as the file had them. */
export async function writeDocsRow(file: string, results: BenchResults): Promise<void> {
  const existing = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const rows = parseDocsRows(existing);
  rows.set(results.comments, docsRow(results));
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, formatDocs(rows));
  await rename(temporary, file);
}
