// `npm start [-- --archive a.md ...] [--port 8080]`: builds, then serves dist/ with live reload; editing an export rebuilds the pages it changed.
import { watch } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Eleventy, { type UserConfig } from "@11ty/eleventy";
import { buildSite, MANIFEST, OUTPUT_DIR, OUTPUT_STAMP } from "./lib/build-site.ts";
import { CONTENT_DIR, exitWithError, parseCliOptions } from "./lib/cli.ts";
import { MANIFEST_FILE } from "./lib/content/manifest.ts";
import { importArchives } from "./lib/import-archives.ts";
import { ImportMemory } from "./lib/import-memory.ts";
import { recordOutput } from "./lib/output-update.ts";
import { reportImport, reportProgress } from "./lib/report.ts";
import { indexSite } from "./lib/search/index-site.ts";
import { writeManifest } from "./lib/site/render-plan.ts";
import { lockProject } from "./lib/project-lock.ts";
import { RenderSession } from "./lib/site/render-session.ts";

const { values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: "string", default: "8080" } }, strict: false });
const port = Number(values.port);
const buildOptions = parseCliOptions(process.argv.slice(2).filter((arg, i, all) => arg !== "--port" && all[i - 1] !== "--port" && !arg.startsWith("--port=")));

// What the last import read and wrote: an import after one export changed parses that one alone.
const memory = new ImportMemory();
// Eleventy's rebuilds here: each renders what changed since the one before, starting from the build's site.
const session = new RenderSession({ since: MANIFEST });

/** Has Eleventy rebuild the site as if `changedFile` had been saved; set once Eleventy watches. */
let rebuild: ((changedFile: string) => Promise<void>) | undefined;

async function runImport(): Promise<void> {
  let contentChanging = false;
  const imported = importArchives(buildOptions.archives, CONTENT_DIR, {
    ledgerFile: buildOptions.ledger,
    progress: reportProgress,
    memory,
    onContentChanging: () => (contentChanging = true),
  });
  // Eleventy's rebuild (set off below) waits for it, and reads only the pages it changed. One that
  // failed before changing any (an export caught half-written) changed none.
  session.importing(
    imported.then(
      (result) => result.pages.changed,
      (error: unknown) => {
        if (contentChanging) throw error;
        return [];
      },
    ),
  );
  const result = await imported;
  reportImport(result, buildOptions.archives);
  // Eleventy's watcher sees neither the import's pages nor its manifest (.gitignore hides
  // content/archive/ from it): it is told of the manifest, which stands for the pages.
  if (result.pages.changed.length === 0) return;
  rebuild?.(path.join(CONTENT_DIR, MANIFEST_FILE)).catch((error: unknown) => console.error(`rebuild failed, still serving the previous site: ${error instanceof Error ? error.message : String(error)}`));
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

/**
 * Eleventy 3 has no public call to rebuild; its `watch()` resolves to the function its watcher
 * calls with each changed file, which queues a rebuild (one more if one is running) and reloads browsers.
 */
function eleventyRebuild(watching: unknown): (changedFile: string) => Promise<void> {
  if (typeof watching !== "function") {
    throw new Error("Eleventy's watch() no longer resolves to its rebuild function: the dev server cannot rebuild after an import (check the installed @11ty/eleventy against package.json)");
  }
  return watching as (changedFile: string) => Promise<void>;
}

/**
 * Calls `onSave` when one of `exports` is saved. Their directories are watched, not the files: a
 * save that renames a new file over an export (sed -i, many editors) leaves a watch on the file deaf.
 */
function watchExports(exports: string[], onSave: () => void): void {
  const namesByDirectory = new Map<string, Set<string>>();
  for (const file of exports) {
    const directory = path.dirname(path.resolve(file));
    const names = namesByDirectory.get(directory) ?? new Set<string>();
    names.add(path.basename(file));
    namesByDirectory.set(directory, names);
  }
  for (const [directory, names] of namesByDirectory) {
    watch(directory, (_event, name) => {
      // Without a name (not on Linux) any change may be an export's; an import of unchanged exports writes nothing.
      if (name === null || names.has(name)) onSave();
    }).on("error", (error) => console.error(`exports in ${directory} are no longer watched (restart to see their changes): ${error.message}`));
  }
}

try {
  // The same site `npm run build` makes (only what changed since the last build is rendered); from
  // then on Eleventy runs here, and each rebuild renders and re-indexes only what the change touched.
  // Held while the server runs: a build beside it would change the site under its feet.
  await lockProject("start");
  await buildSite(buildOptions, { memory });
  session.onRendered(async ({ manifest, changedCommentPages }) => {
    // The manifest of what dist/ now holds; the build's own change list is for its child processes.
    await writeManifest(MANIFEST, manifest);
    const changedPages = new Set(changedCommentPages);
    const indexed = await indexSite(OUTPUT_DIR, { changedPages });
    // dist/ is again what the manifest describes, so the next `npm run build` updates it too.
    await recordOutput(OUTPUT_DIR, OUTPUT_STAMP);
    console.log(`search: ${indexed.pages} pages indexed`);
  });
  const eleventy = new Eleventy("content", OUTPUT_DIR, { configPath: ".eleventy.ts", runMode: "serve", quietMode: true, config: (config: UserConfig) => session.attach(config) });
  await eleventy.init();
  rebuild = eleventyRebuild(await eleventy.watch());
  await eleventy.serve(port);
  console.log(`Serving the site at http://localhost:${port}/ (edit an export or a template to rebuild; Ctrl+C stops)`);
  watchExports(buildOptions.archives, importSoon);
} catch (error) {
  exitWithError(error);
}
