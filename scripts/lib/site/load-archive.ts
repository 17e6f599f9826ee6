// Reads the import's Markdown pages back and renders each comment's Markdown once for every page that shows it.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { load } from "js-yaml";
import type { CommentPage, MovedPage, RemovedPage, ThreadPage } from "../content/pages.ts";
import { renderComment } from "./markdown/index.ts";
import { buildSiteArchive, type LoadedComment, type SiteArchive, type SiteArchiveOptions } from "./site-archive.ts";

/** Splits a page into its front matter and body; the import writes them, so the shape is fixed. */
export function splitPage(text: string, file: string): { data: unknown; body: string } {
  const match = /^---\n([\s\S]*?\n)---\n(?:\n([\s\S]*)\n)?$/.exec(text);
  if (match === null) throw new Error(`${file}: not a page written by the import (front matter missing); run \`npm run import\``);
  return { data: load(match[1] ?? ""), body: match[2] ?? "" };
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".md")).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** Renders a comment page; the HTML depends only on the page's text, so callers may cache by text. */
export function loadComment(text: string, file: string): LoadedComment {
  const { data, body } = splitPage(text, file);
  const page = data as CommentPage;
  return { page, file, markdown: body, ...renderComment(body, `c-${page.id.replace("/", "-")}`) };
}

const cache = new Map<string, { text: string; loaded: LoadedComment }>();

/**
 * Loads `contentDir` (default `content/archive`). Rendered comments are kept in memory between
 * calls keyed by the page's text, so a rebuild in the dev server re-renders only changed pages.
 */
export async function loadSiteArchive(contentDir = "content/archive", options: SiteArchiveOptions = {}): Promise<SiteArchive> {
  const commentFiles = await markdownFiles(path.join(contentDir, "comments"));
  const comments: LoadedComment[] = [];
  for (let i = 0; i < commentFiles.length; i += 512) {
    const batch = commentFiles.slice(i, i + 512);
    const texts = await Promise.all(batch.map((file) => readFile(file, "utf8")));
    batch.forEach((file, j) => {
      const text = texts[j] ?? "";
      const hit = cache.get(file);
      const loaded = hit !== undefined && hit.text === text ? hit.loaded : loadComment(text, file);
      cache.set(file, { text, loaded });
      comments.push(loaded);
    });
  }
  const frontMatter = async <T>(dir: string): Promise<T[]> =>
    Promise.all((await markdownFiles(path.join(contentDir, dir))).map(async (file) => splitPage(await readFile(file, "utf8"), file).data as T));
  return buildSiteArchive(comments, await frontMatter<ThreadPage>("threads"), {
    moved: await frontMatter<MovedPage>("moved"),
    removed: await frontMatter<RemovedPage>("removed"),
  }, options);
}
