// The whole build: import -> Eleventy -> Pagefind into a staging directory, swapped in for dist/ only when complete.
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { CliOptions } from "./cli.ts";
import { CONTENT_DIR } from "./cli.ts";
import { importArchives, type ImportResult } from "./import-archives.ts";
import { writeLedger } from "./ledger/ledger.ts";
import { reportImport, reportLedger } from "./report.ts";
import { runEleventy } from "./run-eleventy.ts";
import { indexSite } from "./search/index-site.ts";

export const OUTPUT_DIR = "dist";

async function timed<T>(step: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await step();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** Builds the site into `dist/`; throws (leaving the previous dist/ in place) on any failure. */
export async function buildSite(options: CliOptions): Promise<ImportResult> {
  const started = performance.now();
  const imported = await timed(() => importArchives(options.archives, CONTENT_DIR, { ledgerFile: options.ledger, strict: options.strict }));
  reportImport(imported.value, options.archives);
  reportLedger(imported.value);

  const staging = `${OUTPUT_DIR}.new-${process.pid}`;
  const retired = `${OUTPUT_DIR}.old-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await runEleventy(staging);
    const indexed = await timed(() => indexSite(staging));
    console.log(`search: ${indexed.value.pages} pages indexed in ${indexed.seconds.toFixed(1)} s (${indexed.value.files} files, ${(indexed.value.bytes / 1024).toFixed(0)} KiB)`);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  if (existsSync(OUTPUT_DIR)) await rename(OUTPUT_DIR, retired);
  await rename(staging, OUTPUT_DIR);
  await rm(retired, { recursive: true, force: true });

  // Only what is now really published enters the ledger.
  const { entries, added } = imported.value.ledger;
  const changed = await writeLedger(options.ledger, entries);
  console.log(`ledger: ${entries.length} URLs in ${options.ledger}${changed ? `, ${added.length} added` : ", unchanged"}`);
  console.log(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s, site in ${OUTPUT_DIR}/`);
  return imported.value;
}
