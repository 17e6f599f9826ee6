// A build for a site deployed under a sub-path (SITE_PATH_PREFIX) at another origin (SITE_URL), with small sitemap files.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { assertFileExists, brokenLinks, buildSite, FIXTURE, fileForAbsoluteUrl, indexablePages, linksOf, type BuiltSite } from "./helpers.ts";

const ORIGIN = "https://example.org";
const PREFIX = "/sub/";
const SITEMAP_SIZE = 50;

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe("a site under a path prefix", () => {
  let site: BuiltSite;

  before(async () => {
    site = await buildSite(FIXTURE, { SITE_PATH_PREFIX: "sub", SITE_URL: `${ORIGIN}/`, SITE_SITEMAP_SIZE: String(SITEMAP_SIZE) });
  });
  after(() => site?.copy.remove());

  test("links every page, stylesheet and script under the prefix, once, and every link resolves", () => {
    assert.equal(site.pathPrefix, PREFIX);
    for (const [file, html] of site.html) {
      for (const link of linksOf(html)) {
        if (link.startsWith("/")) assert.ok(link.startsWith(PREFIX) && !link.startsWith(`${PREFIX}sub/`), `${file}: ${link}`);
      }
      for (const m of html.matchAll(/<form [^>]*action="([^"]+)"/g)) assert.equal(m[1], `${PREFIX}search/`, file);
    }
    assert.deepEqual(brokenLinks(site), []);
  });

  test("keeps the 404 page's links working at any depth", () => {
    const html = assertFileExists(site, "404.html");
    const links = linksOf(html);
    assert.ok(links.length > 5);
    for (const link of links) assert.ok(link.startsWith(PREFIX) || link === "#main", link);
    for (const target of ["", "authors/", "threads/", "archive/"]) assert.ok(links.includes(`${PREFIX}${target}`), target);
    assert.match(html, /<meta name="robots" content="noindex">/);
  });

  test("writes absolute URLs with the origin and the prefix in canonical links, feeds and robots.txt", () => {
    for (const [file, html] of site.html) {
      const canonical = /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];
      if (canonical !== undefined) assert.equal(canonical, `${ORIGIN}${PREFIX}${file.replace(/index\.html$/, "")}`);
    }
    for (const file of ["feed.xml", "authors/alice/feed.xml", "threads/a-long-thread/feed.xml"]) {
      const text = assertFileExists(site, file);
      assert.equal(XMLValidator.validate(text), true, file);
      const urls = [...text.matchAll(/<(?:id|uri)>([^<]+)<\/(?:id|uri)>|href="([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? "");
      assert.ok(urls.length > 3);
      for (const url of urls) {
        assert.ok(url.startsWith(`${ORIGIN}${PREFIX}`), `${file}: ${url}`);
        assert.ok(site.files.has(fileForAbsoluteUrl(site, url.split("#")[0] ?? "") ?? ""), `${file}: ${url} resolves`);
      }
    }
    assert.match(assertFileExists(site, "robots.txt"), new RegExp(`^Sitemap: ${ORIGIN}${PREFIX}sitemap\\.xml$`, "m"));
  });

  test("splits the sitemap into files of at most the configured size, all listed by the index", () => {
    const index = assertFileExists(site, "sitemap.xml");
    assert.equal(XMLValidator.validate(index), true);
    const files = asList((xml.parse(index) as { sitemapindex: { sitemap: { loc: string }[] } }).sitemapindex.sitemap).map((s) => s.loc);
    const pages = indexablePages(site);
    assert.equal(files.length, Math.ceil(pages.length / SITEMAP_SIZE));
    assert.ok(files.length >= 3);
    const urls: string[] = [];
    files.forEach((loc, i) => {
      assert.equal(loc, `${ORIGIN}${PREFIX}sitemaps/${i + 1}.xml`);
      const text = assertFileExists(site, fileForAbsoluteUrl(site, loc) ?? "");
      assert.equal(XMLValidator.validate(text), true, loc);
      const entries = asList((xml.parse(text) as { urlset: { url: { loc: string; lastmod?: string }[] } }).urlset.url);
      assert.ok(entries.length <= SITEMAP_SIZE && entries.length > 0);
      for (const e of entries) if (e.lastmod !== undefined) assert.match(e.lastmod, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      urls.push(...entries.map((e) => e.loc));
    });
    assert.deepEqual(urls.map((u) => fileForAbsoluteUrl(site, u)).sort(), pages);
  });
});
