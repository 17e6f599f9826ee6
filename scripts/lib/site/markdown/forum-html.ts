// A forum body that only exists as HTML becomes Markdown, which the site renders with raw HTML off: no tag or attribute of it survives.
import { createRequire } from "node:module";
import TurndownService from "turndown";

// Turndown's own DOM (its types declare the module under another name, hence require).
const domino = createRequire(import.meta.url)("@mixmark-io/domino") as { createDocument(html?: string): Document };

/** A URL with no scheme, or http, https or mailto: anything else (javascript:, data:, vbscript:) is never a link. */
export function isAllowedUrl(url: string): boolean {
  // Browsers ignore control characters and spaces in a scheme ("java\tscript:"), so they are ignored here too.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\p{Cc} ]/gu, ""))?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "http" || scheme === "https" || scheme === "mailto";
}

/**
 * Text as Markdown that reads back as the same text: every character Markdown (or the forum's
 * math) could take as syntax is escaped, and a backslash becomes an entity so `\\(` is never math.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>&$~|]/g, (c) => (c === "\\" ? "&#92;" : `\\${c}`))
    .replace(/^(\s*)([-+=#])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2");
}

/** A link destination in angle brackets: spaces, parentheses and the like cannot end it early. */
function destination(url: string): string {
  return `<${url.trim().replace(/[\r\n]+/g, "").replace(/[\\<>&]/g, "\\$&").replace(/ /g, "%20")}>`;
}

function title(node: HTMLElement): string {
  const text = (node.getAttribute("title") ?? "").replace(/\s+/g, " ").trim();
  return text === "" ? "" : ` "${text.replace(/[\\"&]/g, "\\$&")}"`;
}

const hasClass = (node: HTMLElement, ...names: string[]): boolean => names.some((name) => node.classList?.contains(name) === true);

// ----- Math ----------------------------------------------------------------------------------

const MATH_ROOT = "span.math-tex, .mjpage, .mjx-chtml, mjx-container, math";
const DISPLAY = ".mjpage__block, .MJXc-display, [display=true], [display=block]";

/** The outermost element of one formula: MathJax 2 (mathjax-node), MathJax 3, CKEditor's source span, or MathML. */
function isMathRoot(node: HTMLElement): boolean {
  return node.matches?.(MATH_ROOT) === true && node.parentElement?.closest(MATH_ROOT) == null;
}

/** TeX and display mode of a formula: from its aria-label (where the forum keeps the TeX), else its annotation or source. */
export function mathSource(node: HTMLElement): { tex: string; display: boolean } | undefined {
  // domino's querySelector answers undefined, not null, when nothing matches.
  const display = node.matches(DISPLAY) || node.querySelector(DISPLAY) != null;
  const labelled = node.matches(".mjx-math[aria-label], mjx-container[aria-label]") ? node : node.querySelector(".mjx-math[aria-label], mjx-container[aria-label]");
  const label = labelled?.getAttribute("aria-label")?.trim();
  if (label) return { tex: label, display };
  const annotation = node.querySelector('annotation[encoding="application/x-tex"]')?.textContent?.trim();
  if (annotation) return { tex: annotation, display };
  const alt = (node.matches("math[alttext]") ? node : node.querySelector("math[alttext]"))?.getAttribute("alttext")?.trim();
  if (alt) return { tex: alt, display };
  // CKEditor's stored form: <span class="math-tex">\(x\)</span> or \[x\].
  const source = /^\s*\\([([])([\s\S]*)\\([)\]])\s*$/.exec(hasClass(node, "math-tex") ? (node.textContent ?? "") : "");
  if (source?.[2] !== undefined && source[2].trim() !== "") return { tex: source[2].trim(), display: source[1] === "[" };
  return undefined;
}

/** A formula in the forum's Markdown delimiters, on one line so no block syntax can cut it. */
export function mathMarkdown(tex: string, display: boolean): string {
  const line = tex.replace(/(^|[^\\])%[^\n]*/g, "$1").replace(/\s+/g, " ").trim();
  const [open, close] = display ? ["\\\\[", "\\\\]"] : ["\\\\(", "\\\\)"];
  if (!line.includes(close)) return `${open}${line}${close}`;
  return display ? `$$${line}$$` : `$${line}$`;
}

function mathReplacement(node: HTMLElement): string {
  const source = mathSource(node);
  return source === undefined ? escapeText(node.textContent ?? "") : mathMarkdown(source.tex, source.display);
}

/** MathJax 3 draws glyphs with CSS, leaving no text: give such formulas their TeX as text, or Turndown drops them and the spaces around them. */
function fillEmptyFormulas(root: HTMLElement): void {
  for (const node of Array.from(root.querySelectorAll(MATH_ROOT)) as HTMLElement[]) {
    if (isMathRoot(node) && (node.textContent ?? "").trim() === "") node.textContent = mathSource(node)?.tex ?? "";
  }
}

// ----- Footnotes -----------------------------------------------------------------------------

const NOTE_LIST = "ol.footnotes, ol.footnote-section, ol.footnotes-list, ol[role=doc-endnotes], section.footnotes, [role=doc-endnotes]";

function isNoteItem(node: Element): boolean {
  return node.nodeName === "LI" && (node.classList.contains("footnote-item") || node.getAttribute("role") === "doc-endnote" || node.parentElement?.matches(NOTE_LIST) === true);
}

interface Tree {
  ids: Map<string, Element>;
  /** Each note's label, 1, 2, … in document order. */
  labels: Map<Element, string>;
  /** Notes that some reference in the text points to. */
  referenced: Set<Element>;
}

// Turndown converts a detached copy of the body, so ids are looked up in that copy, not the document.
const trees = new WeakMap<Node, Tree>();

function topOf(node: Node): Node {
  let top = node;
  while (top.parentNode !== null) top = top.parentNode;
  return top;
}

function fragmentTarget(link: Element, ids: Map<string, Element>): Element | undefined {
  const href = link.getAttribute("href") ?? "";
  if (!href.startsWith("#") || href.length < 2) return undefined;
  let id = href.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch {
    // Kept as written.
  }
  return ids.get(id);
}

/** The note a fragment link points to, if it is a footnote reference (a note's own links never are). */
function noteOf(link: Element, ids: Map<string, Element>): Element | undefined {
  const target = fragmentTarget(link, ids);
  return target !== undefined && isNoteItem(target) && !target.contains(link) ? target : undefined;
}

function treeOf(node: Node): Tree {
  const top = topOf(node);
  let tree = trees.get(top);
  if (tree !== undefined) return tree;
  const elements = top.nodeType === 1 ? [top as Element, ...Array.from((top as Element).getElementsByTagName("*"))] : [];
  const ids = new Map<string, Element>();
  for (const element of elements) if (element.id !== "" && !ids.has(element.id)) ids.set(element.id, element);
  const items = elements.filter(isNoteItem);
  tree = { ids, labels: new Map(items.map((item, i) => [item, String(i + 1)])), referenced: new Set() };
  for (const link of elements) {
    const note = link.nodeName === "A" ? noteOf(link, ids) : undefined;
    if (note !== undefined) tree.referenced.add(note);
  }
  trees.set(top, tree);
  return tree;
}

function noteLabel(node: HTMLElement): string | undefined {
  if (node.nodeName !== "A") return undefined;
  const tree = treeOf(node);
  const note = noteOf(node, tree.ids);
  return note === undefined ? undefined : tree.labels.get(note);
}

/** A link from a note back to its reference: the site's footnotes make their own. */
function isBackLink(node: HTMLElement): boolean {
  if (hasClass(node, "footnote-back-link", "footnote-backref") || (node.nodeName === "HR" && hasClass(node, "footnotes-sep"))) return true;
  const item = node.nodeName === "A" ? node.closest("li") : null;
  if (item === null || !isNoteItem(item)) return false;
  const { ids } = treeOf(node);
  const target = fragmentTarget(node, ids);
  if (target === undefined) return false;
  const links = target.nodeName === "A" ? [target] : Array.from(target.getElementsByTagName("a"));
  return links.some((a) => noteOf(a, ids) === item);
}

function noteReplacement(content: string, node: HTMLElement): string {
  const { labels, referenced } = treeOf(node);
  const body = content.trim();
  // A note nothing points to would be dropped by the footnote plugin: it stays as a paragraph.
  if (!referenced.has(node)) return `\n\n${body}\n\n`;
  return `\n\n[^${labels.get(node) ?? "?"}]: ${body.replace(/\n/g, "\n    ").replace(/\n +\n/g, "\n\n")}\n\n`;
}

// ----- Links, images, embeds, code -----------------------------------------------------------

function linkReplacement(content: string, node: HTMLElement): string {
  const href = node.getAttribute("href") ?? "";
  if (href.trim() === "" || !isAllowedUrl(href)) return content;
  const text = content.trim() === "" ? escapeText(href) : content;
  return `[${text}](${destination(href)}${title(node)})`;
}

function imageReplacement(node: HTMLElement): string {
  const src = node.getAttribute("src") ?? "";
  const alt = escapeText((node.getAttribute("alt") ?? "").replace(/\s+/g, " ").trim());
  // Inside a link it is the link's text: the site's image link inside a link would nest links.
  if (src.trim() === "" || !isAllowedUrl(src) || node.closest("a[href]") !== null) return alt === "" ? "" : `\\[image: ${alt}\\]`;
  return `![${alt}](${destination(src)}${title(node)})`;
}

const EMBEDS = new Set(["IFRAME", "VIDEO", "AUDIO"]);

/** An embed (a video, a market, a poll) becomes a link to what it showed: the site loads nothing from other hosts. */
function embedReplacement(node: HTMLElement): string {
  const src = (node.getAttribute("src") ?? node.querySelector("source[src]")?.getAttribute("src") ?? "").trim();
  if (!/^https?:\/\//i.test(src)) return "";
  return `\n\n[embedded content: ${escapeText(src)}](${destination(src)})\n\n`;
}

const DROPPED = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "TITLE", "META", "LINK", "BASE", "OBJECT", "EMBED", "APPLET", "FRAME", "FRAMESET", "CANVAS", "SVG", "INPUT", "SELECT", "TEXTAREA", "BUTTON"]);

function codeBlockReplacement(node: HTMLElement): string {
  const code = (node.textContent ?? "").replace(/\n$/, "");
  const language = /(?:^|\s)language-([\w+#.-]+)/.exec(node.querySelector("code")?.getAttribute("class") ?? "")?.[1] ?? "";
  const fence = "`".repeat(Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `\n\n${fence}${language}\n${code}\n${fence}\n\n`;
}

function createService(): TurndownService {
  const service = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-", emDelimiter: "*", strongDelimiter: "**", hr: "---" });
  service.escape = escapeText;
  // Rules added later win: the general ones first, then footnotes and math.
  service.addRule("dropped", { filter: (node) => DROPPED.has(node.nodeName.toUpperCase()), replacement: () => "" });
  service.addRule("link", { filter: (node) => node.nodeName === "A" && node.hasAttribute("href"), replacement: linkReplacement });
  service.addRule("image", { filter: "img", replacement: (_content, node) => imageReplacement(node) });
  service.addRule("embed", { filter: (node) => EMBEDS.has(node.nodeName), replacement: (_content, node) => embedReplacement(node) });
  service.addRule("strikethrough", { filter: ["del", "s"], replacement: (content) => (content.trim() === "" ? "" : `~~${content}~~`) });
  service.addRule("codeBlock", { filter: "pre", replacement: (_content, node) => codeBlockReplacement(node) });
  service.addRule("footnoteBackLink", { filter: isBackLink, replacement: () => "" });
  service.addRule("footnoteReference", { filter: (node) => noteLabel(node) !== undefined, replacement: (_content, node) => `[^${noteLabel(node) ?? ""}]` });
  service.addRule("footnote", { filter: isNoteItem, replacement: noteReplacement });
  service.addRule("footnoteList", { filter: (node) => node.matches(NOTE_LIST), replacement: (content) => `\n\n${content}\n\n` });
  service.addRule("math", { filter: isMathRoot, replacement: (_content, node) => mathReplacement(node) });
  return service;
}

const service = createService();
const htmlDocument = domino.createDocument("");

/**
 * The Markdown of a forum comment's HTML (`contents.html` / `htmlBody`): text, links, emphasis,
 * lists, quotes, code, footnotes, MathJax formulas (as TeX) and images survive; scripts, styles,
 * event handlers and other URL schemes do not, since Markdown has no way to say them.
 */
export function forumHtmlToMarkdown(html: string): string {
  // Parsed as a <div>'s content: no wrapper the input could close early.
  const root = htmlDocument.createElement("div");
  root.innerHTML = html;
  fillEmptyFormulas(root);
  return service.turndown(root);
}
