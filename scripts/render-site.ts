// The Eleventy stage on its own: `tsx scripts/render-site.ts <output dir> [--when-told]`, run by the build in a child process.
import { exitWithError } from "./lib/cli.ts";
import { errorChain, type RenderFailure } from "./lib/process-error.ts";
import { renderSite, WHEN_TOLD } from "./lib/run-eleventy.ts";
import { contentImported, prepareRender } from "./lib/site/site-plugin.ts";
import { loadSiteConfig } from "./lib/site/site-config.ts";

/**
 * What the build says on stdin once the import is done: the content files it wrote or deleted.
 * Undefined when stdin ends with nothing said (the build gave up: nothing to render).
 */
async function toldToGo(): Promise<string[] | undefined> {
  let said = "";
  process.stdin.setEncoding("utf8");
  try {
    for await (const chunk of process.stdin) said += chunk as string;
  } catch {
    return undefined;
  }
  if (said.trim() === "") return undefined;
  const { contentChanged } = JSON.parse(said) as { contentChanged?: unknown };
  if (!Array.isArray(contentChanged) || !contentChanged.every((file) => typeof file === "string")) throw new Error(`render-site: expected the content files changed on stdin, got ${said.slice(0, 80)}`);
  return contentChanged as string[];
}

/** Run by the build: the build reports the failure, once, with its causes. Run by hand: reported here. */
function fail(error: unknown): void {
  if (process.send === undefined) exitWithError(error);
  const failure: RenderFailure = { kind: "failed", chain: errorChain(error) };
  process.send(failure, () => process.exit(1));
}

// Work that goes on after the pages are written (the manifest, the render cache) fails outside the try below.
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

try {
  const [outputDir, flag] = process.argv.slice(2);
  if (outputDir === undefined) throw new Error(`usage: tsx scripts/render-site.ts <output dir> [${WHEN_TOLD}]`);
  if (flag === WHEN_TOLD) {
    // The import is still running: read what does not depend on it, and the pages as they are, meanwhile.
    prepareRender(loadSiteConfig());
    const contentChanged = await toldToGo();
    if (contentChanged === undefined) process.exit(0);
    contentImported(contentChanged);
  }
  const started = performance.now();
  const { written } = await renderSite(outputDir);
  console.log(`eleventy: ${written} files written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  fail(error);
}
