// A comment's headings sit below the page's one h1 and never skip a level, whatever the author typed.
import type { MarkdownIt } from "markdown-it";

/**
 * `# A` becomes h2, `## B` h3, ...; a heading may go at most one level deeper than the one
 * before it (the page title counts as h1), so `### C` as a comment's first heading is h2.
 */
export function commentHeadings(md: MarkdownIt): void {
  md.core.ruler.push("comment_headings", (state) => {
    let previous = 1;
    const open: string[] = [];
    for (const token of state.tokens) {
      if (token.type === "heading_open") {
        const level = Math.min(Number(token.tag.slice(1)) + 1, previous + 1, 6);
        previous = level;
        token.tag = `h${level}`;
        open.push(token.tag);
      } else if (token.type === "heading_close") {
        token.tag = open.pop() ?? token.tag;
      }
    }
  });
}
