// Names and titles are bidi-isolated: one ending in an unterminated right-to-left override must not reverse the text after it.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { HtmlValidate, NodeType, Parser, type DOMNode, type HtmlElement } from "html-validate";
import { buildSite, decodeEntities, htmlProblems, type BuiltSite } from "./helpers.ts";

const RLO = "\u202E";
const DISPLAY_NAME = `Mallory${RLO}`;
const USERNAME = `eve${RLO}`;
const THREAD = `Title ${RLO}one`;
const OTHER_THREAD = `Other ${RLO}two`;
const POST = `Post ${RLO}three`;
/** Every text an export lets a user choose that the pages show. */
const CHOSEN = [DISPLAY_NAME, USERNAME, THREAD, OTHER_THREAD, POST];

const header = (author: string, title: string, date: string): string => `**${author}**on ${title} · ${date} · LW · GW`;

function exportText(withEvesComment: boolean): string {
  const mallory = `${DISPLAY_NAME} (mallory)`;
  const comments = [
    [header(mallory, THREAD, "2021-03-03T00:00:00.000Z"), "Third."],
    [header(mallory, THREAD, "2021-03-02T00:00:00.000Z"), "Second."],
    [header(mallory, OTHER_THREAD, "2021-03-01T00:00:00.000Z"), "First."],
    ...(withEvesComment ? [[header(USERNAME, THREAD, "2021-02-01T00:00:00.000Z"), "Eve's."]] : []),
  ];
  return ["## Posts", "", `${POST} 2021-01-01T00:00:00.000Z · score: 3 (2 votes)`, "", "## Comments", "", ...comments.flatMap(([h, body]) => [h, "", body, ""])].join("\n");
}

interface ChosenText {
  text: string;
  /** The innermost <bdi> around the text, if any. */
  bdi: HtmlElement | undefined;
}

/** Every text node in the page's body holding a right-to-left override, with the <bdi> it sits in. */
function overriddenTexts(root: DOMNode): ChosenText[] {
  const found: ChosenText[] = [];
  const walk = (node: DOMNode, bdi: HtmlElement | undefined): void => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      if (node.textContent.includes(RLO)) found.push({ text: decodeEntities(node.textContent), bdi });
      return;
    }
    if (node.nodeType === NodeType.ELEMENT_NODE) {
      const element = node as HtmlElement;
      // <head> text (title, meta, JSON-LD) is not laid out next to other text on the page, nor is a chart's
      // <title> or <desc>, its accessible name: they isolate names with marks (see the test of <title>).
      if (element.tagName === "head" || element.tagName === "script" || element.tagName === "svg:title" || element.tagName === "svg:desc") return;
      if (element.tagName === "bdi") bdi = element;
    }
    for (const child of node.childNodes) walk(child, bdi);
  };
  walk(root, undefined);
  return found;
}

describe("bidi isolation of names and titles", () => {
  let site: BuiltSite;
  let parser: Parser;
  let exportDir: string;
  const pages = new Map<string, ChosenText[]>();

  const read = (html: string): ChosenText[] => overriddenTexts(parser.parseHtml(html));

  before(async () => {
    exportDir = await mkdtemp(path.join(tmpdir(), "commentarium-bidi-"));
    const file = path.join(exportDir, "bidi.md");
    await writeFile(file, exportText(true));
    site = await buildSite(file);
    parser = new Parser(await new HtmlValidate().getConfigFor("page.html"));
    for (const [name, html] of site.html) pages.set(name, read(html));
  });
  after(async () => {
    await site?.copy.remove();
    await rm(exportDir, { recursive: true, force: true });
  });

  test("every name, username and title on every page sits alone in a <bdi>", () => {
    let checked = 0;
    for (const [name, texts] of pages) {
      for (const { text, bdi } of texts) {
        assert.ok(bdi !== undefined, `${name}: ${JSON.stringify(text)} is not inside a <bdi>`);
        assert.ok(CHOSEN.includes(decodeEntities(bdi.textContent)), `${name}: the <bdi> holds only a name or title, not ${JSON.stringify(bdi.textContent)}`);
        checked++;
      }
    }
    assert.ok(checked > 50, `${checked} names and titles checked`);
  });

  test("names and titles are shown on the pages that list them", () => {
    const shown = (file: string): string[] => {
      const texts = pages.get(file);
      assert.ok(texts !== undefined, `${file} was built`);
      return [...new Set(texts.map((t) => t.text))].sort();
    };
    const mallory = "comments/mallory/20210302-000000-000/index.html";
    // Its h1, its neighbours by author (one on the other thread) and in the thread (Eve's).
    assert.deepEqual(shown(mallory), [DISPLAY_NAME, USERNAME, OTHER_THREAD, THREAD].sort());
    assert.deepEqual(shown("authors/index.html"), [DISPLAY_NAME, USERNAME].sort());
    assert.deepEqual(shown("authors/mallory/index.html"), [DISPLAY_NAME, OTHER_THREAD, POST, THREAD].sort());
    assert.deepEqual(shown("index.html"), [DISPLAY_NAME, USERNAME, OTHER_THREAD, POST, THREAD].sort());
    assert.deepEqual(shown("threads/index.html"), [DISPLAY_NAME, OTHER_THREAD, POST, THREAD].sort());
    assert.deepEqual(shown("archive/2021/03/index.html"), [DISPLAY_NAME, OTHER_THREAD, THREAD].sort());
    const postThread = [...pages.keys()].find((file) => file.startsWith("threads/post-") && file.endsWith("/index.html"));
    assert.ok(postThread !== undefined, "the post's thread page was built");
    assert.deepEqual(shown(postThread), [DISPLAY_NAME, POST].sort(), "its title and its author");
  });

  test("in <title> and feed titles, where no <bdi> can go, names and titles sit between isolate marks", () => {
    const FSI = "\u2068";
    const PDI = "\u2069";
    const title = (html: string): string => decodeEntities(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "");
    const mallory = site.html.get("comments/mallory/20210302-000000-000/index.html") ?? "";
    assert.equal(title(mallory).split(" · ")[0], `${FSI}${DISPLAY_NAME}${PDI} on ${FSI}${THREAD}${PDI}`);
    assert.ok(title(site.html.get("authors/mallory/index.html") ?? "").startsWith(`${FSI}${DISPLAY_NAME}${PDI}`));
    const chartTitle = decodeEntities(/<svg[^>]*>\s*<title[^>]*>([^<]*)<\/title>/.exec(site.html.get("authors/mallory/index.html") ?? "")?.[1] ?? "");
    assert.match(chartTitle, new RegExp(`^Comments by ${FSI}${DISPLAY_NAME}${PDI} per month`, "u"), "the author's chart");
    const feed = site.files.get("authors/mallory/feed.xml")?.toString("utf8") ?? "";
    const entries = [...feed.matchAll(/<entry>[\s\S]*?<title>([^<]*)<\/title>/g)].map((m) => decodeEntities(m[1] ?? ""));
    assert.ok(entries.length > 0, "the feed has entries");
    for (const entry of entries) assert.match(entry, new RegExp(`^${FSI}${DISPLAY_NAME}${PDI} on ${FSI}.*${PDI}$`, "u"));
  });

  test("the pages are valid HTML", async () => {
    assert.deepEqual(await htmlProblems(site), []);
  });

  test("a removed comment's page isolates its author and thread", async () => {
    await writeFile(path.join(site.copy.dir, "archives", "bidi.md"), exportText(false));
    const files = await site.rebuild();
    const removed = [...files.keys()].find((file) => file.startsWith("comments/eve") && file.endsWith("/index.html"));
    assert.ok(removed !== undefined, "the removed comment's address still has a page");
    const texts = read(files.get(removed)?.toString("utf8") ?? "");
    assert.deepEqual([...new Set(texts.map((t) => t.text))].sort(), [USERNAME, THREAD].sort());
    for (const { text, bdi } of texts) assert.ok(bdi !== undefined && CHOSEN.includes(decodeEntities(bdi.textContent)), `${removed}: ${JSON.stringify(text)} sits alone in a <bdi>`);
  });
});
