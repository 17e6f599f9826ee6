// What the import prints: counts, warnings and updates, so a user sees what happened to their input.
import type { ImportProgress, ImportResult } from "./import-archives.ts";

/** A large import's progress, one line at a time (see PROGRESS_STEP). */
export function reportProgress(progress: ImportProgress): void {
  if (progress.stage === "read") {
    console.log(`import: ${progress.total} comments read from ${progress.done} of ${progress.files} file(s) (${progress.file}: ${progress.comments})`);
  } else {
    console.log(`import: ${progress.rendered} pages rendered, ${progress.written} of them written (${progress.total} pages in all)`);
  }
}

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

/** Old URLs that no longer serve their page directly: redirected, or marked removed. */
export function reportLedger(result: ImportResult): void {
  const { redirects, removed } = result.ledger;
  for (const r of redirects) console.log(`moved: ${r.url} -> ${r.to}`);
  for (const e of removed) {
    const what = e.kind === "comment" ? `${e.authorName} on ${e.thread}, ${e.postedAt}` : e.kind === "thread" ? e.title : e.authorName;
    console.warn(`missing: ${e.kind} ${e.url} (${what}) is no longer in the input; its URL will say it was removed`);
  }
}
