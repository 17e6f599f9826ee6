// /comments.json: one line of facts per comment, made once per comment and kept for the next build of the same Eleventy instance.
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import type { SiteComment } from "./site-archive.ts";

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

/**
 * The index's lines, by comment digest, which covers every fact a line shows (see commentDigest):
 * a dev server's rebuild makes only the lines of the comments that changed. Holds the comments
 * of the last `lines` call, and those made since.
 */
export class CommentIndex {
  #known = new Map<string, string>();

  /** The comment's line, made or remembered, and kept in `into`. */
  #lineOf(c: SiteComment, into: Map<string, string>): string {
    let made = this.#known.get(c.digest);
    if (made === undefined) {
      made = line(c);
      into.set(c.digest, made);
    } else if (into !== this.#known) {
      into.set(c.digest, made);
    }
    return made;
  }

  /** The line of each comment, in the order given; lines of comments not given are forgotten. */
  lines(comments: SiteComment[]): string[] {
    const kept = new Map<string, string>();
    const lines = comments.map((c) => this.#lineOf(c, kept));
    this.#known = kept;
    return lines;
  }

  /** `/comments.json`: one entry per comment, sorted by URL, one per line; URLs are site-relative (without the path prefix). */
  json(comments: SiteComment[]): string {
    const entries = [...comments].sort((a, b) => (a.permalink < b.permalink ? -1 : 1)).map((c) => this.#lineOf(c, this.#known));
    return `[\n${entries.join(",\n")}\n]\n`;
  }
}
