// The archive for programs: dist/comments.json and each comment's Markdown page next to its HTML.
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { authorPermalink, threadPermalink } from "../permalinks.ts";
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

/** Copies the import's page of each comment to `<permalink>index.md` in the built site. */
export async function publishRawMarkdown(comments: SiteComment[], outputDir: string): Promise<void> {
  for (let i = 0; i < comments.length; i += 256) {
    await Promise.all(
      comments.slice(i, i + 256).map(async (c) => {
        const target = path.join(outputDir, c.permalink, "index.md");
        await mkdir(path.dirname(target), { recursive: true });
        await copyFile(c.file, target);
      }),
    );
  }
}
