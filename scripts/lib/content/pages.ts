// The front matter of the Markdown pages the import writes: the contract between import and site.

export interface AuthorRef {
  readonly username: string;
  readonly name: string;
  readonly slug: string;
}

export interface ThreadRef {
  readonly title: string;
  readonly slug: string;
}

/** Front matter of `content/archive/comments/<author-slug>/<stamp>.md`; the page body is the comment's Markdown. */
export interface CommentPage {
  /** `<author-slug>/<stamp>`: unique, and the comment's URL path below `/comments/`. */
  readonly id: string;
  readonly author: AuthorRef;
  readonly thread: ThreadRef;
  /** The UTC instant the comment was posted (ISO 8601 with milliseconds). */
  readonly date: string;
  readonly permalink: string;
  /**
   * The export the comment was read from. Not its line: a comment added above it would move it,
   * and every later page of the export would change with nothing shown changed.
   */
  readonly source: { file: string };
  /** What the forum's API says of the comment; absent for one read from a text export. */
  readonly forum?: CommentForumFacts;
}

/** A forum comment's ids, scores and flags, as its front matter and `/comments.json` give them. Absent fields were not in the input. */
export interface CommentForumFacts {
  readonly id?: string;
  readonly postId?: string;
  /** Absent for a top-level comment. */
  readonly parentCommentId?: string;
  /** The comment on the forum. */
  readonly pageUrl?: string;
  /** The forum's origin (`https://www.lesswrong.com`), which the comment's relative links are relative to. */
  readonly origin?: string;
  readonly baseScore?: number;
  readonly voteCount?: number;
  /** Agree minus disagree votes, and how many there were. */
  readonly agreement?: number;
  readonly agreementVoteCount?: number;
  readonly lastEditedAt?: string;
  readonly retracted: boolean;
  /** Deleted on the forum: the comment keeps its URL, without text. */
  readonly deleted: boolean;
  /** Also on the Alignment Forum. */
  readonly af: boolean;
}

/** Front matter of `content/archive/threads/<slug>.md` (no body): one per post title. */
export interface ThreadPage {
  readonly title: string;
  readonly slug: string;
  readonly permalink: string;
  /** Present when the `## Posts` section of an export lists the post. */
  readonly post?: {
    date: string;
    author: AuthorRef;
    score?: number;
    votes?: number;
    source: { file: string };
  };
}

/** Front matter of `content/archive/moved/<digest>.md`: an old URL whose page now lives at `to`. */
export interface MovedPage {
  readonly url: string;
  readonly to: string;
  readonly kind: "comment" | "thread" | "author";
  readonly title: string;
}

/** Front matter of `content/archive/removed/<digest>.md`: a published URL whose comment, thread or author left the archive. */
export interface RemovedPage {
  readonly url: string;
  readonly kind: "comment" | "thread" | "author";
  /** Comment: "<author> on <thread>"; thread: its title; author: their name. */
  readonly title: string;
  readonly author?: { name: string; url: string };
  readonly thread?: { title: string; url: string };
  readonly date?: string;
}
