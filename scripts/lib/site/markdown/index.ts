// The one Markdown renderer of the site: raw HTML stays text, footnote ids are scoped per comment.
import MarkdownItFactory, { type MarkdownIt } from "markdown-it";
import footnote from "markdown-it-footnote";
import { commentHeadings } from "./comment-headings.ts";
import { imagesAsLinks } from "./images-as-links.ts";
import { math } from "./math.ts";
import { outboundLinks } from "./outbound-links.ts";
import { plainTextOf } from "../plain-text.ts";

export interface MarkdownOptions {
  /** TeX between the forum's math delimiters becomes MathML: only for the forum API's Markdown, where `$` means math. */
  math?: boolean;
}

export function createMarkdown(options: MarkdownOptions = {}): MarkdownIt {
  // html: false shows raw HTML as text; markdown-it's validateLink already refuses javascript:, vbscript: and data: links.
  const md = MarkdownItFactory({ html: false, linkify: true, typographer: false });
  md.use(footnote);
  if (options.math === true) md.use(math);
  md.use(imagesAsLinks);
  md.use(outboundLinks);
  md.use(commentHeadings);
  return md;
}

const shared = createMarkdown();

/**
 * Renders a comment body and its plain text from one parse; `scope` prefixes its footnote ids
 * so many comments can share a page.
 */
export function renderComment(markdown: string, scope: string): { html: string; text: string } {
  const env = { docId: scope };
  const tokens = shared.parse(markdown, env);
  return { html: shared.renderer.render(tokens, shared.options, env), text: plainTextOf(tokens) };
}

export function renderCommentHtml(markdown: string, scope: string): string {
  return renderComment(markdown, scope).html;
}
