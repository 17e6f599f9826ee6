// A comment body from the forum's API, rendered as the export's bodies are, plus math and links that work off the forum.
import type { MarkdownIt, Token } from "markdown-it";
import { plainTextOf } from "../plain-text.ts";
import { forumHtmlToMarkdown } from "./forum-html.ts";
import { forumLinks, type ForumLinkContext } from "./forum-links.ts";
import { createMarkdown } from "./index.ts";
import { MATH_TOKENS } from "./math.ts";

/** A comment's `contents` as the API gives it; either may be missing or null. */
export interface ForumBody {
  markdown?: string | null;
  html?: string | null;
}

export interface ForumBodyOptions {
  /** The forum's origin, for relative links, e.g. `https://www.lesswrong.com`. */
  forumOrigin: string;
  /** Prefix of the body's footnote ids, so many comments can share a page (as `renderComment`'s `scope`). */
  scope: string;
}

export interface RenderedBody {
  html: string;
  /** The words, for excerpts, descriptions and feeds; a formula is its TeX. */
  text: string;
  /** The forum ids of the comments it links to, each once, sorted. */
  linkedComments: string[];
}

let shared: MarkdownIt | undefined;
function forumMarkdown(): MarkdownIt {
  shared ??= createMarkdown({ math: true }).use(forumLinks);
  return shared;
}

/** The Markdown the body is rendered from: the author's own when the API has it, else its HTML converted. */
export function forumBodyMarkdown(body: ForumBody): string {
  if (typeof body.markdown === "string" && body.markdown.trim() !== "") return body.markdown;
  if (typeof body.html === "string" && body.html.trim() !== "") return forumHtmlToMarkdown(body.html);
  return "";
}

const isMath = (token: Token): boolean => (MATH_TOKENS as readonly string[]).includes(token.type);

/** A copy of a token with some fields changed; the parse's own tokens stay as they are. */
const copyOf = (token: Token, changes: Partial<Token>): Token => Object.assign(Object.create(Object.getPrototypeOf(token) as object) as Token, token, changes);

/** Tokens for plain-text.ts, each formula a text token holding its TeX. */
function withMathAsText(tokens: Token[]): Token[] {
  return tokens.map((token) => {
    if (isMath(token)) return copyOf(token, { type: "text" });
    if (token.children === null || !token.children.some((child) => isMath(child) || child.children !== null)) return token;
    return copyOf(token, { children: withMathAsText(token.children) });
  });
}

/**
 * Renders a forum comment's body: its Markdown (math on), or its HTML by way of Markdown (so
 * nothing executable survives). Links relative to the forum get its origin; links to a comment
 * name it (see COMMENT_ID_ATTRIBUTE).
 */
export function renderForumBody(body: ForumBody, options: ForumBodyOptions): RenderedBody {
  const md = forumMarkdown();
  const forumLinks: ForumLinkContext = { forumOrigin: options.forumOrigin.replace(/\/+$/, ""), linkedComments: [] };
  const env = { docId: options.scope, forumLinks };
  const tokens = md.parse(forumBodyMarkdown(body), env);
  const html = md.renderer.render(tokens, md.options, env);
  return { html, text: plainTextOf(withMathAsText(tokens)), linkedComments: [...new Set(forumLinks.linkedComments)].sort() };
}
