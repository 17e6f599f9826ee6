// The forum's TeX becomes MathML at build time (KaTeX): no script, font, stylesheet or other host reaches the reader.
import { createRequire } from "node:module";
import type Katex from "katex";
import type { MarkdownIt, StateInline } from "markdown-it";

// Loaded on the first formula: the export's bodies, which have none, do not pay KaTeX's 100 ms start.
let katex: typeof Katex | undefined;
const loadKatex = (): typeof Katex => (katex ??= createRequire(import.meta.url)("katex") as typeof Katex);

/** Token types the plugin adds; `content` is the TeX, `markup` its delimiters. */
export const MATH_TOKENS = ["math_inline", "math_display"] as const;

/**
 * The forum's own Markdown math syntax (ForumMagnum's markdown-mathjax): `$…$` by pandoc's
 * rules, `$$…$$`, and `\\(…\\)`, `\\[…\\]` and `\begin{env}…\end{env}` as its HTML-to-Markdown
 * conversion writes them. Only for forum bodies: the export's "$5 and $10" is never TeX.
 */
export function math(md: MarkdownIt): void {
  md.inline.ruler.before("escape", "math_backslash", backslashMath);
  // Last, as on the forum: code spans, escapes and links claim their `$` first.
  md.inline.ruler.push("math_dollar", dollarMath);
  md.renderer.rules.math_inline = (tokens, idx) => renderTex(tokens[idx]?.content ?? "", false, tokens[idx]?.markup ?? "$");
  md.renderer.rules.math_display = (tokens, idx) => renderTex(tokens[idx]?.content ?? "", true, tokens[idx]?.markup ?? "$$");
}

function push(state: StateInline, display: boolean, tex: string, markup: string): void {
  const token = state.push(display ? "math_display" : "math_inline", "math", 0);
  token.content = tex;
  token.markup = markup;
}

function backslashMath(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x5c /* \ */) return false;
  const rest = state.src.slice(state.pos + 1);
  const open = /^(?:\\\[|\\\(|begin\{([^}]*)\})/.exec(rest);
  if (open === null) return false;
  const environment = open[1];
  const start = state.pos + 1 + open[0].length;
  const close = environment !== undefined ? `\\end{${environment}}` : open[0] === "\\[" ? "\\\\]" : "\\\\)";
  const end = state.src.indexOf(close, start);
  if (end === -1) return false;
  const next = end + close.length;
  if (!silent) {
    // An environment keeps its \begin and \end: they are the TeX; the other delimiters are not.
    if (environment !== undefined) push(state, true, state.src.slice(state.pos, next), "");
    else push(state, open[0] === "\\[", state.src.slice(start, end), open[0] === "\\[" ? "\\\\[" : "\\\\(");
  }
  state.pos = next;
  return true;
}

const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a;

function dollarMath(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  if (src.charCodeAt(state.pos) !== 0x24 /* $ */) return false;
  const display = src.charCodeAt(state.pos + 1) === 0x24;
  if (display && src.charCodeAt(state.pos + 2) === 0x24) return false;
  const marker = display ? "$$" : "$";
  const start = state.pos + marker.length;
  if (!display && (start >= src.length || isSpace(src.charCodeAt(start)))) return false;
  const end = src.indexOf(marker, start);
  if (end === -1 || end === start || src.charCodeAt(end - 1) === 0x5c /* \ */) return false;
  const next = end + marker.length;
  if (!display) {
    // Pandoc's rule keeps prices as text: no space inside the dollars, no digit right after the closing one.
    if (isSpace(src.charCodeAt(end - 1))) return false;
    const after = src.charCodeAt(next);
    if (after >= 0x30 && after <= 0x39) return false;
  }
  if (!silent) push(state, display, src.slice(start, end), marker);
  state.pos = next;
  return true;
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * MathML for one formula. A formula KaTeX cannot read stays as its source, delimiters and all,
 * in a <code>, so nothing the author wrote is lost.
 */
export function renderTex(tex: string, display: boolean, markup: string): string {
  let html: string;
  try {
    // trust: false refuses \href, \url and \html…; strict: "ignore" keeps LaTeX-compatibility warnings out of the build's output.
    html = loadKatex().renderToString(tex, { output: "mathml", displayMode: display, throwOnError: false, trust: false, strict: "ignore" });
  } catch {
    html = "";
  }
  if (html === "" || html.startsWith('<span class="katex-error"')) {
    const close = markup.startsWith("\\\\") ? markup.replace("(", ")").replace("[", "]") : markup;
    return `<code class="math-error">${escapeHtml(markup + tex + close)}</code>`;
  }
  // Pagefind indexes what readers see: the formula's symbols, not its hidden TeX annotation (screen readers skip it too).
  return html.replace('<annotation encoding="application/x-tex">', '<annotation encoding="application/x-tex" data-pagefind-ignore>');
}
