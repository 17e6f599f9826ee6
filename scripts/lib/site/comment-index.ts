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
    ...(c.forum === undefined ? {} : { forum: c.forum }),
  });
}

/** A comment's line, and a digest of it: the index's digest is made of these, not of its 30 MB of text. */
interface IndexLine {
  text: string;
  digest: string;
}

/** An author's lines, sorted by URL; their first and last URL; a digest of them; joined, once the file is rendered. */
interface AuthorLines {
  lines: IndexLine[];
  first: string;
  last: string;
  digest: string;
  text?: string;
}

const byUrl = (a: SiteComment, b: SiteComment): number => (a.permalink < b.permalink ? -1 : a.permalink > b.permalink ? 1 : 0);

/**
 * The index's lines, by comment digest, which covers every fact a line shows (see commentDigest):
 * a dev server's rebuild makes only the lines of the comments that changed. Lines of comments that
 * left are forgotten once they outnumber the comments (as PlanMemory's comment pages are). Each
 * author's lines are also kept sorted (and joined, once rendered), for as long as the archive
 * hands out the same author object (see SiteArchiveMemory): a rebuild sorts, digests and joins
 * again only the lines of the authors whose comments changed.
 */
export class CommentIndex {
  readonly #known = new Map<string, IndexLine>();
  readonly #byAuthor = new WeakMap<SiteAuthor, AuthorLines | undefined>();

  #lineOf(c: SiteComment): IndexLine {
    let made = this.#known.get(c.digest);
    if (made === undefined) {
      const text = line(c);
      this.#known.set(c.digest, (made = { text, digest: textDigest("sha1", text) }));
    }
    return made;
  }

  /** Undefined for an author without comments. Sorted, not just reversed: a digest-suffixed id sorts before the plain one of its instant. */
  #authorLines(author: SiteAuthor): AuthorLines | undefined {
    if (this.#byAuthor.has(author)) return this.#byAuthor.get(author);
    const comments = [...author.comments].reverse().sort(byUrl);
    const first = comments[0];
    const last = comments.at(-1);
    let made: AuthorLines | undefined;
    if (first !== undefined && last !== undefined) {
      const lines = comments.map((c) => this.#lineOf(c));
      made = { lines, first: first.permalink, last: last.permalink, digest: textDigest("sha1", lines.map((l) => l.digest).join("\n")) };
    }
    this.#byAuthor.set(author, made);
    return made;
  }

  /**
   * A digest of the index `authors` make. The file lists every comment's line (each on its
   * author's list) sorted by URL, so it is a function of the set of lines, which the authors (in
   * slug order) and their lines (in URL order) list in one order only.
   */
  digest(authors: SiteAuthor[]): string {
    let comments = 0;
    for (const author of authors) comments += author.comments.length;
    if (this.#known.size > 2 * comments + 1000) {
      const kept = authors.flatMap((a) => a.comments.map((c): [string, IndexLine] => [c.digest, this.#lineOf(c)]));
      this.#known.clear();
      for (const [digest, made] of kept) this.#known.set(digest, made);
    }
    const digests: string[] = [];
    for (const author of authors) {
      const lines = this.#authorLines(author);
      if (lines !== undefined) digests.push(lines.digest);
    }
    return textDigest("sha1", `comment-index\n${digests.join("\n")}`);
  }

  /**
   * `/comments.json`: one entry per comment, sorted by URL, one per line; URLs are site-relative
   * (without the path prefix). A comment's URL is its author's, then its time, so the authors'
   * lines, each sorted, are in order one after the other, unless one author's slug begins with
   * another's and a dash (`ann`, `ann-b`: `-` sorts before `/`); then every line is sorted.
   */
  json(authors: SiteAuthor[]): string {
    const chunks: string[] = [];
    let last: string | undefined;
    for (const author of authors) {
      const lines = this.#authorLines(author);
      if (lines === undefined) continue;
      if (last !== undefined && lines.first <= last) return this.#sortedJson(authors);
      lines.text ??= lines.lines.map((l) => l.text).join(",\n");
      chunks.push(lines.text);
      last = lines.last;
    }
    return `[\n${chunks.join(",\n")}\n]\n`;
  }

  #sortedJson(authors: SiteAuthor[]): string {
    const comments = authors.flatMap((a) => a.comments).sort(byUrl);
    return `[\n${comments.map((c) => this.#lineOf(c).text).join(",\n")}\n]\n`;
  }
}
