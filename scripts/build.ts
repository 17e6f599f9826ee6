// `npm run build [-- --archive a.md --archive b.md] [--ledger urls.json] [--strict] [--full]`: the whole site into dist/.
import { buildSite } from "./lib/build-site.ts";
import { exitWithError, parseCliOptions } from "./lib/cli.ts";
import { lockProject } from "./lib/project-lock.ts";

try {
  const options = parseCliOptions(process.argv.slice(2));
  const lock = await lockProject("build");
  await buildSite(options);
  lock.release();
} catch (error) {
  exitWithError(error);
}
