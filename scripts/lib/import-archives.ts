// The import stage: export files -> parsed records -> merged -> published pages under content/archive.
import { readArchive } from "./archive/read-archive.ts";
import { mergeArchives } from "./archive/merge.ts";
import type { ImportWarning } from "./archive/types.ts";
import { archivePages, writeContent, type WriteSummary } from "./content/write-content.ts";
import { defaultLedgerFile, readLedger } from "./ledger/ledger.ts";
import { publishedThreadSlugs, reconcileLedger, type Reconciled } from "./ledger/reconcile.ts";
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

/**
 * Reads every export before writing anything, so bad input (reported as ArchiveError with file
 * and line) leaves the previous content untouched.
 */
export interface ImportOptions {
  /** The URL ledger to read (default: urls.json beside the first archive). */
  ledgerFile?: string;
  /** Refuse to import when a comment the ledger says was published is missing from the input. */
  strict?: boolean;
}

export async function importArchives(files: string[], contentDir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const parsed = [];
  for (const file of files) parsed.push(await readArchive(file));
  const ledgerFile = options.ledgerFile ?? defaultLedgerFile(files);
  const published = await readLedger(ledgerFile);
  const merged = mergeArchives(parsed);
  const archive = publishArchive(merged, publishedThreadSlugs(published));
  const ledger = reconcileLedger(published, archive);
  const missing = ledger.removed.filter((e) => e.kind === "comment");
  if (options.strict && missing.length > 0) {
    throw new Error(`--strict: ${missing.length} published comment(s) missing from the input (see ${ledgerFile}): ${missing.map((e) => e.url).join(", ")}`);
  }
  const pages = writeContent(contentDir, archivePages(archive, ledger));
  return {
    archive,
    warnings: merged.warnings,
    updated: merged.updated.map((c) => `${c.source.file}:${c.source.line}`),
    pages,
    ledger,
  };
}
