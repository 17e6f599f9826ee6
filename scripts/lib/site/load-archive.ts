// Reads the import's Markdown pages back and renders each comment's Markdown once for every page that shows it.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import type { CommentPage, MovedPage, RemovedPage, ThreadPage } from "../content/pages.ts";
import { renderComment } from "./markdown/index.ts";
import type { FileStamp, RenderCache } from "./render-cache.ts";
import { buildSiteArchive, commentAnchor, type LoadedComment, type SiteArchive, type SiteArchiveOptions } from "./site-archive.ts";

/** Splits a page into its front matter and body; the import writes them, so the shape is fixed. */
export function splitPage(text: string, file: string): { data: unknown; body: string } {
  const match = /^---\n([\s\S]*?\n)---\n(?:\n([\s\S]*)\n)?$/.exec(text);
  if (match === null) throw new Error(`${file}: not a page written by the import (front matter missing); run \`npm run import\``);
  return { data: load(match[1] ?? ""), body: match[2] ?? "" };
}

function markdownFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith(".md")).map((e) => path.join(e.parentPath, e.name)).sort();
}

/**
 * What a comment shows, as a digest: its facts and its Markdown. `source` (where it sits in an
 * export) is left out: a comment added above it moves it, and no page shows it.
 */
export function commentDigest(page: CommentPage, body: string): string {
  const shown = { ...page, source: undefined };
  return createHash("sha1").update(JSON.stringify(shown)).update("\0").update(body).digest("base64url");
}

/** A comment page's facts and digest, read from its text. */
function readComment(text: string, file: string): { page: CommentPage; body: string; digest: string } {
  const { data, body } = splitPage(text, file);
  const page = data as CommentPage;
  return { page, body, digest: commentDigest(page, body) };
}

/** A page whose file changed since it was cached: rendered again unless what it shows is the same. */
function reloadComment(file: string, stamp: FileStamp, cache: RenderCache | undefined): LoadedComment {
  const { page, body, digest } = readComment(readFileSync(file, "utf8"), file);
  const reused = cache?.reuse(file, stamp, page, digest);
  if (reused !== undefined) return reused;
  const rendered = renderComment(body, commentAnchor(page));
  return cache === undefined ? { page, file, digest, ...rendered } : cache.set(file, stamp, page, digest, rendered);
}

/**
 * Synchronous file calls on purpose: for 100,000 small files, promises cost four times as much
 * (stat: 1.4 s against 0.6 s; the thread pages: 1.6 s against 0.4 s).
 */
function loadComments(files: string[], cache: RenderCache | undefined): LoadedComment[] {
  return files.map((file) => {
    const { size, mtimeMs } = statSync(file);
    const stamp = { size, mtimeMs };
    return cache?.get(file, stamp) ?? reloadComment(file, stamp, cache);
  });
}

export interface LoadOptions extends SiteArchiveOptions {
  /** Rendered comments of the previous build (in this process or an earlier one), to reuse for pages unchanged since. */
  cache?: RenderCache;
  /** False: the caller saves the cache itself, once its build is done (default: saved once the comments are loaded). */
  saveCache?: boolean;
}

/**
 * Loads `contentDir` (default `content/archive`). With `cache`, a comment page is rendered again
 * only when what it shows changed since the cache's last build.
 */
export async function loadSiteArchive(contentDir = "content/archive", options: LoadOptions = {}): Promise<SiteArchive> {
  const { cache, saveCache = true, ...archiveOptions } = options;
  const comments = loadComments(markdownFiles(path.join(contentDir, "comments")), cache);
  if (saveCache) cache?.save();
  const frontMatter = <T>(dir: string): T[] => markdownFiles(path.join(contentDir, dir)).map((file) => splitPage(readFileSync(file, "utf8"), file).data as T);
  return buildSiteArchive(comments, frontMatter<ThreadPage>("threads"), { moved: frontMatter<MovedPage>("moved"), removed: frontMatter<RemovedPage>("removed") }, archiveOptions);
}
