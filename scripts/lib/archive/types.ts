// The shapes every archive variant is normalised into: the one contract between parsing and everything after it.

/** Where a record came from, for messages a user can act on. */
export interface SourceLocation {
  /** The export file as named on the command line (relative to the working directory). */
  readonly file: string;
  /** 1-based line number of the record's header line. */
  readonly line: number;
}

export interface Author {
  /** Stable identity: the forum username. */
  readonly username: string;
  /** What the export shows; equals `username` unless the header read `Display Name (username)`. */
  readonly name: string;
}

/** One archived comment, as the export gave it. */
export interface CommentRecord {
  readonly author: Author;
  /** ISO 8601 UTC instant with milliseconds, e.g. `2021-06-19T15:54:32.790Z`. */
  readonly postedAt: string;
  /** The title of the post the comment was made on; identity of its thread. */
  readonly threadTitle: string;
  /** The comment's Markdown, footnotes converted to `[^n]` form when they could be matched. */
  readonly body: string;
  readonly source: SourceLocation;
  /** What the forum's API (or a data export) says beyond the text export; absent for a comment from a text export. */
  readonly forum?: ForumCommentData;
}

/**
 * A comment's forum fields. Fields the input lacked or gave as null are absent (never null or a
 * "null" string); flags the input lacked are false.
 */
export interface ForumCommentData {
  /** `_id`: absent only when the input had none. */
  readonly id?: string;
  /** The author's forum profile: `user._id`, `user.slug`. */
  readonly userId?: string;
  readonly userSlug?: string;
  /** The post's URL with `?commentId=`. */
  readonly pageUrl?: string;
  /** The forum's origin (`https://www.lesswrong.com`), for its relative links: from pageUrl, else the fetcher's `--forum`. */
  readonly origin?: string;
  readonly postId?: string;
  /** Absent for comments on tags and wiki pages (see `tag`), and on deleted posts. */
  readonly post?: ForumPostRef;
  readonly tag?: { readonly id?: string; readonly name?: string; readonly slug?: string };
  /** Absent for a top-level comment. */
  readonly parentCommentId?: string;
  readonly topLevelCommentId?: string;
  /** Canonical ISO instant, like postedAt. */
  readonly lastEditedAt?: string;
  readonly baseScore?: number;
  readonly voteCount?: number;
  /** From `extendedScore`: agree minus disagree votes, and how many there were. */
  readonly agreement?: number;
  readonly agreementVoteCount?: number;
  readonly retracted: boolean;
  /** Deleted on the forum: the record then has no text (`body` is empty, no markdown or html). */
  readonly deleted: boolean;
  readonly deletedReason?: string;
  readonly af: boolean;
  readonly shortform: boolean;
  readonly answer: boolean;
  readonly parentAnswerId?: string;
  readonly descendentCount?: number;
  readonly directChildrenCount?: number;
  /** The author's Markdown (`contents.markdown`, or `originalContents` of type markdown); `body` is the same text. */
  readonly markdown?: string;
  /** The forum's rendered HTML (`contents.html`, else `htmlBody`): untrusted input. Without Markdown, `body` is Markdown made of it (see forumHtmlToMarkdown). */
  readonly html?: string;
}

export interface ForumPostRef {
  readonly id?: string;
  readonly title?: string;
  readonly slug?: string;
  readonly pageUrl?: string;
}

export interface ForumUserRef {
  readonly id?: string;
  readonly username?: string;
  readonly displayName?: string;
  readonly slug?: string;
}

/** A comment by someone else that the archive's comments reply to: reply context, never a comment of the archive. */
export interface OutsideParentRecord {
  /** The forum's `_id`, which replies name as `forum.parentCommentId`. */
  readonly id: string;
  readonly author?: ForumUserRef;
  readonly postedAt?: string;
  /** The start of its plain text. */
  readonly excerpt?: string;
  readonly pageUrl?: string;
  readonly source: SourceLocation;
}

/** One of the profile owner's own posts, from the `## Posts` section. */
export interface PostRecord {
  readonly title: string;
  /** The profile owner: the export names no post author, so it is the file's most frequent commenter. */
  readonly author: Author;
  readonly postedAt: string;
  readonly score?: number;
  readonly votes?: number;
  readonly source: SourceLocation;
}

/** Something the import noticed but could handle without losing text. */
export interface ImportWarning {
  readonly message: string;
  readonly source: SourceLocation;
}

export interface ParsedArchive {
  readonly file: string;
  readonly posts: readonly PostRecord[];
  readonly comments: readonly CommentRecord[];
  /** The comments by identity (author username and instant), exact repeats within the file dropped (see commentsByIdentity). */
  readonly byIdentity: ReadonlyMap<string, readonly CommentRecord[]>;
  readonly warnings: readonly ImportWarning[];
  /** Reply context from JSON input (see OutsideParentRecord); absent for a text export. */
  readonly outsideParents?: readonly OutsideParentRecord[];
}
