// The site's pure pieces: template filters, comment headings, sitemap splitting, site configuration.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { DateTime } from "luxon";
import { absoluteSiteUrl, prefixSitePath, jsonScript, machineDate, nestHeadings, readableDate, readableDateTime, xmlText } from "../../scripts/lib/site/filters.ts";
import { renderCommentHtml } from "../../scripts/lib/site/markdown/index.ts";
import { dateToRfc3339 } from "@11ty/eleventy-plugin-rss";
import { sitemapDate } from "../../scripts/lib/site/machine-readable.ts";
import { sitePages, SITEMAP_SIZE } from "../../scripts/lib/site/page-model.ts";
import { buildSiteArchive } from "../../scripts/lib/site/site-archive.ts";
import { loadSiteConfig } from "../../scripts/lib/site/site-config.ts";

describe("filters", () => {
  test("jsonScript never lets text close the script element", () => {
    const out = jsonScript({ title: "</script><script>alert(1)</script>\u2028" });
    assert.ok(!out.includes("<"));
    assert.deepEqual(JSON.parse(out), { title: "</script><script>alert(1)</script>\u2028" });
  });

  test("xmlText drops what XML 1.0 cannot carry and keeps the rest", () => {
    assert.equal(xmlText("a\u0000b\u000Bc\u001Fd\tе\n😀\uD800"), "abcd\tе\n😀");
  });

  test("absoluteSiteUrl joins origin, prefix and path once", () => {
    assert.equal(absoluteSiteUrl("/threads/x/", "https://example.org", "/sub/"), "https://example.org/sub/threads/x/");
    assert.equal(absoluteSiteUrl("/", "https://example.org", "/"), "https://example.org/");
  });
});

describe("comment headings", () => {
  test("start at h2 below the page's h1 and never skip a level", () => {
    const html = renderCommentHtml("### first\n\n# second\n\n#### third\n\n###### fourth", "c-x");
    assert.deepEqual(
      [...html.matchAll(/<(h\d)>/g)].map((m) => m[1]),
      ["h2", "h2", "h3", "h4"],
    );
  });

  test("go one level deeper inside a card, never past h6", () => {
    assert.equal(nestHeadings("<h2>a</h2><h6>b</h6><hr>"), "<h3>a</h3><h6>b</h6><hr>");
    assert.equal(nestHeadings("<p>&lt;h2&gt;</p>"), "<p>&lt;h2&gt;</p>");
  });
});

describe("sitemap files", () => {
  test("date a URL as the RSS plugin's dateToRfc3339 does, canonical instants or not", () => {
    for (const date of ["2021-06-19T15:54:32.790Z", "1999-12-31T23:59:59.999Z", "2024-02-29T00:00:00.000Z", "2021-06-19T15:54:32Z", "2021-06-19T17:54:32.790+02:00"]) {
      assert.equal(sitemapDate(date), dateToRfc3339(new Date(date)), date);
    }
    assert.equal(sitemapDate("2021-06-19T15:54:32.790Z"), "2021-06-19T15:54:32Z");
  });

  test("hold at most the configured number of URLs each, in order, numbered from 1", () => {
    // An archive of only thread pages: 2 * size + 1 threads, each with its one page, after the fixed entries.
    const size = 7;
    const threads = Array.from({ length: 2 * size + 1 }, (_, i) => ({ title: `T${i}`, slug: `t-${String(i).padStart(2, "0")}`, permalink: `/threads/t-${String(i).padStart(2, "0")}/` }));
    const files = sitePages(buildSiteArchive([], threads), { sitemapSize: size }).sitemap;
    const urls = files.flatMap((f) => f.data.entries.map((e) => e.url));
    assert.deepEqual(files.map((f) => f.url), ["/sitemaps/1.xml", "/sitemaps/2.xml", "/sitemaps/3.xml"]);
    assert.ok(files.every((f) => f.data.entries.length <= size));
    assert.deepEqual(urls, ["/", "/threads/", "/authors/", "/archive/", "/stats/", ...threads.map((t) => t.permalink)]);
    assert.equal(sitePages(buildSiteArchive([], [])).sitemap.length, 1, "an empty site still has a sitemap file");
    assert.equal(SITEMAP_SIZE, 40_000, "search engines accept 50,000");
  });
});

describe("site configuration", () => {
  test("takes the path prefix, origin and sitemap size from the environment", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "site-config-"));
    try {
      const file = path.join(dir, "site.config.json");
      await writeFile(file, JSON.stringify({ title: "t", description: "d", language: "en", url: "https://a.example", pathPrefix: "/" }));
      assert.deepEqual(loadSiteConfig(file, {}), { title: "t", description: "d", language: "en", url: "https://a.example", pathPrefix: "/" });
      const configured = loadSiteConfig(file, { SITE_PATH_PREFIX: "docs/x", SITE_URL: "https://b.example/", SITE_SITEMAP_SIZE: "500" });
      assert.equal(configured.pathPrefix, "/docs/x/");
      assert.equal(configured.url, "https://b.example");
      assert.equal(configured.sitemapSize, 500);
      assert.throws(() => loadSiteConfig(file, { SITE_SITEMAP_SIZE: "0" }), /positive whole number/);
      assert.throws(() => loadSiteConfig(file, { SITE_SITEMAP_SIZE: "ten" }), /positive whole number/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("dates", () => {
  test("read the import's canonical instants directly and anything else through Luxon, with the same result", () => {
    for (const iso of ["2021-06-19T15:54:32.790Z", "2020-01-05T03:04:05.000Z", "1999-12-31T23:59:59.999Z"]) {
      const slow = DateTime.fromISO(iso, { zone: "utc" });
      assert.equal(readableDate(iso), slow.toFormat("d LLLL yyyy"));
      assert.equal(readableDateTime(iso), slow.toFormat("d LLLL yyyy, HH:mm 'UTC'"));
      assert.equal(machineDate(iso), iso);
    }
    assert.equal(readableDateTime("2021-06-19T17:54:32+02:00"), "19 June 2021, 15:54 UTC");
    assert.equal(machineDate("2021-06-19T17:54:32+02:00"), "2021-06-19T15:54:32.000Z");
  });
});

// Eleventy's own filter, by file: the package does not export it.
const eleventyUrlFile = path.resolve(import.meta.dirname, "../../node_modules/@11ty/eleventy/src/Filters/Url.js");
const { default: eleventyUrl } = (await import(eleventyUrlFile)) as { default: (url: string, pathPrefix: string) => string };

describe("the url filter's fast path", () => {
  const paths = ["/", "/threads/a-b/", "/comments/x_y/20210101-000000-000/", "/feed.xml", "/assets/site.css", "/authors/a/page/2/", "/.well-known/x", "/sitemaps/1.xml", "/a#frag", "/threads/a-b/page/2/#c-x_y-20210101-000000-000", "/#top", "/a/#"];
  const others = ["https://example.org/a/", "//cdn.example.org/x", "relative/path/", "/a//b/", "/a/../b/", "/a/./b/", "/a/..#x", "/search/?q=x", "/a#b#c", "/a#b c", ""];

  test("gives what Eleventy's url filter gives for a site path, with and without a prefix", () => {
    for (const prefix of ["/", "/sub/", "/deep/er/"]) {
      for (const url of paths) assert.equal(prefixSitePath(url, prefix), eleventyUrl(url, prefix), `${url} under ${prefix}`);
    }
  });

  test("leaves everything else to Eleventy", () => {
    for (const url of others) assert.equal(prefixSitePath(url, "/sub/"), undefined, url);
  });

  // A pattern with nested repetition would take exponential time (hours) to reject these.
  test("answers at once for a long path that does or does not match", { timeout: 10_000 }, () => {
    const long = `/${"segment-".repeat(40)}/${"x".repeat(60)}`;
    assert.equal(prefixSitePath(`${long}#fragment`, "/"), eleventyUrl(`${long}#fragment`, "/"));
    assert.equal(prefixSitePath(`${long}?query#fragment`, "/"), undefined);
  });
});
