// Writes records back out in the export format: the inverse of parseArchive, for tests and synthetic benchmark archives.
import type { Author } from "./types.ts";

/** The header line shapes seen in real exports (see docs/archive-format.md). */
export type HeaderVariant = "tight" | "spaced" | "comment-by";

export const HEADER_VARIANTS: readonly HeaderVariant[] = ["tight", "spaced", "comment-by"];

export interface RenderableComment {
  author: Author;
  /** Canonical ISO 8601 UTC instant, e.g. `2021-06-19T15:54:32.790Z`. */
  postedAt: string;
  threadTitle: string;
  /**
   * The body as parseArchive returns it. Footnotes in the `[^n]` form parseArchive produces
   * are written back as the export writes them (`^{[n]}` references, texts ending in ` ↩︎`).
   */
  body: string;
  /** `tight` (`**user**on`, as in the sample; the default), `spaced` (`**user** on`) or `comment-by`. */
  header?: HeaderVariant;
  /** Whether the header line ends in ` · LW · GW` (default true). */
  links?: boolean;
}

export interface RenderablePost {
  title: string;
  postedAt: string;
  /** Written only together with `votes`, as the export does. */
  score?: number;
  votes?: number;
}

export interface RenderOptions {
  newline?: "\n" | "\r\n";
  /** Start the text with a UTF-8 byte-order mark. */
  bom?: boolean;
}

const BACKLINK = " \u21A9\uFE0E";

/** `**name (username)**`-style bold author text: the display name is written only when it differs. */
function authorText(author: Author): string {
  return author.name === author.username ? author.username : `${author.name} (${author.username})`;
}

export function renderCommentHeader(comment: RenderableComment): string {
  const bold = `**${authorText(comment.author)}**`;
  const variant = comment.header ?? "tight";
  const lead = variant === "tight" ? `${bold}on` : variant === "spaced" ? `${bold} on` : `Comment by ${bold} on`;
  return `${lead} ${comment.threadTitle} · ${comment.postedAt}${comment.links === false ? "" : " · LW · GW"}`;
}

export function renderPostItem(post: RenderablePost): string {
  if ((post.score === undefined) !== (post.votes === undefined)) {
    throw new Error(`post "${post.title}": the export writes score and votes together, not one of them`);
  }
  const score = post.score === undefined || post.votes === undefined ? "" : ` · score: ${post.score} (${post.votes} ${post.votes === 1 ? "vote" : "votes"})`;
  return `${post.title} ${post.postedAt}${score}`;
}

/**
 * Turns a body's `[^n]` footnotes (as convertFootnotes writes them: definitions last, numbered
 * 1..n, continuation paragraphs indented by four spaces) back into the export's form. A body
 * without such a definition block is returned as it is.
 */
export function restoreFootnotes(body: string): string {
  const paragraphs = body.split("\n\n");
  const start = paragraphs.findIndex((p) => p.startsWith("[^1]: "));
  if (start <= 0) return body;
  const notes: string[][] = [];
  for (const paragraph of paragraphs.slice(start)) {
    const opening = /^\[\^(\d+)\]: /.exec(paragraph);
    if (opening !== null && Number(opening[1]) === notes.length + 1) {
      notes.push([paragraph.slice(opening[0].length)]);
    } else if (notes.length > 0 && paragraph.split("\n").every((line) => line.startsWith("    "))) {
      notes.at(-1)?.push(paragraph.replace(/^ {4}/gm, ""));
    } else {
      return body;
    }
  }
  const main = paragraphs.slice(0, start).join("\n\n").replace(/\[\^(\d+)\](?!:)/g, "^{[$1]}");
  const texts = notes.map((note) => `${note.join("\n\n")}${BACKLINK}`);
  return [main, ...texts].join("\n\n");
}

/** An export of the given records: `## Posts`, then `## Comments`, each comment as header, blank line, body. */
export function renderArchive(comments: readonly RenderableComment[], posts: readonly RenderablePost[] = [], options: RenderOptions = {}): string {
  const lines = ["## Posts", ""];
  for (const post of posts) lines.push(renderPostItem(post), "");
  lines.push("## Comments", "");
  for (const comment of comments) lines.push(renderCommentHeader(comment), "", restoreFootnotes(comment.body), "");
  const text = lines.join("\n");
  return (options.bom ? "\uFEFF" : "") + (options.newline === "\r\n" ? text.replace(/\n/g, "\r\n") : text);
}
