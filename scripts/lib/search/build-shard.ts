// Builds one shard's Pagefind bundle in its own short-lived Pagefind process, so memory is bounded by the largest shard, not the site.
import { readdirSync, readFileSync, statfsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import * as pagefind from "pagefind";
import { shardGlob, type ShardPlan } from "./shard-plan.ts";

/**
 * Files of Pagefind's bundle that the site does not use: its prebuilt search UIs. The search
 * page talks to pagefind.js directly, and comment pages load pagefind-highlight.js.
 */
const UNUSED_BUNDLE_FILES = ["pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css"];

export interface BuiltShard {
  /** Pages Pagefind indexed (one fragment file each). */
  pages: number;
  seconds: number;
  /** Peak resident memory and CPU time of the Pagefind process that built this shard, when the platform tells (Linux /proc). */
  peakRssBytes: number | undefined;
  cpuSeconds: number | undefined;
}

/**
 * Pagefind writes a search module for each language it has a stemmer for and one for the rest
 * (`wasm.<language>.pagefind`, ~55 KB each); the browser loads those the bundle's entry names.
 */
async function removeUnusedWasm(outputDir: string): Promise<void> {
  const entry = JSON.parse(await readFile(path.join(outputDir, "pagefind-entry.json"), "utf8")) as { languages?: Record<string, { wasm?: string }> };
  const used = new Set(Object.values(entry.languages ?? {}).map((language) => `wasm.${language.wasm ?? ""}.pagefind`));
  const unused = (await readdir(outputDir)).filter((name) => /^wasm\..+\.pagefind$/.test(name) && !used.has(name));
  await Promise.all(unused.map((name) => rm(path.join(outputDir, name))));
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The comment layout marks the indexed part of a comment page with this attribute. */
const INDEXED_PART = "[data-pagefind-body]";

function check(step: string, errors: string[]): void {
  if (errors.length > 0) throw new Error(`pagefind ${step} failed: ${errors.join("; ")}`);
}

/**
 * The kernel's high-water mark of resident memory (VmHWM) and the CPU time of this process's
 * Pagefind child. The Node API hides the child's pid, so it is found by parent pid and name.
 */
export function pagefindChildUsage(): { peakRssBytes: number | undefined; cpuSeconds: number | undefined } {
  let ids: string[];
  try {
    ids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return { peakRssBytes: undefined, cpuSeconds: undefined };
  }
  for (const id of ids) {
    try {
      const status = readFileSync(`/proc/${id}/status`, "utf8");
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid || !/^Name:\s+pagefind/m.test(status)) continue;
      const kib = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
      const stat = readFileSync(`/proc/${id}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      return { peakRssBytes: Number.isFinite(kib) ? kib * 1024 : undefined, cpuSeconds: Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined };
    } catch {
      // The process ended between listing and reading; it is not ours to measure.
    }
  }
  return { peakRssBytes: undefined, cpuSeconds: undefined };
}

/** The pids of this process's live Pagefind services, found like their usage (see pagefindChildUsage). */
function pagefindChildPids(): Set<number> {
  const pids = new Set<number>();
  let ids: string[];
  try {
    ids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return pids;
  }
  for (const id of ids) {
    try {
      const status = readFileSync(`/proc/${id}/status`, "utf8");
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === process.pid && /^Name:\s+pagefind/m.test(status) && !/^State:\s+Z/m.test(status)) pids.add(Number(id));
    } catch {
      // Ended meanwhile.
    }
  }
  return pids;
}

/**
 * The service `createIndex` started: the one Pagefind child that was not there before. The last
 * shard's service may still be exiting, and watching it would take its normal end for a crash.
 */
function startedService(before: ReadonlySet<number>): number | undefined {
  const started = [...pagefindChildPids()].filter((pid) => !before.has(pid));
  return started.length === 1 ? started[0] : undefined;
}

function isRunning(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

/** Below this much free space where Pagefind writes, its death is taken for a full disk (it panics on one). */
const NEARLY_FULL_BYTES = 4 * 1024 * 1024;

/** Why Pagefind's service died, as far as can be told from outside: a full disk is told as one. */
function serviceDied(step: string, outputDir: string): Error {
  const error: NodeJS.ErrnoException = new Error(`Pagefind stopped during ${step} (its messages are above)`);
  try {
    const { bavail, bsize } = statfsSync(path.dirname(outputDir));
    if (bavail * bsize < NEARLY_FULL_BYTES) Object.assign(error, { code: "ENOSPC", path: outputDir });
  } catch {
    // Not known: the message stands alone.
  }
  return error;
}

/**
 * `call`'s answer, or an error once Pagefind's service has died: its Node API never answers a
 * request the service dropped (a panic on a full disk), and would leave the build waiting forever.
 */
async function whileServiceRuns<T>(pid: number | undefined, step: string, outputDir: string, call: Promise<T>): Promise<T> {
  if (pid === undefined) return call;
  let timer: NodeJS.Timeout | undefined;
  const died = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (!isRunning(pid)) reject(serviceDied(step, outputDir));
    }, 250);
  });
  try {
    return await Promise.race([call, died]);
  } finally {
    clearInterval(timer);
  }
}

/** What Pagefind's service reads its thread pools' sizes from (Rayon's and Tokio's), when it starts. */
const THREAD_VARIABLES = ["RAYON_NUM_THREADS", "TOKIO_WORKER_THREADS"] as const;

/** Calls `start`, which starts Pagefind's service, with `threads` threads for it when given (else as many as cores). */
function withThreads<T>(threads: number | undefined, start: () => T): T {
  if (threads === undefined) return start();
  const saved = THREAD_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of THREAD_VARIABLES) process.env[name] = String(threads);
  try {
    return start();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Indexes the shard's pages of the site in `siteDir` into a new bundle at `outputDir` (which must
 * not exist yet). Pagefind computes each result's URL from the page's path under `siteDir`.
 * `threads` limits the threads Pagefind uses, so that it leaves a core to another process.
 */
export async function buildShard(siteDir: string, shard: ShardPlan, outputDir: string, language: string | undefined, threads?: number): Promise<BuiltShard> {
  const started = performance.now();
  let usage: ReturnType<typeof pagefindChildUsage> = { peakRssBytes: undefined, cpuSeconds: undefined };
  try {
    // Only the marked part of a page is indexed, and a page without one is not: with data-pagefind-body
    // alone, a shard whose pages all lack it (a month of removed comments) would be indexed whole.
    const config: pagefind.PagefindServiceConfig = { rootSelector: INDEXED_PART };
    if (language !== undefined) config.forceLanguage = language;
    // The service process starts here, and reads its environment once.
    const servicesBefore = pagefindChildPids();
    const created = await withThreads(threads, () => pagefind.createIndex(config));
    check("createIndex", created.errors);
    const index = created.index;
    if (index === undefined) throw new Error("pagefind createIndex returned no index");
    const service = startedService(servicesBefore);
    const added = await whileServiceRuns(service, "indexing", outputDir, index.addDirectory({ path: siteDir, glob: shardGlob(shard) }));
    check("addDirectory", added.errors);
    const written = await whileServiceRuns(service, `writing ${outputDir}`, outputDir, index.writeFiles({ outputPath: outputDir }));
    check("writeFiles", written.errors);
    usage = pagefindChildUsage();
    await index.deleteIndex();
    await Promise.all(UNUSED_BUNDLE_FILES.map((name) => rm(path.join(outputDir, name), { force: true })));
    await removeUnusedWasm(outputDir);
    // addDirectory's page_count counts files it read, indexed or not.
    const pages = (await readdir(path.join(outputDir, "fragment")).catch(() => [])).length;
    return { pages, seconds: (performance.now() - started) / 1000, ...usage };
  } finally {
    // One process per shard: its memory goes back to the system before the next shard starts,
    // and a process left running would keep Node alive.
    await pagefind.close();
  }
}
