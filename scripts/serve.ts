// `npm start [-- --archive a.md ...] [--port 8080]`: imports, then serves dist/ with live reload; editing an export rebuilds.
import { watch } from "node:fs";
import { parseArgs } from "node:util";
import Eleventy from "@11ty/eleventy";
import type { UserConfig } from "@11ty/eleventy";
import { CONTENT_DIR, exitWithError, parseCliOptions } from "./lib/cli.ts";
import { importArchives } from "./lib/import-archives.ts";
import { reportImport } from "./lib/report.ts";
import { indexSite } from "./lib/search/index-site.ts";

const { values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: "string", default: "8080" } }, strict: false });
const port = Number(values.port);
const buildOptions = parseCliOptions(process.argv.slice(2).filter((arg, i, all) => arg !== "--port" && all[i - 1] !== "--port" && !arg.startsWith("--port=")));

async function runImport(): Promise<void> {
  reportImport(await importArchives(buildOptions.archives, CONTENT_DIR, { ledgerFile: buildOptions.ledger }), buildOptions.archives);
}

try {
  await runImport();
  const eleventy = new Eleventy("content", "dist", {
    configPath: ".eleventy.ts",
    runMode: "serve",
    quietMode: true,
    // Search is part of the served site: re-index after every (re)build.
    config: (config: UserConfig) => config.on("eleventy.after", async () => console.log(`search: ${(await indexSite("dist")).pages} pages indexed`)),
  });
  await eleventy.init();
  await eleventy.watch();
  await eleventy.serve(port);
  console.log(`Serving the site at http://localhost:${port}/ (edit an export or a template to rebuild; Ctrl+C stops)`);

  // A changed export is re-imported; Eleventy sees the changed pages under content/archive and rebuilds.
  for (const file of buildOptions.archives) {
    watch(file, () => {
      runImport().catch((error: unknown) => console.error(`import failed, still serving the previous site: ${error instanceof Error ? error.message : String(error)}`));
    });
  }
} catch (error) {
  exitWithError(error);
}
