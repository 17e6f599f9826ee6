// Images in comments become links to them: the site makes no request to another host.
import type { MarkdownIt } from "markdown-it";

export function imagesAsLinks(md: MarkdownIt): void {
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token === undefined) return "";
    const src = String(token.attrGet("src") ?? "");
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    const label = md.utils.escapeHtml(alt === "" ? src : alt);
    return `<a class="image-link" href="${md.utils.escapeHtml(src)}" rel="nofollow ugc noopener">[image: ${label}]</a>`;
  };
}
