// Indexes a built site with Pagefind, one bundle per shard of comment pages (by year, split when large), under <site>/pagefind/.
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { wholeNumberFromEnv } from "../env-number.ts";
import { ImmediateChanges, type FileChanges } from "../file-transaction.ts";
import { loadSiteConfig } from "../site/site-config.ts";
import { buildShard } from "./build-shard.ts";
import { mergeFacets, readBundleFacets, sortedCounts, type Facets } from "./facets.ts";
import { firstSearchPagesLimit, firstSearchShards, MANIFEST_FILE, MANIFEST_FORMAT, monthsOf, parseManifest, rebuildReason, type ShardEntry, type ShardManifest, type ThreadList } from "./shard-manifest.ts";
import { commentPageMonth } from "../permalinks.ts";
import { planShards, shardPagesLimit, type ShardPlan } from "./shard-plan.ts";

/** Where the search data goes inside the site. */
export const BUNDLE_DIR = "pagefind";
/** Shard bundles, one directory per shard key, inside BUNDLE_DIR. */
export const SHARDS_DIR = "shards";
/** Comment pages load it from `<pathPrefix>pagefind/pagefind-highlight.js` to mark the words a visitor searched for. */
export const HIGHLIGHT_FILE = "pagefind-highlight.js";
/** The thread list, when too long to ship inside the shard list (see INLINE_THREADS_ENV). */
export const THREADS_FILE = "threads.json";
/** Most threads listed inside shards.json; a longer list goes to its own file, fetched only when a visitor uses the thread filter. */
export const DEFAULT_INLINE_THREADS = 1000;
export const INLINE_THREADS_ENV = "COMMENTARIUM_SEARCH_INLINE_THREADS";

export interface SiteIndex {
  /** Pages in the index (one per comment). */
  pages: number;
  /** Shards in the index, and how many of them this run (re)built. */
  shards: number;
  shardsRebuilt: number;
  /** Files and bytes under pagefind/ (shard bundles: JS, WebAssembly, index chunks, fragments; the shard list). */
  files: number;
  bytes: number;
  seconds: number;
}

export interface IndexOptions {
  /**
   * Index everything as this language, so stemming does not depend on page markup; defaults to
   * the site's language (site.config.json).
   */
  language?: string;
  /**
   * Site-relative paths (`comments/<author>/<stamp>/index.html`) of the comment pages written or
   * deleted since `<siteDir>/pagefind/` was built. Undefined: rebuild every shard.
   */
  changedPages?: ReadonlySet<string>;
  /** Progress lines (one per shard); defaults to console.log. */
  log?: (line: string) => void;
  /**
   * Shards already built into `<siteDir>/pagefind/shards/` from this site's pages (see
   * index-while-rendering.ts). Each is kept when the site's shard plan has it with the same
   * pages; the rest are built. Implies `changedPages` empty.
   */
  prebuilt?: readonly ShardEntry[];
  /**
   * How bundles and the shard list are put in place: a build's transaction, so a failure puts
   * the old ones back. By default each is swapped in at once, from a staging folder beside `siteDir`.
   */
  changes?: FileChanges;
}

/** The installed Pagefind's version: a bundle built by another version must not be merged with new ones. */
async function pagefindVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve("pagefind"));
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const { version } = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { version?: unknown };
  if (typeof version !== "string") throw new Error(`no version in ${dir}/package.json`);
  return version;
}

/**
 * Site-relative paths of every comment page (`comments/<author>/<stamp>/index.html`), from the
 * stamp directories: two directory listings per author instead of one per comment, which at
 * 100,000 comments is the difference between a tenth of a second and ten.
 */
async function listCommentPages(siteDir: string): Promise<string[]> {
  const root = path.join(siteDir, "comments");
  if (!existsSync(root)) return [];
  const pages: string[] = [];
  for (const author of await readdir(root, { withFileTypes: true })) {
    if (!author.isDirectory()) continue;
    for (const stamp of await readdir(path.join(root, author.name), { withFileTypes: true })) {
      const page = `comments/${author.name}/${stamp.name}/index.html`;
      if (stamp.isDirectory() && commentPageMonth(page) !== undefined) pages.push(page);
    }
  }
  return pages;
}

function inlineThreadsLimit(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv(env, INLINE_THREADS_ENV, DEFAULT_INLINE_THREADS, 0);
}

async function sizeOf(dir: string): Promise<{ files: number; bytes: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(path.join(e.parentPath, e.name))).size));
  return { files: sizes.length, bytes: sizes.reduce((sum, size) => sum + size, 0) };
}

/** Copies `from` over `to` through a staged copy: a reader never sees half a file. */
async function copyWhole(changes: FileChanges, from: string, to: string): Promise<void> {
  const staged = changes.stagingPath(path.basename(to));
  await copyFile(from, staged);
  changes.replace([[to, staged]]);
}

/** Shard bundles on disk. A bundle appears only whole (it is renamed into place once written), so its entry file stands for all of it. */
async function presentBundles(shardsDir: string): Promise<Set<string>> {
  const names = existsSync(shardsDir) ? await readdir(shardsDir) : [];
  return new Set(names.filter((name) => !name.startsWith(".") && existsSync(path.join(shardsDir, name, "pagefind-entry.json"))));
}

/** Removes what the current plan has no use for: shards no longer planned, leftovers of interrupted runs, an older single-bundle layout. */
async function removeStale(changes: FileChanges, bundleDir: string, plan: readonly ShardPlan[], keep: ReadonlySet<string>): Promise<string[]> {
  const shardsDir = path.join(bundleDir, SHARDS_DIR);
  const planned = new Set(plan.map((shard) => shard.key));
  const stale = (existsSync(shardsDir) ? await readdir(shardsDir) : []).filter((name) => !planned.has(name));
  const strays = (await readdir(bundleDir)).filter((name) => !keep.has(name));
  changes.remove([...stale.map((name) => path.join(shardsDir, name)), ...strays.map((name) => path.join(bundleDir, name))]);
  return stale.filter((name) => !name.startsWith("."));
}

function threadList(threads: Record<string, number> = {}, inlineLimit: number): ThreadList {
  const count = Object.keys(threads).length;
  return count <= inlineLimit ? { count, values: sortedCounts(threads) } : { count, file: THREADS_FILE };
}

/** Compact, but one shard per line, so two runs' shard lists diff readably. */
function formatManifest(manifest: ShardManifest): string {
  const { shards, ...rest } = manifest;
  const fields = Object.entries(rest).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${fields.join(",\n")},\n"shards":[\n${shards.map((shard) => JSON.stringify(shard)).join(",\n")}\n]}\n`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `, Pagefind 412 MB peak, 9.8 s CPU` when the platform tells. */
function usageNote(built: { peakRssBytes: number | undefined; cpuSeconds: number | undefined }): string {
  const parts = [built.peakRssBytes === undefined ? "" : `${(built.peakRssBytes / 1e6).toFixed(0)} MB peak`, built.cpuSeconds === undefined ? "" : `${built.cpuSeconds.toFixed(1)} s CPU`].filter(Boolean);
  return parts.length === 0 ? "" : `, Pagefind ${parts.join(", ")}`;
}

/**
 * Builds `shard`'s bundle beside its place in `shardsDir` and swaps it in once complete, so a
 * failed run leaves the old shard serving; returns its entry in the shard list.
 */
export async function buildShardBundle(siteDir: string, shardsDir: string, shard: ShardPlan, language: string | undefined, log: (line: string) => void, reason: string, threads?: number, changes: FileChanges = defaultChanges(siteDir)): Promise<ShardEntry> {
  const target = path.join(shardsDir, shard.key);
  const building = changes.stagingPath(`shard-${shard.key}`);
  await rm(building, { recursive: true, force: true });
  try {
    const built = await buildShard(siteDir, shard, building, language, threads);
    changes.replace([[target, building]]);
    const size = await sizeOf(target);
    log(`search: shard ${shard.key} (${shard.months[0]}..${shard.months[1]}): ${plural(built.pages, "page")} in ${built.seconds.toFixed(1)} s${usageNote(built)} [${reason}]`);
    return { key: shard.key, months: shard.months, path: `${SHARDS_DIR}/${shard.key}/`, files: shard.pages.length, pages: built.pages, digest: shard.digest, bundleFiles: size.files, bundleBytes: size.bytes };
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
}

/** Stages beside the site, never inside it: a published site must never hold a half-built bundle. */
function defaultChanges(siteDir: string): ImmediateChanges {
  return new ImmediateChanges(path.join(path.dirname(siteDir), `.${path.basename(siteDir)}.staging`));
}

async function indexOnce(siteDir: string, options: IndexOptions): Promise<SiteIndex> {
  const changes = options.changes ?? defaultChanges(siteDir);
  try {
    return await indexWith(siteDir, options, changes);
  } finally {
    if (changes instanceof ImmediateChanges) await rm(changes.stagingDir, { recursive: true, force: true });
  }
}

async function indexWith(siteDir: string, options: IndexOptions, changes: FileChanges): Promise<SiteIndex> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const language = options.language ?? "";
  const bundleDir = path.join(siteDir, BUNDLE_DIR);
  const shardsDir = path.join(bundleDir, SHARDS_DIR);
  const manifestPath = path.join(bundleDir, MANIFEST_FILE);

  const pages = await listCommentPages(siteDir);
  if (pages.length === 0) throw new Error(`pagefind found no comment pages in ${siteDir}/comments/<author>/<stamp>/index.html`);
  const plan = planShards(pages, shardPagesLimit());
  const version = await pagefindVersion();
  const { prebuilt } = options;
  const changedPages = prebuilt === undefined ? options.changedPages : new Set<string>();
  const previous =
    prebuilt !== undefined
      ? { format: MANIFEST_FORMAT, pagefind: version, language, shards: [...prebuilt], authors: {}, years: {}, threads: { count: 0 }, firstSearch: [] }
      : changedPages === undefined
        ? undefined
        : parseManifest(await readFile(manifestPath, "utf8").catch(() => undefined));
  if (changedPages === undefined) changes.remove([bundleDir]);
  await mkdir(shardsDir, { recursive: true });

  const input = { plan, previous, pagefind: version, language, changedPages, presentBundles: await presentBundles(shardsDir) };
  const changedMonths = monthsOf(changedPages);
  const entries: ShardEntry[] = [];
  let rebuilt = 0;
  let keptPages = 0;
  for (const shard of plan) {
    const reason = rebuildReason(shard, input, changedMonths);
    const kept = previous?.shards.find((entry) => entry.key === shard.key);
    if (reason === undefined && kept !== undefined) {
      entries.push(kept);
      keptPages += kept.pages;
      continue;
    }
    entries.push(await buildShardBundle(siteDir, shardsDir, shard, options.language, log, reason ?? "rebuilt", undefined, changes));
    rebuilt++;
  }

  const indexedPages = entries.reduce((sum, entry) => sum + entry.pages, 0);
  if (indexedPages === 0) throw new Error(`pagefind indexed no page: none of the ${pages.length} comment pages in ${siteDir}/comments has a part marked data-pagefind-body`);
  const kept = plan.length - rebuilt;
  if (kept > 0 && prebuilt !== undefined) log(`search: ${kept} of ${plan.length} shards (${keptPages} pages) indexed as Eleventy's runs completed them`);
  else if (kept > 0) log(`search: ${kept} of ${plan.length} shards unchanged (${keptPages} pages), kept as they were`);

  const facets = mergeFacets(await Promise.all(entries.map((entry): Promise<Facets> => readBundleFacets(path.join(bundleDir, entry.path)))));
  const threads = threadList(facets.thread, inlineThreadsLimit());
  const manifest: ShardManifest = { format: MANIFEST_FORMAT, pagefind: version, language, shards: entries, authors: sortedCounts(facets.author), years: sortedCounts(facets.year), threads, firstSearch: firstSearchShards(entries, firstSearchPagesLimit()) };

  // Comment pages load the highlighter from one stable URL; every shard carries the same file.
  const first = entries[0];
  if (first !== undefined) await copyWhole(changes, path.join(bundleDir, first.path, HIGHLIGHT_FILE), path.join(bundleDir, HIGHLIGHT_FILE));
  const keep = new Set([SHARDS_DIR, MANIFEST_FILE, HIGHLIGHT_FILE]);
  if (threads.file !== undefined) {
    changes.replace([[path.join(bundleDir, threads.file), changes.stage(threads.file, `${JSON.stringify(sortedCounts(facets.thread))}\n`)]]);
    keep.add(threads.file);
  }
  changes.replace([[manifestPath, changes.stage(MANIFEST_FILE, formatManifest(manifest))]]);
  const removed = await removeStale(changes, bundleDir, plan, keep);
  if (removed.length > 0) log(`search: removed shard${removed.length === 1 ? "" : "s"} ${removed.join(", ")} (no pages left in ${removed.length === 1 ? "it" : "them"})`);

  const topLevel = await Promise.all([...keep].filter((name) => name !== SHARDS_DIR).map(async (name) => (await stat(path.join(bundleDir, name))).size));
  return {
    pages: indexedPages,
    shards: entries.length,
    shardsRebuilt: rebuilt,
    files: entries.reduce((sum, entry) => sum + entry.bundleFiles, topLevel.length),
    bytes: entries.reduce((sum, entry) => sum + entry.bundleBytes, topLevel.reduce((sum, size) => sum + size, 0)),
    seconds: (performance.now() - started) / 1000,
  };
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `work` once every earlier call's work has ended: one Pagefind service at a time in this process. */
export function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Indexes the comment pages of the complete built site in `siteDir` into `siteDir/pagefind/`:
 *
 * - `pagefind/shards/<key>/`: one Pagefind bundle per shard (see planShards: a year, or its
 *   halves, quarters or months when it has more than COMMENTARIUM_SEARCH_SHARD_PAGES pages),
 *   built one after another, each in its own Pagefind process.
 * - `pagefind/shards.json`: the shard list the search page loads and merges (key, months, pages,
 *   digest of the page list), with the author, year and thread lists and their counts and the
 *   shards a query searches first (the newest, up to COMMENTARIUM_SEARCH_FIRST_PAGES pages);
 *   `pagefind/threads.json` holds the thread list instead when it is long.
 * - `pagefind/pagefind-highlight.js`, which comment pages load.
 *
 * `options.changedPages` undefined: everything is rebuilt from scratch. A set: the caller
 * promises that `siteDir/pagefind/` is what an earlier successful call wrote for this site and
 * that every comment page written or deleted since is in the set. Then only the shards that
 * contain a changed page, whose page list changed, or whose bundle is missing are rebuilt (each
 * in a temporary directory, swapped in once complete); shards left without pages are deleted;
 * every other shard's files stay untouched. Without a usable earlier shard list (missing,
 * unreadable, another Pagefind version or language) every shard is rebuilt. Paths that are not
 * comment pages are ignored. `siteDir/pagefind/` may be a hard-linked copy of the live one: no
 * existing file is ever written into, only replaced or removed.
 *
 * On failure the error propagates, shards not yet rebuilt keep their bundles and the shard list
 * is not rewritten; the next call must be given the same changes again (or none, to rebuild all).
 *
 * `options.language` defaults to the site's language. Calls are serialised, so a dev server may
 * call it after every Eleventy build without two runs sharing the Pagefind service.
 */
export function indexSite(siteDir: string, options: IndexOptions = {}): Promise<SiteIndex> {
  return oneAtATime(() => indexOnce(siteDir, { ...options, language: options.language ?? loadSiteConfig().language }));
}
