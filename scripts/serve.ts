// `npm start [-- --archive a.md ...] [--port 8080]`: builds, then serves dist/ with live reload; editing an export rebuilds the pages it changed.
import { watch } from "node:fs";
import { parseArgs } from "node:util";
import Eleventy from "@11ty/eleventy";
import { buildSite, MANIFEST, OUTPUT_DIR, OUTPUT_STAMP } from "./lib/build-site.ts";
import { CONTENT_DIR, exitWithError, parseCliOptions } from "./lib/cli.ts";
import { importArchives } from "./lib/import-archives.ts";
import { ImportMemory } from "./lib/import-memory.ts";
import { recordOutput } from "./lib/output-update.ts";
import { reportImport, reportProgress } from "./lib/report.ts";
import { indexSite } from "./lib/search/index-site.ts";
import { writeManifest } from "./lib/site/render-plan.ts";
import { importingInProcess, onSiteRendered } from "./lib/site/site-plugin.ts";

const { values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: "string", default: "8080" } }, strict: false });
const port = Number(values.port);
const buildOptions = parseCliOptions(process.argv.slice(2).filter((arg, i, all) => arg !== "--port" && all[i - 1] !== "--port" && !arg.startsWith("--port=")));

// What the last import read and wrote: an import after one export changed parses that one alone.
const memory = new ImportMemory();

async function runImport(): Promise<void> {
  let contentChanging = false;
  const imported = importArchives(buildOptions.archives, CONTENT_DIR, {
    ledgerFile: buildOptions.ledger,
    progress: reportProgress,
    memory,
    onContentChanging: () => (contentChanging = true),
  });
  // Eleventy's rebuild (set off by the import's manifest) waits for it, and reads only the pages it
  // changed. One that failed before changing any (an export caught half-written) changed none.
  importingInProcess(
    imported.then(
      (result) => result.pages.changed,
      (error: unknown) => {
        if (contentChanging) throw error;
        return [];
      },
    ),
  );
  reportImport(await imported, buildOptions.archives);
}

/**
 * One write of an export often fires several watch events, and a second import while one runs
 * would only compete with it (and with Eleventy's rebuild) for the CPU: events are gathered for
 * a moment, and those that come while an import runs lead to one more import after it.
 */
let importing: Promise<void> | undefined;
let importAgain = false;
let importTimer: NodeJS.Timeout | undefined;

function importSoon(): void {
  clearTimeout(importTimer);
  importTimer = setTimeout(() => {
    if (importing !== undefined) {
      importAgain = true;
      return;
    }
    importing = runImport()
      .catch((error: unknown) => console.error(`import failed, still serving the previous site: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        importing = undefined;
        if (importAgain) {
          importAgain = false;
          importSoon();
        }
      });
  }, 100);
}

try {
  // The same site `npm run build` makes (only what changed since the last build is rendered); from
  // then on Eleventy runs here, and each rebuild renders and re-indexes only what the change touched.
  await buildSite(buildOptions, { memory });
  process.env.COMMENTARIUM_RENDER_SINCE = MANIFEST;
  onSiteRendered(async ({ manifest, changedCommentPages }) => {
    // The manifest of what dist/ now holds; the build's own change list is for its child processes.
    await writeManifest(MANIFEST, manifest);
    const changedPages = new Set(changedCommentPages);
    const indexed = await indexSite(OUTPUT_DIR, { changedPages });
    // dist/ is again what the manifest describes, so the next `npm run build` updates it too.
    await recordOutput(OUTPUT_DIR, OUTPUT_STAMP);
    console.log(`search: ${indexed.pages} pages indexed`);
  });
  const eleventy = new Eleventy("content", OUTPUT_DIR, { configPath: ".eleventy.ts", runMode: "serve", quietMode: true });
  await eleventy.init();
  await eleventy.watch();
  await eleventy.serve(port);
  console.log(`Serving the site at http://localhost:${port}/ (edit an export or a template to rebuild; Ctrl+C stops)`);

  // A changed export is re-imported; Eleventy sees the import's manifest change and rebuilds.
  for (const file of buildOptions.archives) watch(file, importSoon);
} catch (error) {
  exitWithError(error);
}
