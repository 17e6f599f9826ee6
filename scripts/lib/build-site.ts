// The whole build: import -> Eleventy -> Pagefind, in one file transaction: content/, dist/, the ledger and build state
// change together or not at all. A first build makes a new site that dist/ is switched to; later builds update dist/ file by file.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { CliOptions } from "./cli.ts";
import { CONTENT_DIR } from "./cli.ts";
import { manifestPageCount } from "./content/manifest.ts";
import { FileTransaction } from "./file-transaction.ts";
import { importArchives, type ImportOptions, type ImportResult } from "./import-archives.ts";
import { ledgerFile, writeLedger, type LedgerFile } from "./ledger/ledger.ts";
import type { ImportMemory } from "./import-memory.ts";
import { moveInto, newSiteDir, outputMatches, publishSite, recordOutput, removeFiles, removeOldSites } from "./output-update.ts";
import { reportImport, reportLedger, reportProgress } from "./report.ts";
import { runEleventy, startEleventy, type PendingRender } from "./run-eleventy.ts";
import { indexSite } from "./search/index-site.ts";
import { indexWhileRendering, type IndexWhileRendering } from "./search/index-while-rendering.ts";
import type { ShardEntry } from "./search/shard-manifest.ts";
import { changesFile, outputFile, readChanges } from "./site/render-plan.ts";
import { faultPoint } from "./fault-point.ts";

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

/** Indexes the whole site in `site` (keeping the shards in `prebuilt`) and switches dist/ to it. */
async function publishWhole(transaction: FileTransaction, site: string, prebuilt?: ShardEntry[]): Promise<void> {
  reportIndex(await timed(() => indexSite(site, prebuilt === undefined ? {} : { prebuilt })));
  faultPoint("index");
  publishSite(transaction, OUTPUT_DIR, site);
  faultPoint("swap");
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

function ledgerUpdate(transaction: FileTransaction, file: string, { entries, added }: ImportResult["ledger"], memory: ImportMemory | undefined): LedgerUpdate {
  let formatted: LedgerFile | undefined;
  return {
    prepare: () => void (formatted ??= ledgerFile(entries)),
    async publish() {
      formatted ??= ledgerFile(entries);
      transaction.protect([file]);
      const changed = await writeLedger(file, formatted.text);
      faultPoint("ledger");
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

/** Renders every page into a new site folder, indexes it, and switches dist/ to it; then publishes the ledger. */
async function buildWhole(transaction: FileTransaction, site: string, comments: number, search: IndexWhileRendering, ledger: LedgerUpdate): Promise<void> {
  const rendered = runEleventy(site, { comments, manifestOut: NEXT_MANIFEST }, (pending) => search.pagesWritten(pending));
  await Promise.all([rendered, prepareWhileRendering(ledger)]);
  faultPoint("render");
  await publishWhole(transaction, site, await search.finish());
  await ledger.publish();
}

/**
 * Renders the pages that changed since the manifest into `staging`, then moves them into dist/,
 * deletes the pages that left, and re-indexes the comments that changed, all through the
 * transaction.
 */
async function buildChanges(transaction: FileTransaction, staging: string, rendering: PendingRender, imported: ImportResult, search: IndexWhileRendering, ledger: LedgerUpdate): Promise<void> {
  await Promise.all([rendering.render(imported.archive.comments.length, imported.pages.changed), prepareWhileRendering(ledger)]);
  const changes = await readChanges(changesFile(NEXT_MANIFEST));
  // Eleventy rendered the whole site (the manifest could not be read, or the rendering code
  // changed): publish it whole, as a first build would.
  if (!changes.updated) {
    await rendering.finished();
    faultPoint("render");
    await publishWhole(transaction, staging, await search.finish());
    return ledger.publish();
  }
  faultPoint("render");
  await removeFiles(transaction, OUTPUT_DIR, changes.retired);
  const moved = await moveInto(transaction, staging, OUTPUT_DIR);
  await rm(staging, { recursive: true, force: true });
  console.log(`update: ${moved} files written to ${OUTPUT_DIR}/, ${changes.retired.length} removed`);
  faultPoint("swap");
  // The pages are in dist/ now; the search catches up in Pagefind's process meanwhile.
  const indexed = await timed(() => indexSite(OUTPUT_DIR, { changedPages: new Set(changes.indexed), changes: transaction }));
  reportIndex(indexed);
  faultPoint("index");
  // Eleventy's process writes the manifest of the new site meanwhile.
  await rendering.finished();
  await ledger.publish();
}

/**
 * Builds the site into `dist/`; throws on any failure, leaving content/, dist/, the ledger and
 * build state as they were. `memory`: a process that imports again later (the dev server) keeps
 * what this import read and wrote. The caller holds the project's lock (see project-lock.ts).
 */
export async function buildSite(options: CliOptions, { memory }: Pick<ImportOptions, "memory"> = {}): Promise<ImportResult> {
  const started = performance.now();
  const transaction = FileTransaction.begin(undefined, (undone) => console.log(`build: put back ${undone} changes of a build that was interrupted`));
  removeOldSites(OUTPUT_DIR);
  await rm(NEXT_MANIFEST, { force: true });
  await rm(changesFile(NEXT_MANIFEST), { force: true });
  const site = newSiteDir();
  // When Eleventy renders the whole site in several runs, it reports the months whose comment
  // pages are written, and their search shards are indexed on the other core meanwhile.
  let commentPages: string[] = [];
  const search = indexWhileRendering(site, () => commentPages);
  // An update's Eleventy process starts now and prepares while the import runs (see startEleventy).
  const update = (await updatableOutput(options))
    ? startEleventy(site, { since: MANIFEST, manifestOut: NEXT_MANIFEST }, manifestPageCount(CONTENT_DIR, "comments"), (pending) => search.pagesWritten(pending))
    : undefined;
  try {
    const imported = await timed(() => importArchives(options.archives, CONTENT_DIR, { ledgerFile: options.ledger, strict: options.strict, progress: reportProgress, memory, transaction }));
    faultPoint("import");
    reportImport(imported.value, options.archives);
    reportLedger(imported.value);

    const ledger = ledgerUpdate(transaction, options.ledger, imported.value.ledger, memory);
    // Every URL the ledger holds has a page: these are the comment pages the site will have.
    commentPages = imported.value.ledger.entries.filter((entry) => entry.kind === "comment").map((entry) => outputFile(entry.url));
    if (update !== undefined) await buildChanges(transaction, site, update, imported.value, search, ledger);
    else await buildWhole(transaction, site, imported.value.archive.comments.length, search, ledger);
    transaction.replace([[MANIFEST, NEXT_MANIFEST]]);
    await rm(changesFile(NEXT_MANIFEST), { force: true });
    await recordOutput(OUTPUT_DIR, OUTPUT_STAMP, transaction);
    faultPoint("commit");
    transaction.commit();
    removeOldSites(OUTPUT_DIR);
    console.log(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s, site in ${OUTPUT_DIR}/`);
    return imported.value;
  } catch (error) {
    update?.cancel();
    await search.abandon();
    try {
      transaction.rollback();
    } catch (undoError) {
      console.error(`warning: not every change could be put back yet (${undoError instanceof Error ? undoError.message : String(undoError)}); the next build puts back the rest`);
    }
    // The import's memory saw pages that are put back now: the next import reads them again.
    memory?.content.forget();
    await rm(site, { recursive: true, force: true });
    throw error;
  }
}
