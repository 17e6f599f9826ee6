// Parses one export's text into post and comment records; every known variant ends up in one shape.
import { ArchiveError } from "./errors.ts";
import { convertFootnotes } from "./footnotes.ts";
import { parseCommentHeader, parsePostItem, type CommentHeader } from "./header.ts";
import { canonicalInstant } from "./timestamp.ts";
import type { CommentRecord, ImportWarning, ParsedArchive, PostRecord, SourceLocation } from "./types.ts";

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

/** Removes leading and trailing blank lines; the lines between are kept exactly (trailing spaces are Markdown line breaks). */
function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? "").trim() === "") start++;
  while (end > start && (lines[end - 1] ?? "").trim() === "") end--;
  return lines.slice(start, end).join("\n");
}

/**
 * Parses an export. `file` is only used to say where things are. Throws ArchiveError (with
 * file and line) on input that cannot be read without guessing.
 */
export function parseArchive(text: string, file: string): ParsedArchive {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const posts: Omit<PostRecord, "author">[] = [];
  const comments: CommentRecord[] = [];
  const warnings: ImportWarning[] = [];

  let section: "preamble" | "posts" | "comments" = "preamble";
  let current: { header: CommentHeader; source: SourceLocation; body: string[] } | undefined;
  const fence = new FenceTracker();
  // The current comment's latest fence, and how many header-shaped lines it has made body text.
  let lastFence: { line: number; headers: number } | undefined;

  const finish = (): void => {
    if (current === undefined) return;
    const { header, source } = current;
    const postedAt = instantAt(header.timestamp, source);
    const raw = trimBlankLines(current.body);
    const footnotes = convertFootnotes(raw);
    if (footnotes.kind === "unmatched") {
      warnings.push({ source, message: `footnotes left as plain text: ${footnotes.reason}` });
    }
    comments.push({ author: header.author, postedAt, threadTitle: header.threadTitle, body: footnotes.body, source });
    current = undefined;
  };

  lines.forEach((line, index) => {
    const source = { file, line: index + 1 };
    const insideFence = current !== undefined && fence.inside;
    const header = insideFence ? undefined : parseCommentHeader(line);
    if (header !== undefined) {
      finish();
      section = "comments";
      fence.reset();
      current = { header, source, body: [] };
      return;
    }
    if (current !== undefined) {
      if (insideFence && lastFence !== undefined && parseCommentHeader(line) !== undefined) lastFence.headers++;
      fence.step(line);
      if (!insideFence && fence.inside) lastFence = { line: index + 1, headers: 0 };
      current.body.push(line);
      return;
    }
    // Section headings are only read before the first comment: after it, they are body text.
    const trimmed = line.trim();
    if (/^##\s+Posts$/i.test(trimmed)) {
      section = "posts";
    } else if (/^##\s+Comments$/i.test(trimmed)) {
      section = "comments";
    } else if (section === "posts" && trimmed !== "") {
      const item = parsePostItem(trimmed);
      if (item === undefined) {
        throw ArchiveError.at(source, `expected a post item ("Title 2020-01-15T10:00:00.000Z"), found "${trimmed.slice(0, 80)}"`);
      }
      const post: Omit<PostRecord, "author"> = { title: item.title, postedAt: instantAt(item.timestamp, source), source };
      if (item.score !== undefined) post.score = item.score;
      if (item.votes !== undefined) post.votes = item.votes;
      posts.push(post);
    } else if (section === "comments" && trimmed !== "") {
      throw ArchiveError.at(source, `expected a comment header ("**user** on Post title · 2021-06-19T15:54:32.790Z"), found "${trimmed.slice(0, 80)}"`);
    } else if (section === "preamble" && trimmed !== "") {
      // Skipping it would silently drop a comment whose header line is malformed.
      throw ArchiveError.at(source, `expected "## Posts", "## Comments" or a comment header ("**user** on Post title · 2021-06-19T15:54:32.790Z"), found "${trimmed.slice(0, 80)}"`);
    }
  });
  if (fence.inside && lastFence !== undefined && lastFence.headers > 0) {
    // Not an error (a fence may hold header-shaped lines), but comments may be hidden in it: say where.
    warnings.push({
      source: { file, line: lastFence.line },
      message: `code fence never closed: ${lastFence.headers} header-shaped line(s) after it were read as code, not as comments`,
    });
  }
  finish();

  if (comments.length === 0) {
    throw new ArchiveError("no comments found: expected lines like \"**user** on Post title · 2021-06-19T15:54:32.790Z\"", { file, line: 1 });
  }
  const owner = profileOwner(comments);
  return { file, posts: posts.map((p) => ({ ...p, author: owner })), comments, warnings };
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
