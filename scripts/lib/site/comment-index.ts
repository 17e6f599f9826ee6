// /comments.json: every comment's facts (not its text) for programs, one entry a line, sorted by URL.
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import { textDigest } from "../text-digest.ts";
import type { SiteComment } from "./site-archive.ts";

/**
 * One comment's line of the index: its facts as JSON (URLs site-relative, without the path
 * prefix). As page data (see page-model.ts) it stands for a digest of that text.
 */
export class CommentIndexLine {
  readonly url: string;
  readonly text: string;
  readonly #digest: string;

  constructor(c: SiteComment) {
    const entry = {
      id: c.id,
      url: c.permalink,
      markdown: `${c.permalink}index.md`,
      author: { username: c.author.username, name: c.author.name, url: authorPermalink(c.author.slug) },
      thread: { title: c.thread.title, url: threadPermalink(c.thread.slug) },
      date: c.date,
    };
    this.url = c.permalink;
    this.text = JSON.stringify(c.forum === undefined ? entry : { ...entry, forum: c.forum });
    this.#digest = textDigest("sha1", this.text);
    Object.freeze(this);
  }

  toJSON(): string {
    return this.#digest;
  }
}

/**
 * The index's lines by comment digest, which covers every fact a line shows: a dev server's
 * rebuild makes only the lines of comments that changed. Lines of comments not in the last index
 * made are forgotten.
 */
export class CommentIndexLines {
  #known = new Map<string, CommentIndexLine>();
  /** The last lines made, in URL order: the next sort merges a few new lines into them. */
  #sorted: readonly CommentIndexLine[] = [];

  /** The lines of `comments`, sorted by URL. */
  lines(comments: readonly SiteComment[]): readonly CommentIndexLine[] {
    const made = new Map<string, CommentIndexLine>();
    const added: CommentIndexLine[] = [];
    for (const c of comments) {
      let line = this.#known.get(c.digest);
      if (line === undefined) added.push((line = new CommentIndexLine(c)));
      made.set(c.digest, line);
    }
    const live = new Set(made.values());
    const kept = this.#sorted.filter((line) => live.has(line));
    this.#known = made;
    // A sorted run and a short one: the sort merges them in linear time.
    const sorted = [...kept, ...added].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    this.#sorted = sorted;
    return sorted;
  }
}

/** The file: a JSON array with one entry on each line. */
export function commentIndexJson(lines: readonly CommentIndexLine[]): string {
  return `[\n${lines.map((l) => l.text).join(",\n")}\n]\n`;
}
