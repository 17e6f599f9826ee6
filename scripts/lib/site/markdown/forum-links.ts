// A forum body's links work off the forum: relative ones get the forum's origin, archived comments link here.
import type { MarkdownIt, StateCore, Token } from "markdown-it";

/** What a render passes in `env.forumLinks` (per render, so one parser serves every site and build). */
export interface ForumLinkContext {
  /** The forum's origin, e.g. `https://www.lesswrong.com`. */
  forumOrigin: string;
  /** This site's path for a comment id, or undefined when the archive does not have it. */
  commentPath: (commentId: string) => string | undefined;
}

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
 * The href a forum body's link should have: undefined when it must not be a link at all
 * (a scheme other than http, https or mailto, or a URL that does not parse).
 */
export function forumHref(href: string, context: ForumLinkContext): string | undefined {
  if (href === "") return undefined;
  if (href.startsWith("#")) return href;
  const base = new URL(`${context.forumOrigin}/`);
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return undefined;
  if (url.protocol === "mailto:") return href;
  const id = linkedCommentId(url, base.hostname);
  const local = id === undefined ? undefined : context.commentPath(id);
  if (local !== undefined) return local;
  // Absolute links stay as written (markdown-it has normalised them); only relative ones are resolved.
  return /^[a-z][a-z0-9+.-]*:/i.test(href) ? href : url.href;
}

function contextOf(env: unknown): ForumLinkContext | undefined {
  const value = (env as { forumLinks?: ForumLinkContext } | null)?.forumLinks;
  return value !== undefined && typeof value.forumOrigin === "string" && typeof value.commentPath === "function" ? value : undefined;
}

function rewrite(children: Token[], context: ForumLinkContext, state: StateCore): Token[] {
  const out: Token[] = [];
  const unwrapped: boolean[] = [];
  for (const token of children) {
    if (token.type === "link_open") {
      const href = forumHref(String(token.attrGet("href") ?? ""), context);
      unwrapped.push(href === undefined);
      if (href === undefined) continue;
      token.attrSet("href", href);
    } else if (token.type === "link_close") {
      if (unwrapped.pop() === true) continue;
    } else if (token.type === "image") {
      const src = forumHref(String(token.attrGet("src") ?? ""), context);
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
