// `npm run build`: import the exports, render the site with Eleventy, index it with Pagefind, into dist/.
import { rename, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { CONTENT_DIR, exitWithError, parseCliOptions } from "./lib/cli.ts";
import { importArchives } from "./lib/import-archives.ts";
import { writeLedger } from "./lib/ledger/ledger.ts";
import { reportImport, reportLedger } from "./lib/report.ts";
import { runEleventy } from "./lib/run-eleventy.ts";
import { indexSite } from "./lib/search/index-site.ts";

const OUTPUT_DIR = "dist";

async function timed<T>(label: string, step: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await step();
  const seconds = (performance.now() - start) / 1000;
  return { value, seconds };
}

try {
  const options = parseCliOptions(process.argv.slice(2));
  const started = performance.now();
  const imported = await timed("import", () => importArchives(options.archives, CONTENT_DIR, { ledgerFile: options.ledger, strict: options.strict }));
  reportImport(imported.value, options.archives);
  reportLedger(imported.value);

  // dist/ is replaced only once the new site is complete, so a failed build leaves the old one.
  const staging = `${OUTPUT_DIR}.new-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const rendered = await timed("eleventy", () => runEleventy(staging));
  console.log(`eleventy: ${rendered.value.written} files written in ${rendered.seconds.toFixed(1)} s`);
  const indexed = await timed("search", () => indexSite(staging));
  console.log(`search: ${indexed.value.pages} pages indexed in ${indexed.seconds.toFixed(1)} s (${indexed.value.files} files, ${(indexed.value.bytes / 1024).toFixed(0)} KiB)`);

  if (existsSync(OUTPUT_DIR)) await rename(OUTPUT_DIR, `${OUTPUT_DIR}.old-${process.pid}`);
  await rename(staging, OUTPUT_DIR);
  await rm(`${OUTPUT_DIR}.old-${process.pid}`, { recursive: true, force: true });

  // Only what is now really published enters the ledger.
  const { entries, added } = imported.value.ledger;
  const changed = await writeLedger(options.ledger, entries);
  console.log(`ledger: ${entries.length} URLs in ${options.ledger}${changed ? `, ${added.length} added` : ", unchanged"}`);
  console.log(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s, site in ${OUTPUT_DIR}/`);
} catch (error) {
  exitWithError(error);
}
