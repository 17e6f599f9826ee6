// /comments.json: one line of facts per comment, made once per comment and kept for the next build of the same process.
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import type { SiteComment } from "./site-archive.ts";

/**
 * Lines by comment digest, which covers every fact a line shows (see commentDigest): a dev
 * server's rebuild makes only the lines of the comments that changed. Holds the comments of the
 * last `commentIndexLines` call, and those made since.
 */
let known = new Map<string, string>();

function line(c: SiteComment): string {
  return JSON.stringify({
    id: c.id,
    url: c.permalink,
    markdown: `${c.permalink}index.md`,
    author: { username: c.author.username, name: c.author.name, url: authorPermalink(c.author.slug) },
    thread: { title: c.thread.title, url: threadPermalink(c.thread.slug) },
    date: c.date,
  });
}

/** The comment's line, made or remembered, and kept in `into`. */
function lineOf(c: SiteComment, into: Map<string, string>): string {
  let made = known.get(c.digest);
  if (made === undefined) {
    made = line(c);
    into.set(c.digest, made);
  } else if (into !== known) {
    into.set(c.digest, made);
  }
  return made;
}

/** The index's line of each comment, in the order given; lines of comments not given are forgotten. */
export function commentIndexLines(comments: SiteComment[]): string[] {
  const kept = new Map<string, string>();
  const lines = comments.map((c) => lineOf(c, kept));
  known = kept;
  return lines;
}

/** One entry per comment, sorted by URL, one per line; URLs are site-relative (without the path prefix). */
export function commentIndexJson(comments: SiteComment[]): string {
  const entries = [...comments].sort((a, b) => (a.permalink < b.permalink ? -1 : 1)).map((c) => lineOf(c, known));
  return `[\n${entries.join(",\n")}\n]\n`;
}
