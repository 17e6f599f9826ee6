// `npm run build [-- --archive a.md --archive b.md] [--ledger urls.json] [--strict]`: the whole site into dist/.
import { buildSite } from "./lib/build-site.ts";
import { exitWithError, parseCliOptions } from "./lib/cli.ts";

try {
  await buildSite(parseCliOptions(process.argv.slice(2)));
} catch (error) {
  exitWithError(error);
}
