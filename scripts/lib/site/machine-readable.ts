// The archive for programs: dist/comments.json and each comment's Markdown page next to its HTML.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import { markdownFile } from "./render-plan.ts";
import type { SiteComment } from "./site-archive.ts";

/** One entry per comment, sorted by URL, one per line; URLs are site-relative (without the path prefix). */
export function commentIndexJson(comments: SiteComment[]): string {
  const entries = [...comments]
    .sort((a, b) => (a.permalink < b.permalink ? -1 : 1))
    .map((c) =>
      JSON.stringify({
        id: c.id,
        url: c.permalink,
        markdown: `${c.permalink}index.md`,
        author: { username: c.author.username, name: c.author.name, url: authorPermalink(c.author.slug) },
        thread: { title: c.thread.title, url: threadPermalink(c.thread.slug) },
        date: c.date,
      }),
    );
  return `[\n${entries.join(",\n")}\n]\n`;
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

/** Publishes the import's page of each comment as `<permalink>index.md` in the built site. */
export async function publishRawMarkdown(comments: SiteComment[], outputDir: string): Promise<void> {
  for (let i = 0; i < comments.length; i += 256) {
    await Promise.all(
      comments.slice(i, i + 256).map(async (c) => {
        const target = path.join(outputDir, markdownFile(c));
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, publishedMarkdown(await readFile(c.file, "utf8")));
      }),
    );
  }
}
