// A digest of everything besides the archive that shapes the rendered site: templates, site code, configuration, dependencies.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { SiteConfig } from "./site-config.ts";

/**
 * Files and folders (relative to the project) whose every byte may change the HTML. Any change
 * to one of them makes the next build render every page again: a page's own digest covers only
 * the archive data it shows.
 */
export const RENDERING_SOURCES = [".eleventy.ts", "content", "_includes", "scripts/lib/site", "scripts/lib/permalinks.ts", "scripts/lib/content/pages.ts", "package-lock.json"];

function filesUnder(entry: string, root: string): string[] {
  const full = path.join(root, entry);
  let stats;
  try {
    stats = statSync(full);
  } catch {
    return [];
  }
  if (!stats.isDirectory()) return [entry];
  return readdirSync(full, { withFileTypes: true })
    // The import's pages are the archive, digested page by page, not code.
    .filter((e) => !(entry === "content" && e.name === "archive"))
    .flatMap((e) => filesUnder(path.join(entry, e.name), root));
}

/** Digest of the rendering sources under `root` and the site configuration in effect (env overrides included). */
export function renderingCodeDigest(site: SiteConfig, root = process.cwd()): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(site));
  for (const file of RENDERING_SOURCES.flatMap((entry) => filesUnder(entry, root)).sort()) {
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
  }
  return hash.digest("hex").slice(0, 32);
}
