// The Eleventy stage on its own: `tsx scripts/render-site.ts <output dir>`, run by the build in a child process.
import { exitWithError } from "./lib/cli.ts";
import { renderSite } from "./lib/run-eleventy.ts";

try {
  const outputDir = process.argv[2];
  if (outputDir === undefined) throw new Error("usage: tsx scripts/render-site.ts <output dir>");
  const started = performance.now();
  const { written } = await renderSite(outputDir);
  console.log(`eleventy: ${written} files written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  exitWithError(error);
}
