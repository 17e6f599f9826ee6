// Indexes a built site with Pagefind: one search result per comment page, written to <site>/pagefind/.
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import * as pagefind from "pagefind";
import { loadSiteConfig } from "../site/site-config.ts";

/** Only comment pages are results; their layout marks the indexed part with `data-pagefind-body`. */
export const COMMENT_PAGES_GLOB = "comments/**/*.html";
/** Where the bundle goes inside the site; the search page loads `<pathPrefix>pagefind/pagefind.js`. */
export const BUNDLE_DIR = "pagefind";

export interface SiteIndex {
  /** Pages in the index (one per comment). */
  pages: number;
  /** Files and bytes of the written bundle (JS, WebAssembly, index chunks, fragments). */
  files: number;
  bytes: number;
  seconds: number;
}

export interface IndexOptions {
  /**
   * Index everything as this language, so stemming does not depend on page markup; defaults to
   * the site's language (site.config.json).
   */
  language?: string;
}

async function sizeOf(dir: string): Promise<{ files: number; bytes: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let files = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

function check(step: string, errors: string[]): void {
  if (errors.length > 0) throw new Error(`pagefind ${step} failed: ${errors.join("; ")}`);
}

async function indexOnce(siteDir: string, options: IndexOptions): Promise<SiteIndex> {
  const started = performance.now();
  const bundle = path.join(siteDir, BUNDLE_DIR);
  // A dev server rebuilds into the same directory: stale chunks from a previous index must go.
  await rm(bundle, { recursive: true, force: true });
  try {
    const config: pagefind.PagefindServiceConfig = {};
    if (options.language !== undefined) config.forceLanguage = options.language;
    const created = await pagefind.createIndex(config);
    check("createIndex", created.errors);
    const index = created.index;
    if (index === undefined) throw new Error("pagefind createIndex returned no index");
    const added = await index.addDirectory({ path: siteDir, glob: COMMENT_PAGES_GLOB });
    check("addDirectory", added.errors);
    if (added.page_count === 0) throw new Error(`pagefind found no comment pages in ${siteDir}/${COMMENT_PAGES_GLOB}`);
    const written = await index.writeFiles({ outputPath: bundle });
    check("writeFiles", written.errors);
    await index.deleteIndex();
    return { pages: added.page_count, ...(await sizeOf(bundle)), seconds: (performance.now() - started) / 1000 };
  } finally {
    // The Node API talks to a pagefind binary in a child process; left running, it keeps Node alive.
    await pagefind.close();
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Indexes the comment pages of the built site in `siteDir` and writes the search bundle to
 * `siteDir/pagefind/`. Calls are serialised, so a dev server may call it after every Eleventy
 * build without two runs sharing the Pagefind service.
 */
export function indexSite(siteDir: string, options: IndexOptions = { language: loadSiteConfig().language }): Promise<SiteIndex> {
  const run = queue.then(() => indexOnce(siteDir, options));
  queue = run.catch(() => undefined);
  return run;
}
