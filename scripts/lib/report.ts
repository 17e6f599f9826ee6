// What the import prints: counts, warnings and updates, so a user sees what happened to their input.
import type { ImportResult } from "./import-archives.ts";

export function reportImport(result: ImportResult, files: string[]): void {
  for (const w of result.warnings) console.warn(`warning: ${w.source.file}:${w.source.line}: ${w.message}`);
  for (const u of result.updated) console.log(`updated: comment at ${u} replaces an earlier export's text`);
  const { comments, threads, authors } = result.archive;
  const { written, unchanged, removed } = result.pages;
  console.log(
    `import: ${comments.length} comments, ${threads.length} threads, ${authors.length} authors from ${files.length} file(s); ` +
      `pages ${written} written, ${unchanged} unchanged, ${removed} removed`,
  );
}
