// The Eleventy stage on its own: `tsx scripts/render-site.ts <output dir> [--when-told]`, run by the build in a child process.
import { exitWithError } from "./lib/cli.ts";
import { renderSite, WHEN_TOLD } from "./lib/run-eleventy.ts";
import { prepareRender } from "./lib/site/site-plugin.ts";
import { loadSiteConfig } from "./lib/site/site-config.ts";

/** Whether stdin brings a line (go) before it ends (the build gave up: nothing to render). */
function toldToGo(): Promise<boolean> {
  return new Promise((resolve) => {
    process.stdin.on("data", () => resolve(true));
    process.stdin.on("end", () => resolve(false));
    process.stdin.on("error", () => resolve(false));
  });
}

try {
  const [outputDir, flag] = process.argv.slice(2);
  if (outputDir === undefined) throw new Error(`usage: tsx scripts/render-site.ts <output dir> [${WHEN_TOLD}]`);
  if (flag === WHEN_TOLD) {
    // The import is still writing the archive: read what does not depend on it meanwhile.
    prepareRender(loadSiteConfig());
    if (!(await toldToGo())) process.exit(0);
    process.stdin.destroy();
  }
  const started = performance.now();
  const { written } = await renderSite(outputDir);
  console.log(`eleventy: ${written} files written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  exitWithError(error);
}
