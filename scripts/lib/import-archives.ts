// The import stage: export files -> parsed records -> merged -> published pages under content/archive.
import { readArchive } from "./archive/read-archive.ts";
import { mergeArchives } from "./archive/merge.ts";
import type { ImportWarning } from "./archive/types.ts";
import { archivePages, writeContent, type WriteSummary } from "./content/write-content.ts";
import { publishArchive, type PublishedArchive } from "./published.ts";

export interface ImportResult {
  archive: PublishedArchive;
  warnings: ImportWarning[];
  /** Comments whose text a file named later replaced, as `file:line`. */
  updated: string[];
  pages: WriteSummary;
}

/**
 * Reads every export before writing anything, so bad input (reported as ArchiveError with file
 * and line) leaves the previous content untouched.
 */
export async function importArchives(files: string[], contentDir: string): Promise<ImportResult> {
  const parsed = [];
  for (const file of files) parsed.push(await readArchive(file));
  const merged = mergeArchives(parsed);
  const archive = publishArchive(merged);
  const pages = await writeContent(contentDir, archivePages(archive));
  return {
    archive,
    warnings: merged.warnings,
    updated: merged.updated.map((c) => `${c.source.file}:${c.source.line}`),
    pages,
  };
}
