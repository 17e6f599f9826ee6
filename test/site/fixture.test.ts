// The fixture archive (test/fixtures/site/): hostile titles and bodies, two authors, footnotes, headings, posts and a paginated thread.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { HOSTILE_TITLE, LONG_THREAD_COMMENTS } from "../fixtures/site/generate.ts";
import {
  assertFileExists,
  brokenLinks,
  buildSite,
  duplicateIds,
  exportedComments,
  FIXTURE,
  htmlProblems,
  scriptUrls,
  section,
  stampOf,
  textOf,
  unexpectedScripts,
  wordsOf,
  type BuiltSite,
  type ExportedComment,
} from "./helpers.ts";

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", htmlEntities: true });
const HOSTILE_SLUG = "tricky-b-quotes-b-and-apostrophes-script-script-alert-title-script";
const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const cards = (html: string): string[] => [...html.matchAll(/<article class="comment-card h-entry" id="([^"]+)">/g)].map((m) => m[1] ?? "");

describe("the fixture site", () => {
  let site: BuiltSite;
  let exported: ExportedComment[];

  before(async () => {
    site = await buildSite(FIXTURE);
    exported = exportedComments(await readFile(FIXTURE, "utf8"));
  });
  after(() => site?.copy.remove());

  test("escapes a title with markup and quotes in the page, its meta tags, JSON-LD and feeds", () => {
    const thread = assertFileExists(site, `threads/${HOSTILE_SLUG}/index.html`);
    const escaped = escapeHtml(HOSTILE_TITLE);
    assert.ok(thread.includes(`<h1><bdi>${escaped}</bdi></h1>`));
    assert.ok(thread.includes(`<title>\u2068${escaped}\u2069 · `));
    assert.ok(thread.includes(`<meta property="og:title" content="\u2068${escaped}\u2069">`));
    assert.ok(!thread.includes(HOSTILE_TITLE), "the raw title appears nowhere");

    const comment = assertFileExists(site, "comments/alice/20210203-040506-007/index.html");
    assert.ok(comment.includes(`<meta property="og:title" content="\u2068alice\u2069 on \u2068${escaped}\u2069">`));
    const ld = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(comment)?.[1] ?? "";
    assert.ok(!/<\/script/i.test(ld), "nothing in the JSON-LD can close its script element");
    const data = JSON.parse(ld) as { parentItem: { headline: string }; text: string };
    assert.equal(data.parentItem.headline, HOSTILE_TITLE, "the JSON-LD holds the exact title");

    const feed = assertFileExists(site, `threads/${HOSTILE_SLUG}/feed.xml`);
    assert.equal(XMLValidator.validate(feed), true);
    const parsed = xml.parse(feed) as { feed: { title: string; entry: { title: string }[] } };
    assert.equal(parsed.feed.title, `Comments on ${HOSTILE_TITLE} · interstice: comment archive`);
    assert.deepEqual(
      parsed.feed.entry.map((e) => e.title),
      [`\u2068Bob O'Brien\u2069 on \u2068${HOSTILE_TITLE}\u2069`, `\u2068alice\u2069 on \u2068${HOSTILE_TITLE}\u2069`],
    );
  });

  test("shows raw HTML in a comment as text and drops a javascript: link", () => {
    const html = assertFileExists(site, "comments/alice/20210203-040506-007/index.html");
    const body = section(html, /<div class="comment-body e-content">/, "div");
    assert.ok(body.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(body.includes("&lt;img src=x onerror=alert(2)&gt;"));
    assert.ok(!/<img\b/.test(body));
    assert.ok(body.includes("[bad link](javascript:alert(3))"), "the refused link stays visible as text");
    assert.ok(body.includes(`<a href="https://example.org/page?a=1&amp;b=2" rel="nofollow ugc noopener">good one</a>`));
    assert.deepEqual(unexpectedScripts(site), []);
    assert.deepEqual(scriptUrls(site), []);
  });

  test("names a `Display Name (username)` author by name, with the username, at a URL from the username", () => {
    const page = assertFileExists(site, "authors/bob_ob/index.html");
    assert.ok(page.includes(`<h1><bdi>Bob O&#39;Brien</bdi> <span class="page-header__username">@<bdi>bob_ob</bdi></span></h1>`));
    const bobs = exported.filter((c) => c.username === "bob_ob");
    assert.ok(page.includes(`<dd>${bobs.length} comments</dd>`));
    assert.ok(page.includes(`<dd>3 threads</dd>`));
    const comment = assertFileExists(site, `comments/bob_ob/${stampOf(bobs[0]?.date ?? "")}/index.html`);
    assert.ok(comment.includes(`data-pagefind-meta="author"><bdi>Bob O&#39;Brien</bdi></a>`));
    const index = assertFileExists(site, "authors/index.html");
    assert.ok(index.includes(`<a href="/authors/bob_ob/"><bdi>Bob O&#39;Brien</bdi></a> <span class="muted">@<bdi>bob_ob</bdi></span>`));
  });

  test("paginates a thread of more than 100 comments, each comment's thread link naming its page", () => {
    const long = exported.filter((c) => c.title === "A long thread").sort((a, b) => (a.date < b.date ? -1 : 1));
    assert.equal(long.length, LONG_THREAD_COMMENTS);
    const first = assertFileExists(site, "threads/a-long-thread/index.html");
    const second = assertFileExists(site, "threads/a-long-thread/page/2/index.html");
    assert.equal(site.files.has("threads/a-long-thread/page/3/index.html"), false);
    const anchors = [...cards(first), ...cards(second)];
    assert.equal(cards(first).length, 100);
    assert.deepEqual(
      anchors,
      long.map((c) => `c-${c.username}-${stampOf(c.date)}`),
      "every comment once, oldest first, across both pages",
    );
    assert.ok(first.includes(`<a href="/threads/a-long-thread/page/2/" rel="next">Next page</a>`));
    assert.ok(second.includes(`<a href="/threads/a-long-thread/" rel="prev">Previous page</a>`));
    assert.ok(second.includes(`<ol class="card-list h-feed" start="101">`));
    const last = long.at(-1) as ExportedComment;
    const page = assertFileExists(site, `comments/${last.username}/${stampOf(last.date)}/index.html`);
    assert.ok(page.includes(`href="/threads/a-long-thread/page/2/#c-${last.username}-${stampOf(last.date)}" data-pagefind-filter="thread"`));
    assert.ok(second.includes("(page 2 of 2)"));
    assert.ok(first.includes(`${LONG_THREAD_COMMENTS} archived comments by 2 authors`));
    assert.ok(second.includes("Archived comments 101–120, <time") && !second.includes(`${LONG_THREAD_COMMENTS} archived comments`), "the thread's count only on its first page");
  });

  test("gives the post of a thread its date, author and score, and lists an author's posts", () => {
    const thread = assertFileExists(site, `threads/${HOSTILE_SLUG}/index.html`);
    assert.match(thread, /Post by <a href="\/authors\/alice\/"><bdi>alice<\/bdi><\/a>, <time datetime="2021-02-01T00:00:00.000Z">1 February 2021, 00:00 UTC<\/time> · score 42 \(17 votes\)/);
    const empty = assertFileExists(site, "threads/a-post-with-no-archived-comments/index.html");
    assert.ok(empty.includes("score -3 (1 vote)"));
    assert.ok(empty.includes("No comments on this post are in the archive."));
    const alice = assertFileExists(site, "authors/alice/index.html");
    const posts = section(alice, /<section class="section" aria-labelledby="posts-heading">/, "section");
    assert.deepEqual(
      [...posts.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]),
      [`/threads/${HOSTILE_SLUG}/`, "/threads/a-long-thread/", "/threads/a-post-with-no-archived-comments/"],
      "newest post first",
    );
  });

  test("pages an author's comments newest first, numbered from the oldest so that a page keeps its comments", () => {
    const alices = exported.filter((c) => c.username === "alice").sort((a, b) => (a.date > b.date ? -1 : 1));
    assert.ok(alices.length >= 200 && alices.length < 300, `${alices.length} comments: her own page and page 1`);
    const own = assertFileExists(site, "authors/alice/index.html");
    const oldest = assertFileExists(site, "authors/alice/page/1/index.html");
    assert.equal(site.files.has("authors/alice/page/2/index.html"), false);
    const listedOn = (html: string): string[] =>
      [...section(html, /<ol class="summary-list h-feed"/, "ol").matchAll(/<h3 class="summary__title"><a class="u-url" href="([^"]+)">/g)].map((m) => m[1] ?? "");
    assert.equal(listedOn(oldest).length, 100, "the oldest hundred on page 1");
    assert.deepEqual([...listedOn(own), ...listedOn(oldest)], alices.map((c) => `/comments/alice/${stampOf(c.date)}/`), "every comment once, newest first");
    assert.ok(own.includes(`<ol class="summary-list h-feed" reversed start="${alices.length}">`));
    assert.ok(oldest.includes(`<ol class="summary-list h-feed" reversed start="100">`));
    assert.ok(own.includes("Threads <bdi>alice</bdi> commented on") && own.includes(`<dd>${alices.length} comments</dd>`));
    const threads = section(own, /<section class="section" aria-labelledby="threads-heading">/, "section");
    assert.deepEqual(
      [...threads.matchAll(/<li><a href="\/threads\/([^/]+)\/">/g)].map((m) => m[1]),
      ["headings-and-structure", HOSTILE_SLUG, "a-long-thread", "a-notebook"],
      "the thread of her latest comment first",
    );
    assert.ok(!oldest.includes("Threads <bdi>alice</bdi> commented on") && !oldest.includes(`<dl class="stats">`), "her counts and lists only on her own page");
    assert.ok(oldest.includes("<title>\u2068alice\u2069 (comments 1–100) · "));
    assert.ok(oldest.includes(`<a href="/authors/alice/" rel="prev">Newer comments</a>`) && own.includes(`<a href="/authors/alice/page/1/" rel="next">Older comments</a>`));
    assert.ok(own.includes(`<a href="/authors/alice/" aria-current="page">Latest</a>`));
    assert.ok(own.includes(`Comments 101–${alices.length}, counted from the first`));

    // The long thread fills December 2020, so that month and its year run to a second page.
    const december = exported.filter((c) => c.date.startsWith("2020-12")).length;
    assert.equal(december, LONG_THREAD_COMMENTS);
    const month = assertFileExists(site, "archive/2020/12/index.html");
    assert.ok(month.includes(`${december} archived comments.`));
    const monthLater = assertFileExists(site, "archive/2020/12/page/2/index.html");
    assert.ok(monthLater.includes("Archived comments 101–120, <time") && !monthLater.includes(`${december} archived comments`), "the month's count only on its first page");
    assert.ok(site.files.has("archive/2020/12/page/2/index.html") && site.files.has("archive/2020/page/2/index.html"));
    assert.equal(site.files.has("archive/2020/12/page/3/index.html"), false);
    const year2020 = assertFileExists(site, "archive/2020/index.html");
    assert.ok(year2020.includes(`<a href="/archive/2020/12/">December 2020</a> <span class="muted">${december} comments</span>`));
    const year2021 = exported.filter((c) => c.date.startsWith("2021")).length;
    const index = assertFileExists(site, "archive/index.html");
    assert.ok(index.includes(`<a href="/archive/2021/">2021</a> <span class="muted">${year2021} comments</span>`));
    assert.ok(index.includes(`<a href="/archive/2021/03/">March 2021</a> <span class="muted">2 comments</span>`));
  });

  test("scopes footnotes per comment and keeps one h1 with comment headings below it, never skipping a level", () => {
    const reply = assertFileExists(site, "comments/bob_ob/20210203-050000-000/index.html");
    assert.ok(reply.includes(`<li id="fn-c-bob_ob-20210203-050000-000-1" class="footnote-item"><p>First note text`));
    assert.ok(reply.includes(`href="#fn-c-bob_ob-20210203-050000-000-2"`));

    const headings = assertFileExists(site, "comments/alice/20210310-120000-000/index.html");
    assert.equal([...headings.matchAll(/<h1[\s>]/g)].length, 1);
    assert.ok(headings.includes("<h2>A top heading</h2>"));
    assert.ok(headings.includes("<h3>Skipped a level</h3>"));
    const thread = assertFileExists(site, "threads/headings-and-structure/index.html");
    assert.ok(thread.includes("<h3>A top heading</h3>") && thread.includes("<h4>Skipped a level</h4>"), "one level below the cards' h2");
    assert.ok(thread.includes("fenced &lt;code&gt; block"));
  });

  test("has no broken internal link, no duplicate id and valid HTML", async () => {
    assert.deepEqual(brokenLinks(site), []);
    assert.deepEqual(duplicateIds(site), []);
    assert.deepEqual(await htmlProblems(site), []);
  });

  test("shows every comment's text on its own page", () => {
    for (const c of exported) {
      const html = assertFileExists(site, `comments/${c.username}/${stampOf(c.date)}/index.html`);
      const text = textOf(section(html, /<div class="comment-body e-content">/, "div"));
      for (const word of wordsOf(c.body)) assert.ok(text.includes(word), `${c.date}: "${word}"`);
    }
  });
});
