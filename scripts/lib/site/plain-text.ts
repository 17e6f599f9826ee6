// Plain text of a comment's Markdown, for descriptions, excerpts and feeds' summaries.
import type { Token } from "markdown-it";

function collect(tokens: Token[], out: string[]): void {
  for (const token of tokens) {
    if (token.type === "text" || token.type === "code_inline" || token.type === "code_block" || token.type === "fence") out.push(token.content);
    else if (token.type === "softbreak" || token.type === "hardbreak" || token.type === "paragraph_close") out.push(" ");
    if (token.children) collect(token.children, out);
  }
}

/** The words of a parsed Markdown text, markup removed, whitespace collapsed. */
export function plainTextOf(tokens: Token[]): string {
  const out: string[] = [];
  collect(tokens, out);
  return out.join("").replace(/\s+/g, " ").trim();
}

/** At most `maxChars` characters of `text`, cut at a word boundary, with an ellipsis when cut. */
export function excerpt(text: string, maxChars = 200): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars + 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut.slice(0, maxChars)).replace(/[\s.,;:]+$/, "")}…`;
}

/** Runs of non-space characters with at least one letter or digit: a dash or an emoji alone is no word. */
const WORD = /[^\s\p{L}\p{N}]*[\p{L}\p{N}]\S*/gu;

/** How many words a plain text has (see WORD); a script written without spaces counts a run as one. */
export function countWords(text: string): number {
  let count = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}
