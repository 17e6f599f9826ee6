// The front matter of the Markdown pages the import writes: the contract between import and site.

export interface AuthorRef {
  username: string;
  name: string;
  slug: string;
}

export interface ThreadRef {
  title: string;
  slug: string;
}

/** Front matter of `content/archive/comments/<author-slug>/<stamp>.md`; the page body is the comment's Markdown. */
export interface CommentPage {
  /** `<author-slug>/<stamp>`: unique, and the comment's URL path below `/comments/`. */
  id: string;
  author: AuthorRef;
  thread: ThreadRef;
  /** The UTC instant the comment was posted (ISO 8601 with milliseconds). */
  date: string;
  permalink: string;
  /**
   * The export the comment was read from. Not its line: a comment added above it would move it,
   * and every later page of the export would change with nothing shown changed.
   */
  source: { file: string };
}

/** Front matter of `content/archive/threads/<slug>.md` (no body): one per post title. */
export interface ThreadPage {
  title: string;
  slug: string;
  permalink: string;
  /** Present when the `## Posts` section of an export lists the post. */
  post?: {
    date: string;
    author: AuthorRef;
    score?: number;
    votes?: number;
    source: { file: string };
  };
}

/** Front matter of `content/archive/moved/<digest>.md`: an old URL whose page now lives at `to`. */
export interface MovedPage {
  url: string;
  to: string;
  kind: "comment" | "thread" | "author";
  title: string;
}

/** Front matter of `content/archive/removed/<digest>.md`: a published URL whose comment, thread or author left the archive. */
export interface RemovedPage {
  url: string;
  kind: "comment" | "thread" | "author";
  /** Comment: "<author> on <thread>"; thread: its title; author: their name. */
  title: string;
  author?: { name: string; url: string };
  thread?: { title: string; url: string };
  date?: string;
}
