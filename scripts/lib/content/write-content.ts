// Writes the published archive as Markdown pages, swapping the new tree in only when all of it is written.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import type { FileTransaction } from "../file-transaction.ts";
import type { Reconciled } from "../ledger/reconcile.ts";
import { shortHash } from "../permalinks.ts";
import type { PublishedArchive } from "../published.ts";
import type { ContentMemory } from "./content-memory.ts";
import { scanContent, type FileStamp } from "./content-scan.ts";
import { entryHolds, manifestLines, manifestText, patchManifestLines, writeManifest, type Manifest, type ManifestEntry, type ManifestLines, type StoredManifest } from "./manifest.ts";
import type { CommentPage, MovedPage, RemovedPage } from "./pages.ts";
import { pageDigest, pageRenderer, renderInput, type PageInput, type PageSource } from "./render-page.ts";

/** The part of a page path a slug or id may contribute: never `..`, never an absolute path. */
const SAFE_SEGMENT = /^[a-z0-9_][a-z0-9_-]*$/;

function safeRelativePath(...segments: string[]): string {
  for (const segment of segments) {
    if (!SAFE_SEGMENT.test(segment)) throw new Error(`refusing unsafe path segment ${JSON.stringify(segment)}`);
  }
  // Safe segments need none of path.join's normalising, which costs more than the rest of the page's bookkeeping.
  return segments.join(path.sep);
}

function removedPage(entry: Reconciled["removed"][number]): RemovedPage {
  switch (entry.kind) {
    case "comment":
      return {
        url: entry.url,
        kind: entry.kind,
        title: `${entry.authorName} on ${entry.thread}`,
        author: { name: entry.authorName, url: entry.authorUrl },
        thread: { title: entry.thread, url: entry.threadUrl },
        date: entry.postedAt,
      };
    case "thread":
      return { url: entry.url, kind: entry.kind, title: entry.title };
    case "author":
      return { url: entry.url, kind: entry.kind, title: entry.authorName };
  }
}

/** Comment page paths by comment id, which names one path for good: checking 100,000 paths costs a fifth of a second. */
const commentPaths = new Map<string, string>();

function commentPath(page: CommentPage): string {
  let file = commentPaths.get(page.id);
  if (file === undefined) commentPaths.set(page.id, (file = safeRelativePath("comments", ...page.id.split("/")) + ".md"));
  return file;
}

/** Every page of the archive, keyed by its path relative to the content directory. */
export function archivePages(archive: PublishedArchive, ledger?: Pick<Reconciled, "redirects" | "removed">): Map<string, PageSource> {
  const pages = new Map<string, PageSource>();
  for (const { page, body, pageDigest: digest } of archive.comments) pages.set(commentPath(page), { frontMatter: page, body, digest });
  for (const thread of archive.threads) {
    pages.set(safeRelativePath("threads", thread.slug) + ".md", { frontMatter: thread });
  }
  // Old URLs are named by a digest: they come from the ledger, a file people edit.
  for (const redirect of ledger?.redirects ?? []) {
    const page: MovedPage = { url: redirect.url, to: redirect.to, kind: redirect.kind, title: redirect.title };
    pages.set(safeRelativePath("moved", shortHash(redirect.url, 16)) + ".md", { frontMatter: page });
  }
  for (const entry of ledger?.removed ?? []) {
    pages.set(safeRelativePath("removed", shortHash(entry.url, 16)) + ".md", { frontMatter: removedPage(entry) });
  }
  return pages;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Replaces the bytes of `file` with `text`, which is exactly as long: no new file, no rename, no
 * truncation, so the file keeps its inode and directory entry. Interrupted half-way, the page is
 * torn, but the manifest still holds its old digest, so the next import renders and rewrites it.
 */
function overwriteInPlace(file: string, text: string): void {
  const bytes = Buffer.from(text);
  const fd = openSync(file, "r+");
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, done);
  } finally {
    closeSync(fd);
  }
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
  /** The pages written or removed, relative to the content directory: what a reader of the directory must read again. */
  changed: string[];
}

export interface WriteProgress {
  /** Pages rendered so far: written, or checked against the file on disk. */
  rendered: number;
  written: number;
  total: number;
}

export interface WriteOptions {
  /** Called after every `progressEvery` rendered pages. */
  onProgress?: (progress: WriteProgress) => void;
  progressEvery?: number;
  /** What an earlier write in this process left in `dir`: trusted instead of a scan while its manifest is unchanged. */
  memory?: ContentMemory;
  /** Called when the changed pages are written beside their targets, before the first is moved into place: a failure before then leaves `dir` as it was. */
  onChanging?: () => void;
  /** Makes every change through this transaction, so that a later failure of the build puts the pages back. */
  transaction?: FileTransaction;
}

/** Whether the page on disk is known, without reading it, to be the one `digest` renders. */
function unchangedOnDisk(file: FileStamp | undefined, entry: ManifestEntry | undefined, digest: string, manifest: StoredManifest | undefined): boolean {
  return file !== undefined && entry !== undefined && manifest !== undefined && entry.digest === digest && entryHolds(entry, file, manifest);
}

/** The manifest's entries after a run: a rendered page's new one, any other page's previous one (which vouched for it). */
function* nextEntries(files: Iterable<string>, rendered: Map<string, ManifestEntry>, previous: Manifest | undefined): Generator<[string, ManifestEntry]> {
  for (const file of files) {
    const entry = rendered.get(file) ?? previous?.pages.get(file);
    if (entry !== undefined) yield [file, entry];
  }
}

/**
 * nextEntries as a map: the previous manifest's, brought up to date in place (no longer needed as it
 * was), when that leaves exactly the pages written; else a new one. Every page has an entry after
 * the run (it was rendered, or its entry vouched for it), so the right number of entries is the
 * right set. At 100,000 pages, filling a new map costs a tenth of a second.
 */
function nextManifestPages(pages: Map<string, PageInput>, rendered: Map<string, ManifestEntry>, removed: string[], previous: Manifest | undefined): Map<string, ManifestEntry> {
  if (previous !== undefined) {
    for (const file of removed) previous.pages.delete(file);
    for (const [file, entry] of rendered) previous.pages.set(file, entry);
    if (previous.pages.size === pages.size) return previous.pages;
  }
  return new Map(nextEntries(pages.keys(), rendered, previous));
}

/**
 * Makes `dir` hold exactly `pages` (keyed by normalised paths relative to `dir`), touching only
 * pages whose text changed (so unchanged pages keep their modification time and later stages can
 * skip them). A manifest in `dir` records a digest of each page's inputs: a page whose inputs and
 * file are as recorded is neither rendered nor read; any other page is rendered and compared with
 * its file. Two phases: every changed page is first written beside its target; only when all are
 * written are they renamed into place, the pages no longer wanted deleted and the manifest replaced. A failure in the first
 * phase (disk full, no permission) removes what it wrote and leaves `dir` exactly as it was.
 *
 * A changed page whose new text is exactly as long as its file is overwritten in place in the
 * second phase instead (see `overwriteInPlace`): creating, renaming and truncating thousands of
 * files costs sixty times as much as rewriting their bytes.
 * Synchronous file calls on purpose: for 100,000 small files they are about twice as fast as
 * the thread-pool versions, and nothing else runs meanwhile.
 */
export function writeContent(dir: string, pages: Map<string, PageInput>, options: WriteOptions = {}): WriteSummary {
  const recalled = options.memory?.recall(dir);
  const { files: existing, manifest: stored } = recalled ?? scanContent(dir);
  const storedLines = recalled === undefined ? undefined : options.memory?.manifestLines();
  const renderer = pageRenderer();
  const previous = stored?.renderer === renderer ? stored : undefined;
  // Entries of rendered pages only: the others keep theirs, and most runs change none.
  const renderedEntries = new Map<string, ManifestEntry>();
  let entriesChanged = previous === undefined || previous.pages.size !== pages.size;
  const every = options.progressEvery ?? 10_000;

  const transaction = options.transaction;
  const suffix = `.new-${process.pid}`;
  // A transaction's new pages wait in its staging folder, which a killed build's successor clears.
  const staged = new Map<string, string>();
  const stagedPath = (target: string): string => (transaction === undefined ? target + suffix : (staged.get(target) ?? ""));
  // Page paths are relative and normalised already (see archivePages): a prefix is all they need.
  const root = path.join(dir, path.sep);
  const written: string[] = [];
  const sameLength: [target: string, text: string][] = [];
  const changedFiles: string[] = [];
  const madeDirs = new Set<string>();
  let rendered = 0;
  // Pages found in the directory: when they are all the files there, none is to be removed.
  let present = 0;
  try {
    for (const [file, page] of pages) {
      const target = root + file;
      const digest = (typeof page === "string" ? undefined : page.digest) ?? pageDigest(page);
      const known = previous?.pages.get(file);
      const stamp = existing.get(file);
      if (stamp !== undefined) present++;
      if (unchangedOnDisk(stamp, known, digest, previous)) continue;
      const text = renderInput(page);
      const entry = { digest, size: Buffer.byteLength(text) };
      renderedEntries.set(file, entry);
      if (known?.digest !== entry.digest || known.size !== entry.size) entriesChanged = true;
      rendered++;
      const onDisk = existing.get(file);
      if (onDisk === undefined || readIfExists(target) !== text) {
        changedFiles.push(file);
        if (onDisk?.size === entry.size) {
          sameLength.push([target, text]);
          if (rendered % every === 0) options.onProgress?.({ rendered, written: written.length + sameLength.length, total: pages.size });
          continue;
        }
        const parent = path.dirname(target);
        if (!madeDirs.has(parent)) mkdirSync(parent, { recursive: true });
        madeDirs.add(parent);
        if (transaction !== undefined) staged.set(target, transaction.stagingPath(path.basename(target)));
        writeFileSync(stagedPath(target), text);
        written.push(target);
      }
      if (rendered % every === 0) options.onProgress?.({ rendered, written: written.length + sameLength.length, total: pages.size });
    }
  } catch (error) {
    for (const target of written) rmSync(stagedPath(target), { force: true });
    throw new Error(`could not write the pages under ${dir}; nothing was changed there`, { cause: error });
  }
  // Forgotten until this write is done: if it fails half-way, the next one scans.
  options.memory?.forget();
  options.onChanging?.();
  transaction?.protect(sameLength.map(([target]) => target));
  for (const [target, text] of sameLength) overwriteInPlace(target, text);
  if (transaction !== undefined) transaction.replace(written.map((target) => [target, stagedPath(target)]));
  else for (const target of written) renameSync(stagedPath(target), target);
  const removed = present === existing.size ? [] : [...existing.keys()].filter((file) => !pages.has(file));
  if (transaction !== undefined) transaction.remove(removed.map((file) => path.join(dir, file)));
  else for (const file of removed) rmSync(path.join(dir, file));

  // Rewritten after any page is, so that its time stays later than that of every page it vouches for.
  const entries = nextManifestPages(pages, renderedEntries, removed, previous);
  // The lines of the manifest the memory recalled, brought up to date; else made from every entry.
  const lines = (): ManifestLines => (storedLines !== undefined && previous !== undefined ? patchManifestLines(storedLines, renderedEntries, removed) : manifestLines(entries));
  let manifestWritten: ManifestLines | undefined;
  if (entriesChanged || written.length > 0 || sameLength.length > 0) writeManifest(dir, manifestText(renderer, (manifestWritten = lines())), transaction);
  options.memory?.remember(dir, { renderer, pages: entries }, manifestWritten ?? lines());
  const changed = written.length + sameLength.length;
  return { written: changed, unchanged: pages.size - changed, removed: removed.length, changed: [...changedFiles, ...removed] };
}
