// The archive for programs: the sitemaps' URLs and each comment's Markdown page next to its HTML (dist/comments.json: see comment-index.ts).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dateToRfc3339 } from "@11ty/eleventy-plugin-rss";
import MarkdownIt from "markdown-it";
import type { SitemapEntry, SitePage } from "./page-model.ts";
import { markdownFile } from "./render-plan.ts";

const { escapeHtml } = new MarkdownIt().utils;

/** A canonical instant, as the import writes every date: `2021-06-19T15:54:32.790Z`. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * `dateToRfc3339`'s answer (the instant without its milliseconds), cut from a canonical instant's
 * text: a sitemap file of 40,000 URLs would spend most of its time parsing and formatting dates.
 */
export function sitemapDate(date: string): string {
  return CANONICAL_INSTANT.test(date) ? `${date.slice(0, 19)}Z` : dateToRfc3339(new Date(date));
}

/**
 * A sitemap file's `<url>` elements, each on its own line after a newline. Built here rather than
 * in a template loop: a file holds 40,000 URLs, which Nunjucks takes ~0.4 s to write, and an
 * added comment renders two of them.
 */
export function sitemapUrls(entries: readonly SitemapEntry[], absolute: (path: string) => string): string {
  let xml = "";
  for (const { url, lastmod } of entries) {
    const modified = lastmod === undefined || lastmod === "" ? "" : `<lastmod>${sitemapDate(lastmod)}</lastmod>`;
    xml += `\n<url><loc>${escapeHtml(absolute(url))}</loc>${modified}</url>`;
  }
  return xml;
}

/**
 * The import's page without its `source` entry: which export a comment came from is the site
 * owner's business, and it changes whenever exports are renamed. `source` is a top-level
 * key of the front matter, so its value is exactly the indented lines after it.
 */
export function publishedMarkdown(page: string): string {
  const end = page.indexOf("\n---\n", 3);
  if (!page.startsWith("---\n") || end === -1) return page;
  const frontMatter = page.slice(0, end + 1).replace(/^source:\n(?: {2}.*\n)*/m, "");
  return frontMatter + page.slice(end + 1);
}

/**
 * Writes `text` to `file`. Eleventy has just written the comment's HTML page into the same
 * directory, so the directory is made only when the write finds it missing.
 */
function writeBeside(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/**
 * Publishes the import's page of each comment as `<permalink>index.md` in the built site.
 * Synchronous file calls on purpose: nothing else runs meanwhile, and for 100,000 small files
 * they take half the CPU time of the promise versions (10,000 pages: 1.1-1.5 s against 2.7-3.6 s).
 */
export function publishRawMarkdown(pages: readonly SitePage<"comment">[], outputDir: string): void {
  for (const { url, data } of pages) writeBeside(path.join(outputDir, markdownFile(url)), publishedMarkdown(readFileSync(data.comment.file, "utf8")));
}
