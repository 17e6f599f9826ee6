// /comments.json: every comment's facts (not its text) for programs, one entry a line, sorted by URL.
import type { CommentForumFacts } from "../content/pages.ts";
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import type { SiteComment } from "./site-archive.ts";

/** One comment's entry; URLs are site-relative, without the path prefix. */
export interface CommentIndexEntry {
  readonly id: string;
  readonly url: string;
  readonly markdown: string;
  readonly author: { readonly username: string; readonly name: string; readonly url: string };
  readonly thread: { readonly title: string; readonly url: string };
  readonly date: string;
  readonly forum?: CommentForumFacts;
}

export function commentIndexEntry(c: SiteComment): CommentIndexEntry {
  const entry = {
    id: c.id,
    url: c.permalink,
    markdown: `${c.permalink}index.md`,
    author: { username: c.author.username, name: c.author.name, url: authorPermalink(c.author.slug) },
    thread: { title: c.thread.title, url: threadPermalink(c.thread.slug) },
    date: c.date,
  };
  return c.forum === undefined ? entry : { ...entry, forum: c.forum };
}

/** The file: a JSON array with one entry on each line. */
export function commentIndexJson(entries: readonly CommentIndexEntry[]): string {
  return `[\n${entries.map((e) => JSON.stringify(e)).join(",\n")}\n]\n`;
}
