// The shapes every archive variant is normalised into: the one contract between parsing and everything after it.

/** Where a record came from, for messages a user can act on. */
export interface SourceLocation {
  /** The export file as named on the command line (relative to the working directory). */
  file: string;
  /** 1-based line number of the record's header line. */
  line: number;
}

export interface Author {
  /** Stable identity: the forum username. */
  username: string;
  /** What the export shows; equals `username` unless the header read `Display Name (username)`. */
  name: string;
}

/** One archived comment, as the export gave it. */
export interface CommentRecord {
  author: Author;
  /** ISO 8601 UTC instant with milliseconds, e.g. `2021-06-19T15:54:32.790Z`. */
  postedAt: string;
  /** The title of the post the comment was made on; identity of its thread. */
  threadTitle: string;
  /** The comment's Markdown, footnotes converted to `[^n]` form when they could be matched. */
  body: string;
  source: SourceLocation;
}

/** One of the profile owner's own posts, from the `## Posts` section. */
export interface PostRecord {
  title: string;
  /** The profile owner: the export names no post author, so it is the file's most frequent commenter. */
  author: Author;
  postedAt: string;
  score?: number;
  votes?: number;
  source: SourceLocation;
}

/** Something the import noticed but could handle without losing text. */
export interface ImportWarning {
  message: string;
  source: SourceLocation;
}

export interface ParsedArchive {
  file: string;
  posts: PostRecord[];
  comments: CommentRecord[];
  warnings: ImportWarning[];
}
