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

// A line that starts like a header (bold text, then `on `) and ends like one (` · LW · GW`, or
// ` · ` and a date) is a header, readable or not: as body text it would hide a comment in the one above.
const HEADER_LEAD = /^(?:Comment by )?\*\*.*?[\s*]on /s;
const LINKS_END = String.raw`\s*·\s*LW\s*·\s*GW`;
/** A date, with or without a time of day, in about any spelling; the header's own form is TIMESTAMP_PATTERN. */
const TIMESTAMP_LIKE = String.raw`\d{4}-\d{1,2}(?:-\d{1,2})?(?:[T ]\d{1,2}:\d{1,2}[\d:.,]*)?(?: ?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?`;
const HEADER_END = new RegExp(String.raw`(?:\s*·\s*(?<timestamp>${TIMESTAMP_LIKE})(?:${LINKS_END})?|${LINKS_END})\s*$`, "s");
const READABLE_LEAD = /^(?:Comment by )?\*\*(?<author>.+?)\*\* ?on /s;
const READABLE_END = new RegExp(String.raw` · (?<timestamp>${TIMESTAMP_PATTERN})(?: · LW · GW)?\s*$`, "s");
const EXACT_TIMESTAMP = new RegExp(`^${TIMESTAMP_PATTERN}$`);

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
  const threadTitle = groups.title.trim();
  if (author.username === "" || threadTitle === "") return undefined;
  return { author, threadTitle, timestamp: groups.timestamp };
}

export function parsePostItem(line: string): PostItem | undefined {
  const groups = POST_ITEM.exec(line)?.groups;
  if (groups?.title === undefined || groups.timestamp === undefined) return undefined;
  const item: PostItem = { title: groups.title.trim(), timestamp: groups.timestamp };
  if (groups.score !== undefined) item.score = Number(groups.score);
  if (groups.votes !== undefined) item.votes = Number(groups.votes);
  return item;
}

/**
 * Whether a line that parseCommentHeader refused still has a comment header's shape: then it is
 * a damaged header, not body text. Indented lines and lines inside code fences are never asked.
 */
export function isHeaderShaped(line: string): boolean {
  return HEADER_LEAD.test(line) && HEADER_END.test(line);
}

/** What is wrong with a header-shaped line that parseCommentHeader refused, in words a user can act on. */
export function headerProblem(line: string): string {
  const lead = READABLE_LEAD.exec(line);
  const author = lead?.groups?.author;
  if (lead === null || author === undefined) return 'the author is not bold text followed by "on "';
  if (parseAuthor(author).username === "") return "the author's name is empty";
  const end = READABLE_END.exec(line);
  if (end === null) {
    const written = HEADER_END.exec(line)?.groups?.timestamp;
    if (written === undefined) return 'no timestamp before " · LW · GW"';
    if (EXACT_TIMESTAMP.test(written)) return `timestamp "${written}" is not set off by " · " (space, middle dot, space)`;
    return `timestamp "${written}" is not ISO 8601 UTC`;
  }
  if (line.slice(lead[0].length, end.index).trim() === "") return `no post title between "on " and " · ${end.groups?.timestamp ?? ""}"`;
  return "it does not read as \"**user** on Post title · 2021-06-19T15:54:32.790Z · LW · GW\"";
}
