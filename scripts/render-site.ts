// The Eleventy stage on its own: `tsx scripts/render-site.ts <output dir>`, started by the build, which talks to it through render-channel.ts.
import { exitWithError } from "./lib/cli.ts";
import { errorChain } from "./lib/process-error.ts";
import { isToRender, tellBuild, type ToRender } from "./lib/render-channel.ts";
import { renderSite } from "./lib/run-eleventy.ts";
import { RenderSession } from "./lib/site/render-session.ts";
import { loadSiteConfig } from "./lib/site/site-config.ts";

/** Reported to the build, once, with its causes; run by hand, here. */
function fail(error: unknown): void {
  if (process.send === undefined) exitWithError(error);
  tellBuild({ kind: "failed", chain: errorChain(error) }).finally(() => process.exit(1));
}

// Work that goes on after the pages are written (the manifest, the render cache) fails outside the try below.
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

/**
 * The build's messages in order. One listener from the start: messages that arrive together are
 * emitted in one go, and one emitted while no listener is attached would be lost.
 */
const inbox: ToRender[] = [];
let delivered: (() => void) | undefined;
let disconnected = false;
process.on("message", (message: unknown) => {
  if (isToRender(message)) inbox.push(message);
  delivered?.();
});
process.on("disconnect", () => {
  disconnected = true;
  delivered?.();
});

async function nextMessage(): Promise<ToRender> {
  for (;;) {
    const message = inbox.shift();
    if (message !== undefined) return message;
    if (disconnected) throw new Error("the build ended before it said what to render");
    await new Promise<void>((resolve) => (delivered = resolve));
  }
}

try {
  const [outputDir] = process.argv.slice(2);
  if (outputDir === undefined || process.send === undefined) throw new Error("usage: started by the build (scripts/build.ts), with the output directory as argument");
  const start = await nextMessage();
  if (start.kind !== "start") throw new Error(`render-site: expected "start" first, got "${start.kind}"`);
  const session = new RenderSession(start.request);
  if (start.waitForImport) {
    // The import is still running: read what does not depend on it, and the pages as they are, meanwhile.
    session.prepare(loadSiteConfig());
    const told = await nextMessage();
    if (told.kind !== "go") throw new Error(`render-site: expected "go", got "${told.kind}"`);
    session.contentImported(told.contentChanged);
  }
  const started = performance.now();
  const { written } = await renderSite(outputDir, session);
  console.log(`eleventy: ${written} files written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await tellBuild({ kind: "done", written });
  process.disconnect();
} catch (error) {
  fail(error);
}
