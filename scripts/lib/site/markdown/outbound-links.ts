// Links to other sites carry rel="nofollow ugc noopener": comment text is user-generated.
import type { MarkdownIt } from "markdown-it";

export function outboundLinks(md: MarkdownIt): void {
  const fallback = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const href = String(tokens[idx]?.attrGet("href") ?? "");
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) tokens[idx]?.attrSet("rel", "nofollow ugc noopener");
    return fallback(tokens, idx, options, env, self);
  };
}
