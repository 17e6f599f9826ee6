// Forum API bodies: math as MathML, HTML made safe by way of Markdown, links that work off the forum.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, test } from "node:test";
import fc from "fast-check";
import { HtmlValidate } from "html-validate";
import * as pagefind from "pagefind";
import { parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { renderForumBody, type ForumBody } from "../../scripts/lib/site/markdown/forum-body.ts";
import { forumHtmlToMarkdown } from "../../scripts/lib/site/markdown/forum-html.ts";
import { forumHref } from "../../scripts/lib/site/markdown/forum-links.ts";
import { renderComment } from "../../scripts/lib/site/markdown/index.ts";

type Node = DefaultTreeAdapterMap["childNode"];
type Element = DefaultTreeAdapterMap["element"];

const FIXTURES = path.join(import.meta.dirname, "../fixtures/forum-body");
const MATHML = "http://www.w3.org/1998/Math/MathML";
const OPTIONS = { forumOrigin: "https://www.lesswrong.com", scope: "c-test" };

const render = (body: ForumBody) => renderForumBody(body, OPTIONS);

/** markdown-it's fixture format: a description, then input and expected output, each closed by a line holding one dot. */
async function fixtures(file: string): Promise<{ title: string; input: string; expected: string }[]> {
  const lines = (await readFile(path.join(FIXTURES, file), "utf8")).split("\n");
  const cases: { title: string; input: string; expected: string }[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]?.trim() === "") {
      i++;
      continue;
    }
    const title = lines[i] ?? "";
    assert.equal(lines[i + 1], ".", `${file}: "${title}" is not followed by a line with one dot`);
    const parts: string[] = [];
    i += 2;
    for (let part = 0; part < 2; part++) {
      const start = i;
      while (i < lines.length && lines[i] !== ".") i++;
      assert.ok(i < lines.length, `${file}: "${title}" is not closed`);
      parts.push(lines.slice(start, i).join("\n"));
      i++;
    }
    cases.push({ title, input: parts[0] ?? "", expected: parts[1] ?? "" });
  }
  assert.ok(cases.length > 0, `${file} has no cases`);
  return cases;
}

function elements(nodes: Node[], out: Element[] = []): Element[] {
  for (const node of nodes) {
    if ("tagName" in node) {
      out.push(node);
      elements(node.childNodes, out);
      if (node.tagName === "template") elements((node as DefaultTreeAdapterMap["template"]).content.childNodes, out);
    }
  }
  return out;
}

const parse = (html: string): Element[] => elements(parseFragment(html).childNodes);
const attr = (element: Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;

function textOf(node: Node | DefaultTreeAdapterMap["documentFragment"]): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterMap["textNode"]).value;
  return "childNodes" in node ? node.childNodes.map(textOf).join("") : "";
}

/** The text a reader sees: a formula's TeX annotation is not shown. */
const visibleText = (node: Node): string => ("tagName" in node && node.tagName === "annotation" ? "" : "childNodes" in node ? node.childNodes.map(visibleText).join("") : textOf(node));

/** The problems that would let a body run code, restyle the page or load from another host. */
function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  for (const element of parse(html)) {
    if (["script", "style", "iframe", "object", "embed", "svg", "form", "input", "button", "img", "link", "meta", "base", "frame"].includes(element.tagName)) problems.push(`<${element.tagName}>`);
    for (const { name, value } of element.attrs) {
      if (/^on/i.test(name) || name === "style" || name === "srcdoc") problems.push(`${element.tagName}[${name}]`);
      if ((name === "href" || name === "src") && !/^(?:https?:\/\/|mailto:|\/(?!\/)|#)/i.test(value)) problems.push(`${element.tagName}[${name}=${value}]`);
    }
  }
  return problems;
}

describe("forum body fixtures", () => {
  test("markdown.txt: the API's Markdown renders as expected", async () => {
    for (const { title, input, expected } of await fixtures("markdown.txt")) assert.equal(render({ markdown: input }).html, `${expected}\n`, title);
  });

  test("html-to-markdown.txt: the API's HTML becomes the expected Markdown", async () => {
    for (const { title, input, expected } of await fixtures("html-to-markdown.txt")) assert.equal(forumHtmlToMarkdown(input), expected, title);
  });

  test("html.txt: the API's HTML renders as expected", async () => {
    for (const { title, input, expected } of await fixtures("html.txt")) assert.equal(render({ html: input }).html, `${expected}\n`, title);
  });
});

describe("math", () => {
  test("inline and display formulas become MathML <math> elements, display ones as blocks", () => {
    const { html } = render({ markdown: "Inline $a^2+b^2$, display $$\\int_0^1 f(x)\\,dx$$, and \\\\(\\alpha\\\\) \\\\[\\beta\\\\] \\begin{align}x&=1\\end{align}" });
    const maths = parse(html).filter((e) => e.tagName === "math");
    assert.deepEqual(maths.map((m) => m.namespaceURI), Array(5).fill(MATHML));
    assert.deepEqual(maths.map((m) => attr(m, "display") ?? "inline"), ["inline", "block", "inline", "block", "block"]);
    const annotations = parse(html).filter((e) => e.tagName === "annotation");
    assert.deepEqual(annotations.map((a) => textOf(a)), ["a^2+b^2", "\\int_0^1 f(x)\\,dx", "\\alpha", "\\beta", "\\begin{align}x&=1\\end{align}"]);
    assert.ok(annotations.every((a) => attr(a, "encoding") === "application/x-tex" && attr(a, "data-pagefind-ignore") === ""));
    assert.deepEqual(unsafeParts(html), []);
    assert.doesNotMatch(html, /katex-error|<code/);
  });

  test("what readers see of a formula is its symbols: <mi>, <mo>, <mn> in the MathML", () => {
    const maths = parse(render({ markdown: "$x+1$" }).html).filter((e) => e.namespaceURI === MATHML);
    assert.deepEqual(
      maths.filter((e) => ["mi", "mo", "mn"].includes(e.tagName)).map((e) => `${e.tagName}:${textOf(e)}`),
      ["mi:x", "mo:+", "mn:1"],
    );
  });

  test("a formula KaTeX rejects keeps its source, in a <code>, and never an inline style", () => {
    for (const [markdown, source] of [
      ["a $\\frac{1$ b", "$\\frac{1$"],
      ["a $$\\begin{array}$$ b", "$$\\begin{array}$$"],
      ["a \\\\(\\sqrt[\\\\) b", "\\\\(\\sqrt[\\\\)"],
    ] as const) {
      const { html, text } = render({ markdown });
      const codes = parse(html).filter((e) => e.tagName === "code");
      assert.deepEqual(codes.map((c) => textOf(c)), [source], markdown);
      assert.doesNotMatch(html, /<math|style=/, markdown);
      assert.match(text, /^a .+ b$/, markdown);
    }
  });

  test("commands that could link, style or add HTML are refused (trust: false)", () => {
    const { html } = render({ markdown: "$\\href{javascript:alert(1)}{x}$ $\\htmlStyle{color:red}{y}$ $\\url{https://example.org}$ $\\htmlId{main}{z}$" });
    const names = parse(html).flatMap((e) => e.attrs.map((a) => a.name));
    assert.ok(!names.some((n) => ["href", "style", "id"].includes(n)), names.join(" "));
  });

  test("dollar amounts stay text in forum Markdown; the export's bodies never have math", () => {
    assert.equal(render({ markdown: "Pay $5 and $10." }).html, "<p>Pay $5 and $10.</p>\n");
    assert.equal(renderComment("It was $5 and $10.", "c-x").html, "<p>It was $5 and $10.</p>\n");
    assert.equal(renderComment("Let $x^2$ be $$y$$.", "c-x").html, "<p>Let $x^2$ be $$y$$.</p>\n");
  });

  test("MathJax HTML from the forum yields the same MathML as the same TeX in Markdown", () => {
    const fromMarkdown = (tex: string, display: boolean) => render({ markdown: display ? `$$${tex}$$` : `$${tex}$` }).html.replace(/^<p>|<\/p>\n$/g, "");
    const cases = [
      ["x^2 + 1", false, `<span class="mjpage"><span class="mjx-chtml"><span class="mjx-math" aria-label="x^2 + 1"><span class="mjx-mrow" aria-hidden="true">x2+1</span></span></span></span>`],
      ["\\sum_{i=1}^n i", true, `<span class="mjpage mjpage__block"><span class="mjx-chtml MJXc-display" style="text-align: center;"><span class="mjx-math" aria-label="\\sum_{i=1}^n i"><span aria-hidden="true">∑</span></span></span></span>`],
      ["\\frac{a}{b}", false, `<mjx-container class="MathJax" jax="CHTML" role="math" aria-label="\\frac{a}{b}"><mjx-math><mjx-c class="mjx-c1D44E"></mjx-c></mjx-math></mjx-container>`],
      ["E = mc^2", true, `<mjx-container class="MathJax" jax="CHTML" display="true" aria-label="E = mc^2"></mjx-container>`],
      ["\\sqrt{2}", false, `<span class="math-tex">\\(\\sqrt{2}\\)</span>`],
    ] as const;
    for (const [tex, display, html] of cases) {
      const rendered = render({ html: `<p>${html}</p>` }).html.replace(/^<p>|<\/p>\n$/g, "");
      assert.equal(rendered, fromMarkdown(tex, display), tex);
      assert.match(rendered, /^<span class="katex"><math /, tex);
    }
  });

  test("the plain text of a formula is its TeX", () => {
    assert.equal(render({ markdown: "Let $x^2$ be *big*.\n\n$$\\sum i$$" }).text, "Let x^2 be big. \\sum i");
    assert.equal(render({ html: '<p>Let <span class="mjpage"><span class="mjx-chtml"><span class="mjx-math" aria-label="x^2">x2</span></span></span> be.</p>' }).text, "Let x^2 be.");
  });

  test("pages with formulas are valid HTML", async () => {
    const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
    const { html } = render({ markdown: "Inline $x$, $$\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}$$ and $\\frac{1$.[^1]\n\n[^1]: Note $\\mathbb{R}$." });
    const report = await validator.validateString(`<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>${html}</main></body></html>`);
    assert.deepEqual(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)), []);
  });

  test("Pagefind indexes the words around a formula and its symbols, not its TeX", async () => {
    const { html } = render({ markdown: "Before $\\frac{\\alpha}{\\beta}$ after, $$\\mathbb{R}^n$$ end." });
    const { index } = await pagefind.createIndex({});
    assert.ok(index);
    const dir = await mkdtemp(path.join(tmpdir(), "forum-body-pagefind-"));
    try {
      await index.addHTMLFile({ url: "/c/", content: `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><article data-pagefind-body>${html}</article></body></html>` });
      await index.writeFiles({ outputPath: dir });
      const [fragment] = await readdir(path.join(dir, "fragment"));
      assert.ok(fragment !== undefined);
      const record = JSON.parse(gunzipSync(await readFile(path.join(dir, "fragment", fragment))).toString("utf8").replace(/^pagefind_dcd/, "")) as { content: string };
      assert.match(record.content, /^Before αβ after, Rn end\.$/);
      assert.doesNotMatch(record.content, /frac|mathbb|\\/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await pagefind.close();
    }
  });
});

describe("HTML bodies", () => {
  const hostile = `<p onclick="steal()" style="color:red">Hello <script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">click</a>
    <a href=" JaVa&#x09;ScRiPt:alert(1)">tabbed</a> <a href="data:text/html;base64,PHNjcmlwdD4=">data</a> <a href="vbscript:x">vb</a>
    <img src="/i.png" onerror="alert(1)" alt="pic"> <img src="javascript:alert(1)" alt="jsimg"></p>
    <iframe src="javascript:alert(1)">frame text</iframe><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>
    <svg onload="alert(1)"><a href="javascript:x"><text>svg</text></a></svg><style>body{display:none}</style>
    <object data="evil.swf">obj</object><embed src="evil.swf"><form action="https://evil.example/"><input value="v"><button>Go</button></form>
    <base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css">
    <details open ontoggle="alert(1)"><summary>More</summary><p>Kept <b style="x">words</b></p></details>`;

  test("scripts, handlers, styles, javascript: and data: URLs and embeds are gone; the text stays", () => {
    const { html, text } = render({ html: hostile });
    assert.deepEqual(unsafeParts(html), []);
    assert.doesNotMatch(html, /javascript|vbscript|alert|steal|evil|srcdoc|base64/i);
    for (const words of ["Hello", "click", "tabbed", "data", "vb", "pic", "[image: jsimg]", "More", "Kept", "words"]) assert.ok(text.includes(words), words);
    const links = parse(html).filter((e) => e.tagName === "a").map((a) => attr(a, "href"));
    assert.deepEqual(links, ["https://www.lesswrong.com/i.png"]);
  });

  test("whatever text the HTML holds reads back the same, never as Markdown, HTML or math", () => {
    const units = [..."ab 1.-+=#>*_`[]()<>&$~|\\!^:;{}\"'/%\u00e9\u03b1"];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...units), maxLength: 40 }), (s) => {
        const escaped = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
        const { html, text } = render({ html: `<p>${escaped}</p>` });
        assert.equal(text, s.replace(/\s+/g, " ").trim());
        assert.doesNotMatch(html, /<(?!\/?p>)/);
      }),
      { numRuns: 500 },
    );
  });

  test("footnotes survive: references link to notes holding the note's text, under the comment's scope", () => {
    const { html, text } = render({
      html: `<p>A<span class="footnote-reference" role="doc-noteref" id="fnrefq1"><sup><a href="#fnq1">[1]</a></sup></span> and B<span class="footnote-reference" role="doc-noteref" id="fnrefq2"><sup><a href="#fnq2">[2]</a></sup></span>.</p><ol class="footnote-section footnotes" role="doc-endnotes"><li class="footnote-item" role="doc-endnote" id="fnq1"><span class="footnote-back-link"><sup><strong><a href="#fnrefq1">^</a></strong></sup></span><div class="footnote-content"><p>Note <em>one</em> with <span class="mjpage"><span class="mjx-chtml"><span class="mjx-math" aria-label="z">z</span></span></span>.</p></div></li><li class="footnote-item" role="doc-endnote" id="fnq2"><span class="footnote-back-link"><sup><strong><a href="#fnrefq2">^</a></strong></sup></span><div class="footnote-content"><p>Note two.</p></div></li></ol>`,
    });
    const all = parse(html);
    const refs = all.filter((e) => e.tagName === "sup" && attr(e, "class") === "footnote-ref").map((sup) => elements(sup.childNodes).map((a) => attr(a, "href")));
    assert.deepEqual(refs, [["#fn-c-test-1"], ["#fn-c-test-2"]]);
    const notes = all.filter((e) => e.tagName === "li" && attr(e, "class") === "footnote-item");
    assert.deepEqual(notes.map((li) => attr(li, "id")), ["fn-c-test-1", "fn-c-test-2"]);
    assert.deepEqual(notes.map((li) => visibleText(li).replace(/\s*↩︎\s*$/, "").replace(/\s+/g, " ").trim()), ["Note one with z.", "Note two."]);
    assert.ok(elements(notes[0]?.childNodes ?? []).some((e) => e.tagName === "math"), "the note's formula is MathML");
    assert.equal(text, "A and B. Note one with z. Note two.");
  });

  test("the API's Markdown wins over its HTML; neither gives an empty body", () => {
    assert.equal(render({ markdown: "From *markdown*", html: "<p>From html</p>" }).html, "<p>From <em>markdown</em></p>\n");
    assert.equal(render({ markdown: "  ", html: "<p>From html</p>" }).html, "<p>From html</p>\n");
    assert.equal(render({ markdown: null, html: null }).html, "");
    assert.equal(render({}).text, "");
  });
});

describe("forum links", () => {
  test("hrefs: relative ones get the forum's origin, links to forum comments name the comment, other schemes no link", () => {
    const cases: [string, string | undefined, string?][] = [
      ["/posts/a/b", "https://www.lesswrong.com/posts/a/b"],
      ["posts/a/b", "https://www.lesswrong.com/posts/a/b"],
      ["//example.org/x", "https://example.org/x"],
      ["?commentId=inArchive00000001", "https://www.lesswrong.com/?commentId=inArchive00000001", "inArchive00000001"],
      ["/posts/a/b/comment/inArchive00000002", "https://www.lesswrong.com/posts/a/b/comment/inArchive00000002", "inArchive00000002"],
      ["https://LessWrong.com/posts/a/b?commentId=inArchive00000001", "https://LessWrong.com/posts/a/b?commentId=inArchive00000001", "inArchive00000001"],
      ["https://ea.greaterwrong.com/posts/a/b/comment/inArchive00000002", "https://ea.greaterwrong.com/posts/a/b/comment/inArchive00000002", "inArchive00000002"],
      ["https://forum.effectivealtruism.org/posts/a/b?commentId=inArchive00000001", "https://forum.effectivealtruism.org/posts/a/b?commentId=inArchive00000001"],
      ["#fn1", "#fn1"],
      ["mailto:a@example.org", "mailto:a@example.org"],
      ["javascript:alert(1)", undefined],
      ["ftp://example.org/", undefined],
      ["tel:+100", undefined],
      ["data:image/png;base64,AA", undefined],
      ["", undefined],
    ];
    for (const [href, expected, commentId] of cases) {
      const link = forumHref(href, OPTIONS.forumOrigin);
      assert.equal(link?.href, expected, href);
      assert.equal(link?.commentId, commentId, `${href}: the comment it names`);
    }
  });

  test("a link to a forum comment names it before its href, and the render lists each comment linked once", () => {
    const { html, linkedComments } = render({ markdown: "[one](?commentId=bbbbbbbbbbbbbbbbb), [two](/posts/a/b/comment/aaaaaaaaaaaaaaaaa), [again](?commentId=bbbbbbbbbbbbbbbbb)" });
    assert.match(html, /<a data-comment-id="bbbbbbbbbbbbbbbbb" href="https:\/\/www\.lesswrong\.com\/\?commentId=bbbbbbbbbbbbbbbbb"/);
    assert.deepEqual(linkedComments, ["aaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbb"]);
  });

  test("inline footnotes' links are rewritten too", () => {
    const { html } = render({ markdown: "Text^[See [the post](/posts/a/b).]" });
    assert.match(html, /<a href="https:\/\/www\.lesswrong\.com\/posts\/a\/b" rel="nofollow ugc noopener">the post<\/a>/);
  });

  test("the export's bodies keep their links as written", () => {
    assert.equal(renderComment("[p](/posts/a/b?commentId=inArchive00000001)", "c-x").html, '<p><a href="/posts/a/b?commentId=inArchive00000001">p</a></p>\n');
  });
});
