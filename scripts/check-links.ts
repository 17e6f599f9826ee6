// `npm run check-links [-- build options]`: builds, then fails if any URL in the ledger does not resolve to a page.
import { buildSite, OUTPUT_DIR } from "./lib/build-site.ts";
import { exitWithError, parseCliOptions } from "./lib/cli.ts";
import { unresolvedEntries } from "./lib/ledger/check-ledger.ts";
import { readLedger } from "./lib/ledger/ledger.ts";
import { lockProject } from "./lib/project-lock.ts";

try {
  const options = parseCliOptions(process.argv.slice(2));
  const lock = await lockProject("check-links");
  await buildSite(options);
  const entries = await readLedger(options.ledger);
  const broken = unresolvedEntries(entries, OUTPUT_DIR);
  for (const entry of broken) console.error(`broken: ${entry.url} (${entry.kind}) has no page in ${OUTPUT_DIR}/`);
  lock.release();
  console.log(`check-links: ${entries.length - broken.length} of ${entries.length} ledger URLs resolve`);
  if (broken.length > 0) process.exit(1);
} catch (error) {
  exitWithError(error);
}
