// Recognises comment header lines and post items, the two line shapes that start a record.
import { TIMESTAMP_PATTERN } from "./timestamp.ts";
import type { Author } from "./types.ts";

export interface CommentHeader {
  author: Author;
  threadTitle: string;
  /** As written; validated by the caller so that it can report file and line. */
  timestamp: string;
}

export interface PostItem {
  title: string;
  timestamp: string;
  score?: number;
  votes?: number;
}

// The title is greedy and the timestamp anchored at the end, because titles may contain ` · ` and `**`.
// The author is the shortest bold text followed by `on `: a display name may hold a `*` (`A*`, `*Ann*`).
// The `s` flag lets `.` match U+2028/U+2029 too: a title may hold any Unicode, and lines are split on \r and \n only.
const COMMENT_HEADER = new RegExp(
  String.raw`^(?:Comment by )?\*\*(?<author>.+?)\*\* ?on (?<title>.+) · (?<timestamp>${TIMESTAMP_PATTERN})(?: · LW · GW)?\s*$`,
  "s",
);

const POST_ITEM = new RegExp(
  String.raw`^(?<title>.+?) (?<timestamp>${TIMESTAMP_PATTERN})(?: · score: (?<score>-?\d+) \((?<votes>\d+) votes?\))?\s*$`,
  "s",
);

const DISPLAY_NAME_WITH_USERNAME = /^(?<name>.*\S)\s+\((?<username>[^()\s]+)\)$/s;

/** The author as the bold text names them: `Display Name (username)` or just `username`. */
export function parseAuthor(bold: string): Author {
  const text = bold.trim();
  const named = DISPLAY_NAME_WITH_USERNAME.exec(text)?.groups;
  if (named?.name !== undefined && named.username !== undefined) {
    return { username: named.username, name: named.name };
  }
  return { username: text, name: text };
}

export function parseCommentHeader(line: string): CommentHeader | undefined {
  const groups = COMMENT_HEADER.exec(line)?.groups;
  if (groups?.author === undefined || groups.title === undefined || groups.timestamp === undefined) return undefined;
  const author = parseAuthor(groups.author);
  if (author.username === "") return undefined;
  return { author, threadTitle: groups.title.trim(), timestamp: groups.timestamp };
}

export function parsePostItem(line: string): PostItem | undefined {
  const groups = POST_ITEM.exec(line)?.groups;
  if (groups?.title === undefined || groups.timestamp === undefined) return undefined;
  const item: PostItem = { title: groups.title.trim(), timestamp: groups.timestamp };
  if (groups.score !== undefined) item.score = Number(groups.score);
  if (groups.votes !== undefined) item.votes = Number(groups.votes);
  return item;
}
