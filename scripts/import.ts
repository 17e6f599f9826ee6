// `npm run import -- --archive a.md --archive b.md`: writes content/archive from the exports.
import { CONTENT_DIR, exitWithError, parseCliOptions } from "./lib/cli.ts";
import { importArchives } from "./lib/import-archives.ts";
import { reportImport, reportProgress } from "./lib/report.ts";

try {
  const options = parseCliOptions(process.argv.slice(2));
  reportImport(await importArchives(options.archives, CONTENT_DIR, { ledgerFile: options.ledger, strict: options.strict, progress: reportProgress }), options.archives);
} catch (error) {
  exitWithError(error);
}
