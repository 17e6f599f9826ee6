// /comments.json: one line of facts per comment, made once per comment and kept for the next build of the same Eleventy instance.
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import { textDigest } from "../text-digest.ts";
import type { SiteAuthor, SiteComment } from "./site-archive.ts";

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

/** A comment's line, and a digest of it: the index's digest is made of these, not of its 30 MB of text. */
interface IndexLine {
  text: string;
  digest: string;
}

const byUrl = (a: SiteComment, b: SiteComment): number => (a.permalink < b.permalink ? -1 : a.permalink > b.permalink ? 1 : 0);

/**
 * The index's lines, by comment digest, which covers every fact a line shows (see commentDigest):
 * a dev server's rebuild makes only the lines of the comments that changed. Lines of comments that
 * left are forgotten once they outnumber the comments (as PlanMemory's comment pages are).
 */
export class CommentIndex {
  readonly #known = new Map<string, IndexLine>();

  #lineOf(c: SiteComment): IndexLine {
    let made = this.#known.get(c.digest);
    if (made === undefined) {
      const text = line(c);
      this.#known.set(c.digest, (made = { text, digest: textDigest("sha1", text) }));
    }
    return made;
  }

  /**
   * A digest of the index `comments` make. The file lists their lines sorted by URL, so it is a
   * function of the set of lines, and `comments` (in date order, which the lines' dates and ids
   * decide) list that set in one order only.
   */
  digest(comments: SiteComment[]): string {
    const digests = comments.map((c) => this.#lineOf(c).digest);
    if (this.#known.size > 2 * comments.length + 1000) {
      const kept = comments.map((c): [string, IndexLine] => [c.digest, this.#lineOf(c)]);
      this.#known.clear();
      for (const [digest, made] of kept) this.#known.set(digest, made);
    }
    return textDigest("sha1", `comment-index\n${digests.join("\n")}`);
  }

  /**
   * `/comments.json`: one entry per comment, sorted by URL, one per line; URLs are site-relative
   * (without the path prefix). Taken from the authors' lists (every comment is on exactly one):
   * a comment's URL is its author's, then its time, so their lists oldest first are runs the sort
   * finds already in order, and it does not compare 100,000 URLs seventeen times each.
   */
  json(authors: SiteAuthor[]): string {
    const comments: SiteComment[] = [];
    for (const author of authors) for (let i = author.comments.length - 1; i >= 0; i--) comments.push(author.comments[i] as SiteComment);
    const entries = comments.sort(byUrl).map((c) => this.#lineOf(c).text);
    return `[\n${entries.join(",\n")}\n]\n`;
  }
}
