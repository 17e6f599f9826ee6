// The import stage: export files -> parsed records -> merged -> published pages under content/archive.
import { readArchive } from "./archive/read-archive.ts";
import { mergeArchives } from "./archive/merge.ts";
import type { ImportWarning, ParsedArchive } from "./archive/types.ts";
import { archivePages, writeContent, type WriteSummary } from "./content/write-content.ts";
import { defaultLedgerFile, readLedger } from "./ledger/ledger.ts";
import { publishedCommentDigests, publishedThreadSlugs, reconcileLedger, type Reconciled } from "./ledger/reconcile.ts";
import type { FileTransaction } from "./file-transaction.ts";
import type { ImportMemory } from "./import-memory.ts";
import { publishArchive, type PublishedArchive } from "./published.ts";

export interface ImportResult {
  archive: PublishedArchive;
  warnings: ImportWarning[];
  /** Comments whose text a file named later replaced, as `file:line`. */
  updated: string[];
  pages: WriteSummary;
  /** This build against the URL ledger: moved and removed URLs, and the ledger to write once the site is built. */
  ledger: Reconciled;
}

/** How far a large import has got; small imports (under PROGRESS_STEP comments and pages) report none. */
export type ImportProgress =
  | { stage: "read"; file: string; comments: number; total: number; done: number; files: number }
  | { stage: "pages"; rendered: number; written: number; total: number };

/** Progress is reported each time this many more comments have been read, or pages rendered. */
export const PROGRESS_STEP = 10_000;

export interface ImportOptions {
  /** The URL ledger to read (default: urls.json beside the first archive). */
  ledgerFile?: string;
  /** Refuse to import when a comment the ledger says was published is missing from the input. */
  strict?: boolean;
  /** Told how far a large import has got, so that a long run is not silent. */
  progress?: (progress: ImportProgress) => void;
  /** What earlier imports in this process read and wrote: what is unchanged since is not read again. */
  memory?: ImportMemory;
  /** Called when the import starts changing the content directory (see writeContent's `onChanging`): an import that fails before then changed nothing there. */
  onContentChanging?: () => void;
  /** The build's transaction: the pages it writes are put back if the build fails later. */
  transaction?: FileTransaction;
}

/** Reads every export before anything is written, reporting a file each time another PROGRESS_STEP comments are in. */
async function readArchives(files: string[], { progress, memory }: ImportOptions): Promise<ParsedArchive[]> {
  const parsed: ParsedArchive[] = [];
  let total = 0;
  for (const [index, file] of files.entries()) {
    const archive = await (memory?.exports.read(file) ?? readArchive(file));
    parsed.push(archive);
    const before = total;
    total += archive.comments.length;
    if (Math.floor(total / PROGRESS_STEP) > Math.floor(before / PROGRESS_STEP)) {
      progress?.({ stage: "read", file, comments: archive.comments.length, total, done: index + 1, files: files.length });
    }
  }
  return parsed;
}

/**
 * Reads every export before writing anything, so bad input (reported as ArchiveError with file
 * and line) leaves the previous content untouched.
 */
export async function importArchives(files: string[], contentDir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const parsed = await readArchives(files, options);
  const ledgerFile = options.ledgerFile ?? defaultLedgerFile(files);
  const published = await (options.memory?.readLedger(ledgerFile) ?? readLedger(ledgerFile));
  const merged = mergeArchives(parsed);
  const archive = publishArchive(merged, publishedThreadSlugs(published), options.memory?.published, publishedCommentDigests(published));
  const ledger = reconcileLedger(published, archive);
  const missing = ledger.removed.filter((e) => e.kind === "comment");
  if (options.strict && missing.length > 0) {
    throw new Error(`--strict: ${missing.length} published comment(s) missing from the input (see ${ledgerFile}): ${missing.map((e) => e.url).join(", ")}`);
  }
  const pages = writeContent(contentDir, archivePages(archive, ledger), {
    progressEvery: PROGRESS_STEP,
    onProgress: (p) => options.progress?.({ stage: "pages", ...p }),
    ...(options.memory === undefined ? {} : { memory: options.memory.content }),
    ...(options.onContentChanging === undefined ? {} : { onChanging: options.onContentChanging }),
    ...(options.transaction === undefined ? {} : { transaction: options.transaction }),
  });
  return {
    archive,
    warnings: merged.warnings,
    updated: merged.updated.map((c) => `${c.source.file}:${c.source.line}`),
    pages,
    ledger,
  };
}
