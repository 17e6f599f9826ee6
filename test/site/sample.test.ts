// The sample archive built with the real build: every page, feed and sitemap entry, checked against the export itself.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { loadSiteArchive } from "../../scripts/lib/site/load-archive.ts";
import { sitePages, TEMPLATES } from "../../scripts/lib/site/page-model.ts";
import { markdownFile, outputFile } from "../../scripts/lib/site/render-plan.ts";
import type { SiteArchive } from "../../scripts/lib/site/site-archive.ts";
import { PROJECT_ROOT } from "../support/project-copy.ts";
import {
  assertFileExists,
  attributeValues,
  brokenLinks,
  buildSite,
  countBy,
  duplicateIds,
  exportedComments,
  fileForAbsoluteUrl,
  htmlProblems,
  indexablePages,
  scriptUrls,
  section,
  sha256,
  stampOf,
  textOf,
  unexpectedScripts,
  wordsOf,
  type BuiltSite,
  type ExportedComment,
} from "./helpers.ts";

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  link: { "@href": string };
  content: { "#text": string; "@type": string };
}

function parseFeed(site: BuiltSite, file: string): { updated: string; entries: AtomEntry[]; self: string } {
  const text = assertFileExists(site, file);
  assert.equal(XMLValidator.validate(text), true, `${file} is not well-formed XML`);
  const feed = (xml.parse(text) as { feed: { updated: string; entry?: AtomEntry | AtomEntry[]; link: { "@rel": string; "@href": string }[] } }).feed;
  const self = feed.link.find((l) => l["@rel"] === "self")?.["@href"] ?? "";
  return { updated: feed.updated, entries: asList(feed.entry), self };
}

/** RFC 3339 to the second, as the feeds write dates. */
const toSecond = (iso: string): string => iso.replace(/\.\d{3}Z$/, "Z");

describe("the sample site", () => {
  let site: BuiltSite;
  let exported: ExportedComment[];
  let archive: SiteArchive;
  /** Each comment's place on its thread's pages, by its permalink. */
  let threadPageUrls: Map<string, string>;
  const threadPageUrl = (c: { permalink: string }): string => threadPageUrls.get(c.permalink) ?? "";

  before(async () => {
    site = await buildSite();
    exported = exportedComments(await readFile(path.join(PROJECT_ROOT, "archives/interstice.md"), "utf8"));
    archive = await loadSiteArchive(path.join(site.copy.dir, "content/archive"));
    threadPageUrls = new Map(sitePages(archive).comment.map((p) => [p.url, p.data.threadPageUrl]));
    console.log(`# sample build: ${site.buildSeconds.toFixed(1)} s, ${site.files.size} files`);
  });
  after(() => site?.copy.remove());

  test("publishes exactly the files its page model lists (each comment's Markdown beside its page), besides assets and search", () => {
    const pages = sitePages(archive);
    const listed = TEMPLATES.flatMap((t) => pages[t].map((p) => outputFile(p.url)));
    const markdown = pages.comment.map((p) => markdownFile(p.url));
    const published = [...site.files.keys()].filter((f) => !f.startsWith("assets/") && !f.startsWith("pagefind/"));
    assert.deepEqual(published.sort(), [...listed, ...markdown].sort());
  });

  test("has a page at every comment's permanent URL, holding every word of the comment", () => {
    assert.equal(exported.length, 50);
    for (const c of exported) {
      const file = `comments/${c.username}/${stampOf(c.date)}/index.html`;
      const html = assertFileExists(site, file);
      const article = section(html, /<article class="comment-page h-entry"/, "article");
      const text = textOf(article);
      for (const word of wordsOf(c.body)) assert.ok(text.includes(word), `${file} lacks "${word}"`);
      assert.ok(text.includes(c.title), `${file} does not name its thread`);
    }
    // Exactly these comment pages, no more.
    const pages = [...site.html.keys()].filter((f) => f.startsWith("comments/"));
    assert.equal(pages.length, exported.length);
  });

  test("shows each comment's rendered body verbatim, author and thread linked, date in words and machine-readable", () => {
    for (const c of archive.comments) {
      const html = assertFileExists(site, `${c.permalink.slice(1)}index.html`);
      assert.ok(html.includes(c.html), `${c.permalink} does not hold its rendered body`);
      assert.match(html, new RegExp(`<a class="p-author h-card" href="/authors/${c.author.slug}/" data-pagefind-filter="author" data-pagefind-meta="author">`));
      assert.ok(html.includes(`href="${threadPageUrl(c)}" data-pagefind-filter="thread"`), `${c.permalink} does not link its thread page anchor`);
      assert.ok(html.includes(`<time class="dt-published" datetime="${c.date}" data-pagefind-sort="date:${c.date}" data-pagefind-meta="date:${c.date}">`));
      assert.match(html, /<time [^>]*>\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}, \d\d:\d\d UTC<\/time>/);
      assert.ok(html.includes(`<span hidden data-pagefind-filter="year">${c.year}</span>`));
      assert.ok(html.includes(`<a class="copy-link u-url" href="${c.permalink}" data-copy-link>Copy link</a>`), "the copy-link control is a plain permalink");
    }
  });

  test("links each comment to its neighbours in the thread and by the author, in date order", () => {
    const byThread = new Map<string, ExportedComment[]>();
    for (const c of exported) byThread.set(c.title, [...(byThread.get(c.title) ?? []), c]);
    for (const list of byThread.values()) {
      list.sort((a, b) => (a.date < b.date ? -1 : 1));
      list.forEach((c, i) => {
        const html = assertFileExists(site, `comments/${c.username}/${stampOf(c.date)}/index.html`);
        const nav = section(html, /<nav class="neighbours" aria-label="Comments in this thread(?: and by [^"]+)?"/, "nav");
        const previous = list[i - 1];
        const next = list[i + 1];
        assert.equal(nav.includes(previous ? `href="/comments/${previous.username}/${stampOf(previous.date)}/"` : "No earlier comment"), true);
        assert.equal(nav.includes(next ? `href="/comments/${next.username}/${stampOf(next.date)}/"` : "No later comment"), true);
      });
    }
    // One author: the author order is the whole archive by date.
    const all = [...exported].sort((a, b) => (a.date < b.date ? -1 : 1));
    const newest = all.at(-1) as ExportedComment;
    const html = assertFileExists(site, `comments/${newest.username}/${stampOf(newest.date)}/index.html`);
    assert.match(section(html, /<nav class="neighbours" aria-label="Comments (?:in this thread and )?by/, "nav"), /No later comment (?:in this thread or )?by this author/);
  });

  test("lists on each thread page exactly the thread's comments, oldest first, each at its anchor", () => {
    const byTitle = countBy(exported, (c) => c.title);
    const threadPages = [...site.html].filter(([f]) => /^threads\/[^/]+\/index\.html$/.test(f));
    assert.equal(threadPages.length, 23);
    let listed = 0;
    for (const [file, html] of threadPages) {
      const title = textOf(section(html, /<h1>/, "h1"));
      const dates = [...html.matchAll(/<article class="comment-card h-entry" id="[^"]+">[\s\S]*?<time class="dt-published" datetime="([^"]+)"/g)].map((m) => m[1] ?? "");
      assert.equal(dates.length, byTitle.get(title) ?? 0, `${file} (${title})`);
      const expected = exported.filter((c) => c.title === title).map((c) => c.date).sort();
      assert.deepEqual(dates, expected, `${file} lists its comments out of date order`);
      listed += dates.length;
    }
    assert.equal(listed, exported.length);
    for (const c of archive.comments) {
      const [page, anchor] = threadPageUrl(c).split("#");
      const html = assertFileExists(site, `${(page ?? "").slice(1)}index.html`);
      assert.ok(html.includes(`<article class="comment-card h-entry" id="${anchor}">`));
      assert.ok(html.includes(c.html), `${page} does not hold the full text of ${c.permalink}`);
    }
  });

  test("counts right on the author page, the home page and the date archives", () => {
    const author = assertFileExists(site, "authors/interstice/index.html");
    const dates = exported.map((c) => c.date).sort();
    assert.ok(author.includes("<dd>50 comments</dd>"));
    assert.ok(author.includes(`<dd>${new Set(exported.map((c) => c.title)).size} threads</dd>`));
    assert.ok(author.includes(`<time datetime="${dates[0]}">9 February 2021</time>`));
    assert.ok(author.includes(`<time datetime="${dates.at(-1)}">19 June 2021</time>`));
    // Newest first, linking to the permalinks.
    const listed = attributeValues(section(author, /<ol class="summary-list h-feed"/, "ol"), "href").filter((h) => h.startsWith("/comments/"));
    assert.deepEqual(listed, [...exported].sort((a, b) => (a.date > b.date ? -1 : 1)).map((c) => `/comments/interstice/${stampOf(c.date)}/`));

    const home = assertFileExists(site, "index.html");
    assert.ok(home.includes("<dd>50 comments</dd>") && home.includes("<dd>23 threads</dd>") && home.includes("<dd>1 author</dd>"));
    assert.equal([...section(home, /<ol class="summary-list h-feed"/, "ol").matchAll(/<article class="summary h-entry">/g)].length, 10);

    const byMonth = countBy(exported, (c) => c.date.slice(0, 7));
    const index = assertFileExists(site, "archive/index.html");
    for (const [month, count] of byMonth) {
      const [year, mm] = month.split("-");
      const monthPage = assertFileExists(site, `archive/${year}/${mm}/index.html`);
      assert.ok(monthPage.includes(`${count} archived comment${count === 1 ? "" : "s"}.`), `archive/${year}/${mm}/`);
      assert.equal([...monthPage.matchAll(/<article class="summary h-entry">/g)].length, count);
      assert.match(index, new RegExp(`<a href="/archive/${year}/${mm}/">[A-Za-z]+ ${year}</a> <span class="muted">${count} comments?</span>`));
    }
    assert.ok(assertFileExists(site, "archive/2021/index.html").includes("50 archived comments."));
  });

  test("publishes valid Atom feeds of the latest comments, site-wide, per author and per thread", () => {
    const newestFirst = [...exported].sort((a, b) => (a.date > b.date ? -1 : 1));
    const site_ = parseFeed(site, "feed.xml");
    assert.equal(site_.self, "https://commentarium.example/feed.xml");
    assert.equal(site_.entries.length, Math.min(50, exported.length));
    assert.deepEqual(
      site_.entries.map((e) => e.id),
      newestFirst.slice(0, 50).map((c) => `https://commentarium.example/comments/${c.username}/${stampOf(c.date)}/`),
    );
    assert.equal(site_.updated, toSecond(newestFirst[0]?.date ?? ""));
    for (const entry of site_.entries) {
      assert.ok(fileForAbsoluteUrl(site, entry.link["@href"]) !== undefined && site.files.has(fileForAbsoluteUrl(site, entry.link["@href"]) ?? ""));
      // Footnote links in the content point at the comment's page, not at the feed.
      assert.equal(entry.content["@type"], "html");
      for (const m of entry.content["#text"].matchAll(/href="([^"]*)"/g)) assert.match(m[1] ?? "", /^https?:\/\//);
    }

    const author = parseFeed(site, "authors/interstice/feed.xml");
    assert.equal(author.entries.length, 50);

    for (const file of [...site.files.keys()].filter((f) => /^threads\/[^/]+\/feed\.xml$/.test(f))) {
      const feed = parseFeed(site, file);
      const title = textOf(section(assertFileExists(site, file.replace("feed.xml", "index.html")), /<h1>/, "h1"));
      const expected = newestFirst.filter((c) => c.title === title).slice(0, 50);
      assert.deepEqual(
        feed.entries.map((e) => e.id),
        expected.map((c) => `https://commentarium.example/comments/${c.username}/${stampOf(c.date)}/`),
        file,
      );
      if (expected[0]) assert.equal(feed.updated, toSecond(expected[0].date));
    }
  });

  test("lists every page in the sitemap, through a sitemap index that robots.txt names", () => {
    const index = assertFileExists(site, "sitemap.xml");
    assert.equal(XMLValidator.validate(index), true);
    const files = asList((xml.parse(index) as { sitemapindex: { sitemap: { loc: string } | { loc: string }[] } }).sitemapindex.sitemap).map((s) => s.loc);
    assert.deepEqual(files, ["https://commentarium.example/sitemaps/1.xml"]);
    const urls: string[] = [];
    for (const loc of files) {
      const text = assertFileExists(site, fileForAbsoluteUrl(site, loc) ?? "");
      assert.equal(XMLValidator.validate(text), true);
      urls.push(...asList((xml.parse(text) as { urlset: { url: { loc: string } | { loc: string }[] } }).urlset.url).map((u) => u.loc));
    }
    assert.equal(new Set(urls).size, urls.length, "no URL twice");
    assert.deepEqual(urls.map((u) => fileForAbsoluteUrl(site, u)).sort(), indexablePages(site));
    assert.match(assertFileExists(site, "robots.txt"), /^Sitemap: https:\/\/commentarium\.example\/sitemap\.xml$/m);
  });

  test("gives every page a title, a description, an absolute canonical URL, social tags and one h1", () => {
    for (const [file, html] of site.html) {
      if (file.startsWith("search/")) continue;
      assert.match(html, /<title>[^<]+<\/title>/, file);
      assert.match(html, /<meta name="description" content="[^"]+">/, file);
      assert.equal([...html.matchAll(/<h1[\s>]/g)].length, 1, `${file} has one h1`);
      for (const landmark of [/<header class="site-header">/, /<nav class="site-nav" aria-label="Site">/, /<main id="main"/, /<footer class="site-footer">/, /<a class="skip-link" href="#main">/]) {
        assert.match(html, landmark, file);
      }
      if (file === "404.html") continue;
      const canonical = /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];
      assert.equal(canonical, `https://commentarium.example/${file.replace(/index\.html$/, "")}`, file);
      for (const property of ["og:title", "og:description", "og:url", "og:type", "og:site_name"]) assert.ok(html.includes(`<meta property="${property}" content="`), `${file}: ${property}`);
      assert.ok(html.includes(`<meta name="twitter:card" content="summary">`), file);
    }
    const comment = archive.comments.at(-1);
    assert.ok(comment !== undefined);
    const html = assertFileExists(site, `${comment.permalink.slice(1)}index.html`);
    assert.ok(html.includes(`<meta property="og:title" content="\u2068interstice\u2069 on \u2068${comment.thread.title.replace(/'/g, "&#39;")}\u2069">`));
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)?.[1] ?? "{}") as Record<string, unknown>;
    assert.equal(ld["@type"], "Comment");
    assert.equal(ld.datePublished, comment.date);
    const thread = assertFileExists(site, `${threadPageUrl(comment).split("#")[0]?.slice(1)}index.html`);
    const threadLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(thread)?.[1] ?? "{}") as { "@type": string; comment: unknown[] };
    assert.equal(threadLd["@type"], "DiscussionForumPosting");
    assert.ok(threadLd.comment.length >= 1);
  });

  test("marks only comment pages for the search index, keeping navigation out of it", () => {
    for (const [file, html] of site.html) {
      const bodies = [...html.matchAll(/data-pagefind-body/g)].length;
      assert.equal(bodies, file.startsWith("comments/") ? 1 : 0, file);
      if (!file.startsWith("comments/")) continue;
      assert.match(html, /<footer class="comment-page__footer" data-pagefind-ignore>/);
      assert.match(html, /<form class="search-form" action="\/search\/" method="get" role="search"[^>]*>[\s\S]*?<input class="search-form__input" type="search" name="q"/);
    }
  });

  test("has no broken internal link, no duplicate id, valid HTML and no script from comment text", async () => {
    assert.deepEqual(brokenLinks(site), []);
    assert.deepEqual(duplicateIds(site), []);
    assert.deepEqual(unexpectedScripts(site), []);
    assert.deepEqual(scriptUrls(site), []);
    assert.deepEqual(await htmlProblems(site), []);
  });

  test("builds byte-identical output when built again", async () => {
    const again = await site.rebuild();
    const hashes = (files: Map<string, Buffer>): string[] => [...files].map(([f, b]) => `${f} ${sha256(b)}`);
    assert.deepEqual(hashes(again), hashes(site.files));
  });
});
