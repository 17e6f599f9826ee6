// Parses one export's text into post and comment records; every known variant ends up in one shape.
import { ArchiveError } from "./errors.ts";
import { convertFootnotes } from "./footnotes.ts";
import { headerProblem, isHeaderShaped, parseCommentHeader, parsePostItem, type CommentHeader } from "./header.ts";
import { canonicalInstant } from "./timestamp.ts";
import type { Author, CommentRecord, ImportWarning, ParsedArchive, PostRecord, SourceLocation } from "./types.ts";
import { commentsByIdentity } from "./merge.ts";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Tracks fenced code blocks, inside which header-shaped lines are body text. */
class FenceTracker {
  private open: string | undefined;

  /** Feeds one body line; true when the line is inside (or opens or closes) a fence. */
  step(line: string): boolean {
    const marker = FENCE.exec(line)?.[1];
    if (this.open === undefined) {
      if (marker === undefined) return false;
      this.open = marker;
      return true;
    }
    if (marker !== undefined && marker[0] === this.open[0] && marker.length >= this.open.length && line.trim() === marker) {
      this.open = undefined;
    }
    return true;
  }

  get inside(): boolean {
    return this.open !== undefined;
  }

  reset(): void {
    this.open = undefined;
  }
}

function instantAt(timestamp: string, source: SourceLocation): string {
  const instant = canonicalInstant(timestamp);
  if (instant === undefined) {
    throw ArchiveError.at(source, `timestamp "${timestamp}" is not a real instant (expected ISO 8601 UTC, e.g. 2021-06-19T15:54:32.790Z)`);
  }
  return instant;
}

/** Whether `text[from, to)` holds only whitespace, as `trim()` sees it. */
function isBlank(text: string, from: number, to: number): boolean {
  if (from >= to) return true;
  const first = text.charCodeAt(from);
  // Most lines start with a visible ASCII character: no need to cut them out.
  if (first > 32 && first < 127) return false;
  return !/\S/.test(text.slice(from, to));
}

/**
 * The lines of `text[from, to)` without leading and trailing blank lines; the lines between are
 * kept exactly (trailing spaces are Markdown line breaks). `to` ends a line. A slice of the
 * export, so a body costs no copy.
 */
function trimmedLines(text: string, from: number, to: number): string {
  let start = from;
  let end = to;
  while (start < end) {
    const lineEnd = Math.min(lineEndAt(text, start), end);
    if (!isBlank(text, start, lineEnd)) break;
    start = lineEnd + 1;
  }
  if (start >= end) return "";
  for (;;) {
    const lineStart = Math.max(text.lastIndexOf("\n", end - 1) + 1, start);
    if (lineStart === start || !isBlank(text, lineStart, end)) break;
    end = lineStart - 1;
  }
  return text.slice(start, end);
}

function lineEndAt(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end === -1 ? text.length : end;
}

/** Whether the line at `from` could be a comment header: every header form starts with `**` or `Comment by **`. */
function mayBeHeader(text: string, from: number): boolean {
  return (text.charCodeAt(from) === 42 && text.charCodeAt(from + 1) === 42) || text.startsWith("Comment by **", from);
}

/** Shown in full up to this length; longer lines keep their start and end, where a header's parts are. */
const QUOTED_LINE_LENGTH = 160;

function quotedLine(line: string): string {
  const text = line.trimEnd();
  return text.length <= QUOTED_LINE_LENGTH ? text : `${text.slice(0, 100)} … ${text.slice(-50)}`;
}

/** A line that looks like a comment header but does not parse is refused: read as body text, it would hide a comment. */
function refuseMalformedHeader(line: string, source: SourceLocation): void {
  if (!isHeaderShaped(line)) return;
  throw ArchiveError.at(source, `malformed comment header: ${headerProblem(line)}; found "${quotedLine(line)}" (a header reads "**user** on Post title · 2021-06-19T15:54:32.790Z · LW · GW")`);
}

/** Before the first comment, where any other line is refused too: what is wrong with a header-shaped line, to lead the message. */
function malformedHeaderLead(line: string): string {
  return isHeaderShaped(line) ? `malformed comment header: ${headerProblem(line)}; ` : "";
}

/** Whether the line at `from` could open or close a fence: up to three spaces, then ` or ~. */
function mayBeFence(text: string, from: number): boolean {
  for (let i = from; i < from + 4; i++) {
    const c = text.charCodeAt(i);
    if (c === 96 || c === 126) return true;
    if (c !== 32) return false;
  }
  return false;
}

/**
 * Parses an export. `file` is only used to say where things are. Throws ArchiveError (with
 * file and line) on input that cannot be read without guessing.
 * Lines are walked by offset rather than split into an array, and only lines that may be a
 * header or a fence are cut out and matched: at 100,000 comments this is most of the import's
 * parsing time and much of its memory.
 */
export function parseArchive(input: string, file: string): ParsedArchive {
  const withoutBom = input.replace(/^\uFEFF/, "");
  // One line ending from here on, so that a body is one slice of the text.
  const text = withoutBom.includes("\r") ? withoutBom.replace(/\r\n?/g, "\n") : withoutBom;
  const posts: Omit<PostRecord, "author">[] = [];
  const comments: CommentRecord[] = [];
  const warnings: ImportWarning[] = [];

  let section: "preamble" | "posts" | "comments" = "preamble";
  let current: { header: CommentHeader; source: SourceLocation; bodyStart: number } | undefined;
  const fence = new FenceTracker();
  // The current comment's latest fence, and how many header-shaped lines it has made body text.
  let lastFence: { line: number; headers: number } | undefined;

  const finish = (bodyEnd: number): void => {
    if (current === undefined) return;
    const { header, source } = current;
    const postedAt = instantAt(header.timestamp, source);
    const raw = trimmedLines(text, current.bodyStart, bodyEnd);
    const footnotes = convertFootnotes(raw);
    if (footnotes.kind === "unmatched") {
      warnings.push({ source, message: `footnotes left as plain text: ${footnotes.reason}` });
    }
    comments.push({ author: authorOf(header.author), postedAt, threadTitle: header.threadTitle, body: footnotes.body, source });
    current = undefined;
  };
  const headerAt = (from: number, to: number): CommentHeader | undefined => (mayBeHeader(text, from) ? parseCommentHeader(text.slice(from, to)) : undefined);
  const authorOf = sharedAuthors();

  let lineNumber = 0;
  for (let start = 0; start <= text.length; ) {
    const end = lineEndAt(text, start);
    lineNumber++;
    const insideFence = current !== undefined && fence.inside;
    const header = insideFence ? undefined : headerAt(start, end);
    if (header !== undefined) {
      // The body ends with the line before this one (its newline is not part of it).
      finish(start - 1);
      section = "comments";
      fence.reset();
      current = { header, source: { file, line: lineNumber }, bodyStart: end + 1 };
    } else if (current !== undefined) {
      if (mayBeFence(text, start)) {
        const line = text.slice(start, end);
        fence.step(line);
        if (!insideFence && fence.inside) lastFence = { line: lineNumber, headers: 0 };
      } else if (insideFence) {
        if (lastFence !== undefined && mayBeHeader(text, start) && (headerAt(start, end) !== undefined || isHeaderShaped(text.slice(start, end)))) lastFence.headers++;
      } else if (mayBeHeader(text, start)) {
        refuseMalformedHeader(text.slice(start, end), { file, line: lineNumber });
      }
    } else {
      beforeComments(text.slice(start, end), { file, line: lineNumber });
    }
    start = end + 1;
  }

  /** A line before the first comment. Section headings are only read there: after it, they are body text. */
  function beforeComments(line: string, source: SourceLocation): void {
    const trimmed = line.trim();
    if (/^##\s+Posts$/i.test(trimmed)) {
      section = "posts";
    } else if (/^##\s+Comments$/i.test(trimmed)) {
      section = "comments";
    } else if (section === "posts" && trimmed !== "") {
      const item = parsePostItem(trimmed);
      if (item === undefined) {
        throw ArchiveError.at(source, `${malformedHeaderLead(line)}expected a post item ("Title 2020-01-15T10:00:00.000Z"), found "${trimmed.slice(0, 80)}"`);
      }
      posts.push({
        title: item.title,
        postedAt: instantAt(item.timestamp, source),
        source,
        ...(item.score === undefined ? {} : { score: item.score }),
        ...(item.votes === undefined ? {} : { votes: item.votes }),
      });
    } else if (section === "comments" && trimmed !== "") {
      throw ArchiveError.at(source, `${malformedHeaderLead(line)}expected a comment header ("**user** on Post title · 2021-06-19T15:54:32.790Z"), found "${trimmed.slice(0, 80)}"`);
    } else if (section === "preamble" && trimmed !== "") {
      // Skipping it would silently drop a comment whose header line is malformed.
      throw ArchiveError.at(source, `${malformedHeaderLead(line)}expected "## Posts", "## Comments" or a comment header ("**user** on Post title · 2021-06-19T15:54:32.790Z"), found "${trimmed.slice(0, 80)}"`);
    }
  }
  if (fence.inside && lastFence !== undefined && lastFence.headers > 0) {
    // Not an error (a fence may hold header-shaped lines), but comments may be hidden in it: say where.
    warnings.push({
      source: { file, line: lastFence.line },
      message: `code fence never closed: ${lastFence.headers} header-shaped line(s) after it were read as code, not as comments`,
    });
  }
  finish(text.length);

  if (comments.length === 0 && posts.length > 0) {
    // Without comments the posts have no author: an export names none, and its owner is its most frequent commenter.
    throw new ArchiveError(`no comments found: ${posts.length} post(s) but no comment; an export names no author for its posts (they are taken to be its most frequent commenter's), so posts alone cannot be imported`, { file, line: 1 });
  }
  if (comments.length === 0) {
    throw new ArchiveError("no comments found: expected lines like \"**user** on Post title · 2021-06-19T15:54:32.790Z\"", { file, line: 1 });
  }
  const owner = profileOwner(comments);
  return { file, posts: posts.map((p) => ({ ...p, author: owner })), comments, byIdentity: commentsByIdentity(comments), warnings };
}

/** One Author object per username and name for a file's comments: an export is mostly one author's, and each copy would be kept. */
function sharedAuthors(): (author: Author) => Author {
  const authors = new Map<string, Author>();
  return (author) => {
    const key = `${author.username}\u0000${author.name}`;
    const known = authors.get(key);
    if (known !== undefined) return known;
    authors.set(key, author);
    return author;
  };
}

/** The author with the most comments in the file (first seen wins a tie). */
function profileOwner(comments: CommentRecord[]): CommentRecord["author"] {
  const counts = new Map<string, { author: CommentRecord["author"]; count: number }>();
  for (const { author } of comments) {
    const entry = counts.get(author.username) ?? { author, count: 0 };
    entry.count++;
    counts.set(author.username, entry);
  }
  let best: { author: CommentRecord["author"]; count: number } | undefined;
  for (const entry of counts.values()) if (best === undefined || entry.count > best.count) best = entry;
  if (best === undefined) throw new Error("profileOwner needs at least one comment");
  return best.author;
}
