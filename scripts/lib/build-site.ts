// The whole build: import -> Eleventy -> Pagefind. A first build fills a staging directory that replaces dist/ when complete;
// later builds render only the pages that changed and move them into dist/.
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { CliOptions } from "./cli.ts";
import { CONTENT_DIR } from "./cli.ts";
import { manifestPageCount } from "./content/manifest.ts";
import { importArchives, type ImportOptions, type ImportResult } from "./import-archives.ts";
import { ledgerFile, writeLedger, type LedgerFile } from "./ledger/ledger.ts";
import type { ImportMemory } from "./import-memory.ts";
import { moveInto, outputMatches, recordOutput, removeFiles, removeRetired, retireOutput } from "./output-update.ts";
import { reportImport, reportLedger, reportProgress } from "./report.ts";
import { runEleventy, startEleventy, type PendingRender } from "./run-eleventy.ts";
import { indexSite } from "./search/index-site.ts";
import { indexWhileRendering, type IndexWhileRendering } from "./search/index-while-rendering.ts";
import type { ShardEntry } from "./search/shard-manifest.ts";
import { changesFile, outputFile, readChanges } from "./site/render-plan.ts";

export const OUTPUT_DIR = "dist";
/** What dist/ holds (see render-plan.ts) and which dist/ that is (see output-update.ts); build state, never published. */
export const MANIFEST = ".cache/site-manifest.json";
const NEXT_MANIFEST = ".cache/site-manifest.next.json";
export const OUTPUT_STAMP = ".cache/site-stamp.json";

async function timed<T>(step: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await step();
  return { value, seconds: (performance.now() - start) / 1000 };
}

function reportIndex(indexed: { value: { pages: number; files: number; bytes: number }; seconds: number }): void {
  console.log(`search: ${indexed.value.pages} pages indexed in ${indexed.seconds.toFixed(1)} s (${indexed.value.files} files, ${(indexed.value.bytes / 1024).toFixed(0)} KiB)`);
}

/** Whether dist/ is the site the manifest describes, so that it may be updated in place. */
async function updatableOutput(options: CliOptions): Promise<boolean> {
  return !options.full && existsSync(MANIFEST) && (await outputMatches(OUTPUT_DIR, OUTPUT_STAMP));
}

/** Indexes the whole site in `staging` (keeping the shards in `prebuilt`) and swaps it in for dist/. */
async function publishWhole(staging: string, prebuilt?: ShardEntry[]): Promise<void> {
  reportIndex(await timed(() => indexSite(staging, prebuilt === undefined ? {} : { prebuilt })));
  await retireOutput(OUTPUT_DIR);
  await rename(staging, OUTPUT_DIR);
  await removeRetired();
}

/**
 * The URL ledger after this build. Only what is really published enters it, so it is written
 * once dist/ holds the new pages; its text (a second at 100,000 URLs) is made before, while
 * Eleventy renders in its own process, rather than on the way to the search.
 */
interface LedgerUpdate {
  prepare(): void;
  publish(): Promise<void>;
}

function ledgerUpdate(file: string, { entries, added }: ImportResult["ledger"], memory: ImportMemory | undefined): LedgerUpdate {
  let formatted: LedgerFile | undefined;
  return {
    prepare: () => void (formatted ??= ledgerFile(entries)),
    async publish() {
      formatted ??= ledgerFile(entries);
      const changed = await writeLedger(file, formatted.text);
      await memory?.ledgerWritten(file, formatted);
      console.log(`ledger: ${entries.length} URLs in ${file}${changed ? `, ${added.length} added` : ", unchanged"}`);
    },
  };
}

/** Lets pending I/O go first (a message to Eleventy's process), then makes the ledger's text while Eleventy renders. */
async function prepareWhileRendering(ledger: LedgerUpdate): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  ledger.prepare();
}

/** Renders every page into a staging directory, indexes it, and swaps it in for dist/; then publishes the ledger. */
async function buildWhole(staging: string, comments: number, search: IndexWhileRendering, ledger: LedgerUpdate): Promise<void> {
  const rendered = runEleventy(staging, { comments, manifestOut: NEXT_MANIFEST }, (pending) => search.pagesWritten(pending));
  await Promise.all([rendered, prepareWhileRendering(ledger)]);
  await publishWhole(staging, await search.finish());
  await ledger.publish();
}

/**
 * Renders the pages that changed since the manifest into a staging directory, then moves them
 * into dist/, deletes the pages that left, and re-indexes the comments that changed. Until it
 * completes the stamp is gone, so an interrupted update is followed by a whole build.
 */
async function buildChanges(staging: string, rendering: PendingRender, imported: ImportResult, search: IndexWhileRendering, ledger: LedgerUpdate): Promise<void> {
  await Promise.all([rendering.render(imported.archive.comments.length, imported.pages.changed), prepareWhileRendering(ledger)]);
  const changes = await readChanges(changesFile(NEXT_MANIFEST));
  // Eleventy rendered the whole site (the manifest could not be read, or the rendering code
  // changed): publish it whole, as a first build would.
  if (!changes.updated) {
    await rendering.finished();
    await publishWhole(staging, await search.finish());
    return ledger.publish();
  }
  await rm(OUTPUT_STAMP, { force: true });
  await removeFiles(OUTPUT_DIR, changes.retired);
  const moved = await moveInto(staging, OUTPUT_DIR);
  await rm(staging, { recursive: true, force: true });
  console.log(`update: ${moved} files written to ${OUTPUT_DIR}/, ${changes.retired.length} removed`);
  // The pages are in dist/ now; the search catches up in Pagefind's process meanwhile.
  const [indexed] = await Promise.all([timed(() => indexSite(OUTPUT_DIR, { changedPages: new Set(changes.indexed) })), ledger.publish()]);
  reportIndex(indexed);
  // Eleventy's process writes the manifest of the new site meanwhile; the build renames it into place.
  await rendering.finished();
}

/**
 * Builds the site into `dist/`; throws (leaving the previous dist/ in place) on any failure.
 * `memory`: a process that imports again later (the dev server) keeps what this import read and wrote.
 */
export async function buildSite(options: CliOptions, { memory }: Pick<ImportOptions, "memory"> = {}): Promise<ImportResult> {
  const started = performance.now();
  const staging = `${OUTPUT_DIR}.new-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await rm(NEXT_MANIFEST, { force: true });
  await rm(changesFile(NEXT_MANIFEST), { force: true });
  // What an earlier whole build's deletion left, had it been interrupted.
  await removeRetired();
  // When Eleventy renders the whole site in several runs, it reports the months whose comment
  // pages are written, and their search shards are indexed on the other core meanwhile.
  let commentPages: string[] = [];
  const search = indexWhileRendering(staging, () => commentPages);
  // An update's Eleventy process starts now and prepares while the import runs (see startEleventy).
  const update = (await updatableOutput(options))
    ? startEleventy(staging, { since: MANIFEST, manifestOut: NEXT_MANIFEST }, manifestPageCount(CONTENT_DIR, "comments"), (pending) => search.pagesWritten(pending))
    : undefined;
  let imported;
  try {
    imported = await timed(() => importArchives(options.archives, CONTENT_DIR, { ledgerFile: options.ledger, strict: options.strict, progress: reportProgress, memory }));
  } catch (error) {
    update?.cancel();
    throw error;
  }
  reportImport(imported.value, options.archives);
  reportLedger(imported.value);

  const ledger = ledgerUpdate(options.ledger, imported.value.ledger, memory);
  // Every URL the ledger holds has a page: these are the comment pages the site will have.
  commentPages = imported.value.ledger.entries.filter((entry) => entry.kind === "comment").map((entry) => outputFile(entry.url));
  try {
    if (update !== undefined) await buildChanges(staging, update, imported.value, search, ledger);
    else await buildWhole(staging, imported.value.archive.comments.length, search, ledger);
  } catch (error) {
    await search.abandon();
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await rename(NEXT_MANIFEST, MANIFEST);
  await rm(changesFile(NEXT_MANIFEST), { force: true });
  await recordOutput(OUTPUT_DIR, OUTPUT_STAMP);
  console.log(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s, site in ${OUTPUT_DIR}/`);
  return imported.value;
}
