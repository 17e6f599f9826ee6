// A forum body's links work off the forum: relative ones get the forum's origin; links to comments are marked, for pages to point at those the archive has.
import type { MarkdownIt, StateCore, Token } from "markdown-it";

/** What a render passes in `env.forumLinks` (per render, so one parser serves every site and build). */
export interface ForumLinkContext {
  /** The forum's origin, e.g. `https://www.lesswrong.com`. */
  forumOrigin: string;
  /** Filled by the render: the ids of the comments the body links to. */
  linkedComments: string[];
}

/**
 * The attribute a link to a forum comment carries (before its href), naming the comment: which
 * comments the archive has is a fact of the site, not of this comment, so a page points such a
 * link at its own copy when it shows the comment (see localCommentLinks).
 */
export const COMMENT_ID_ATTRIBUTE = "data-comment-id";

const ALLOWED_SCHEMES = new Set(["http:", "https:", "mailto:"]);
const COMMENT_ID = /^[A-Za-z0-9]{1,32}$/;

const bareHost = (host: string): string => host.toLowerCase().replace(/^www\./, "");

/** The comment a forum or GreaterWrong URL names, by `?commentId=ID` or `/comment/ID`. */
export function linkedCommentId(url: URL, forumHost: string): string | undefined {
  const host = bareHost(url.hostname);
  const onForum = host === bareHost(forumHost);
  const onGreaterWrong = host === "greaterwrong.com" || host.endsWith(".greaterwrong.com");
  if (!onForum && !onGreaterWrong) return undefined;
  const query = onForum ? url.searchParams.get("commentId") : null;
  const id = query ?? /\/comment\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  return id !== undefined && COMMENT_ID.test(id) ? id : undefined;
}

/**
 * The href a forum body's link should have, and the forum comment it names if any: undefined
 * when it must not be a link at all (a scheme other than http, https or mailto, or a URL that
 * does not parse).
 */
export function forumHref(href: string, forumOrigin: string): { href: string; commentId?: string } | undefined {
  if (href === "") return undefined;
  if (href.startsWith("#")) return { href };
  const base = new URL(`${forumOrigin}/`);
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return undefined;
  if (url.protocol === "mailto:") return { href };
  // Absolute links stay as written (markdown-it has normalised them); only relative ones are resolved.
  const resolved = /^[a-z][a-z0-9+.-]*:/i.test(href) ? href : url.href;
  const commentId = linkedCommentId(url, base.hostname);
  return commentId === undefined ? { href: resolved } : { href: resolved, commentId };
}

function contextOf(env: unknown): ForumLinkContext | undefined {
  const value = (env as { forumLinks?: ForumLinkContext } | null)?.forumLinks;
  return value !== undefined && typeof value.forumOrigin === "string" && Array.isArray(value.linkedComments) ? value : undefined;
}

function rewrite(children: Token[], context: ForumLinkContext, state: StateCore): Token[] {
  const out: Token[] = [];
  const unwrapped: boolean[] = [];
  for (const token of children) {
    if (token.type === "link_open") {
      const link = forumHref(String(token.attrGet("href") ?? ""), context.forumOrigin);
      unwrapped.push(link === undefined);
      if (link === undefined) continue;
      token.attrSet("href", link.href);
      if (link.commentId !== undefined) {
        token.attrs = [[COMMENT_ID_ATTRIBUTE, link.commentId], ...(token.attrs ?? [])];
        context.linkedComments.push(link.commentId);
      }
    } else if (token.type === "link_close") {
      if (unwrapped.pop() === true) continue;
    } else if (token.type === "image") {
      const src = forumHref(String(token.attrGet("src") ?? ""), context.forumOrigin)?.href;
      if (src === undefined || src.startsWith("mailto:")) {
        // Not fetchable (a data: image, say): its description stays, as text.
        const text = new state.Token("text", "", 0);
        const alt = (token.children ?? []).map((c) => c.content).join("");
        text.content = `[image: ${alt === "" ? "not shown" : alt}]`;
        out.push(text);
        continue;
      }
      token.attrSet("src", src);
    }
    out.push(token);
  }
  return out;
}

/** Rewrites links and image sources of a render whose env carries `forumLinks`; others are left alone. */
export function forumLinks(md: MarkdownIt): void {
  // Last, after footnote_tail: inline footnotes' tokens are in the stream only by then.
  md.core.ruler.push("forum_links", (state) => {
    const context = contextOf(state.env);
    if (context === undefined) return;
    for (const token of state.tokens) {
      if (token.type === "inline" && token.children !== null) token.children = rewrite(token.children, context, state);
    }
  });
}
