// `npm run import -- --archive a.md --archive b.md`: writes content/archive from the exports.
import { CONTENT_DIR, exitWithError, parseCliOptions } from "./lib/cli.ts";
import { FileTransaction } from "./lib/file-transaction.ts";
import { importArchives } from "./lib/import-archives.ts";
import { lockProject } from "./lib/project-lock.ts";
import { reportImport, reportProgress } from "./lib/report.ts";

try {
  const options = parseCliOptions(process.argv.slice(2));
  const lock = await lockProject("import");
  // Also puts back what an interrupted build changed, before this import reads the content.
  const transaction = FileTransaction.begin(undefined, (undone) => console.log(`import: put back ${undone} changes of a build that was interrupted`));
  try {
    reportImport(await importArchives(options.archives, CONTENT_DIR, { ledgerFile: options.ledger, strict: options.strict, progress: reportProgress, transaction }), options.archives);
    transaction.commit();
  } catch (error) {
    transaction.rollback();
    throw error;
  }
  lock.release();
} catch (error) {
  exitWithError(error);
}
