// The forum sample (archives/forum-sample/) built and opened in Chromium: math as MathML, reply links that lead where they say, no violation axe finds, and no hostile markup running anywhere.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { threadPermalink } from "../../scripts/lib/permalinks.ts";
import { launchBrowserBeside } from "../support/browser.ts";
import { axeViolations, buildSite, type BuiltSite } from "./built-site.ts";

const SAMPLE = "archives/forum-sample/comments.json";
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

let browser: Browser;
let built: BuiltSite;

before(async () => {
  // Shards of five comments: a sort by karma then merges several shards' results.
  [browser, built] = await launchBrowserBeside(buildSite({ archives: [SAMPLE], env: { COMMENTARIUM_SEARCH_SHARD_PAGES: "5" } }), (site) => site.close());
});

after(async () => {
  await browser?.close();
  await built?.close();
});

type Comment = BuiltSite["comments"][number];

const byForumId = (): Map<string, Comment> => new Map(built.comments.flatMap((c) => (c.forum?.id === undefined ? [] : [[c.forum.id, c] as const])));

/** The sample's comments that show each thing the pages must carry. */
function showing(what: "math" | "footnote" | "quote" | "reply"): Comment {
  const ids = byForumId();
  const found = built.comments.find((c) => {
    if (what === "math") return /\$[^$\s][^$]*\$/.test(c.text);
    if (what === "footnote") return /\[\^[^\]]+\]:/.test(c.text);
    if (what === "quote") return /^> /m.test(c.text);
    return c.forum?.parentCommentId !== undefined && ids.has(c.forum.parentCommentId);
  });
  assert.ok(found !== undefined, `the sample has a comment with ${what}`);
  return found;
}

async function open(page: Page, url: string): Promise<void> {
  const response = await page.goto(new URL(url.replace(/^\//, ""), built.site.url).href);
  assert.equal(response?.status(), 200, `HTTP status of ${url}`);
}

const summary = (violations: Awaited<ReturnType<typeof axeViolations>>): string[] => violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 5).join(", ")}`);

describe("the forum sample in a browser", () => {
  test("math is MathML that the browser lays out, with no TeX left as text", async () => {
    const page = await browser.newPage();
    try {
      await open(page, showing("math").permalink);
      const formulas = await page.$$eval("[data-pagefind-body] .comment-body math", (nodes) => nodes.map((n) => ({ width: n.getBoundingClientRect().width, display: n.getAttribute("display") })));
      assert.ok(formulas.length > 0, "no <math> in the comment");
      assert.ok(formulas.every((f) => f.width > 0), `a formula laid out with no width: ${JSON.stringify(formulas)}`);
      const text = await page.$eval("[data-pagefind-body] .comment-body", (body) => body.textContent ?? "");
      assert.doesNotMatch(text, /\$[^$\s][^$]*\$/, "TeX between dollars left as text");
    } finally {
      await page.close();
    }
  });

  test("a reply's link to the comment it answers, and that comment's link back, lead to each other's pages", async () => {
    const reply = showing("reply");
    const parent = byForumId().get(reply.forum?.parentCommentId ?? "");
    assert.ok(parent !== undefined);
    const page = await browser.newPage();
    try {
      await open(page, reply.permalink);
      await Promise.all([page.waitForURL((url) => url.pathname.endsWith(parent.permalink)), page.click(".reply-context__label a")]);
      assert.equal(new URL(page.url()).pathname, parent.permalink);
      const back = await page.$$eval(".replies__list a", (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      assert.ok(back.includes(reply.permalink), `${parent.permalink} does not list ${reply.permalink} among its replies`);
      // On the thread page the reply's card links to its parent's card, which is there.
      await open(page, threadPermalink(reply.thread.slug));
      const anchor = reply.id.replace("/", "-");
      const target = await page.$eval(`#c-${anchor} .comment-card__reply-to a`, (a) => (a as HTMLAnchorElement).hash);
      assert.equal(await page.locator(target).count(), 1, `the thread page has no ${target}`);
    } finally {
      await page.close();
    }
  });

  for (const what of ["math", "footnote", "quote", "reply"] as const) {
    test(`axe finds nothing on a comment page with a ${what}, at phone and desktop widths, light and dark`, async () => {
      const url = showing(what).permalink;
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        for (const colorScheme of ["light", "dark"] as const) {
          const page = await browser.newPage({ viewport, colorScheme });
          try {
            await open(page, url);
            assert.deepEqual(summary(await axeViolations(page)), [], `${url} at ${width}, ${colorScheme}`);
          } finally {
            await page.close();
          }
        }
      }
    });
  }

  test("search sorts by karma across every shard, highest first, leaving out comments without one", async () => {
    const page = await browser.newPage();
    try {
      await open(page, "/search/?q=the&sort=score");
      await page.waitForSelector('[data-search-results][aria-busy="false"]', { state: "attached" });
      assert.equal(await page.$eval("[data-search-sort]", (select) => (select as HTMLSelectElement).value), "score");
      // Every result, through "Show more results" while it offers more.
      for (let i = 0; i < 10 && (await page.isVisible("[data-search-more]")) && (await page.textContent("[data-search-more]")) === "Show more results"; i++) {
        const before = await page.locator("[data-search-results] li").count();
        await page.click("[data-search-more]");
        await page.waitForFunction((count) => document.querySelectorAll("[data-search-results] li").length > count, before);
      }
      const urls = await page.$$eval("[data-search-results] li h2 a", (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      const score = new Map(built.comments.map((c) => [c.permalink, c.forum?.baseScore]));
      const scores = urls.map((url) => score.get(url));
      assert.ok(scores.length >= 10, `only ${scores.length} results`);
      assert.ok(scores.every((s) => typeof s === "number"), `a result without karma: ${JSON.stringify(scores)}`);
      assert.deepEqual(scores, [...scores].sort((a, b) => (b as number) - (a as number)), "not highest first");
      // Shards of five comments in date order: results from many months come from several shards.
      const months = new Set(urls.map((url) => built.comments.find((c) => c.permalink === url)?.date.slice(0, 7)));
      assert.ok(months.size > 5, "the results come from several shards");
    } finally {
      await page.close();
    }
  });

  test("no feed carries hostile markup in its entries' HTML, and /comments.json holds no markup at all", async () => {
    const dist = path.join(built.copy.dir, "dist");
    const feeds = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith("feed.xml"));
    assert.ok(feeds.length > 3, "the site, thread and author feeds");
    for (const file of feeds) {
      const xml = await readFile(path.join(dist, file), "utf8");
      // What a feed reader renders: each entry's content, unescaped.
      for (const [, escaped] of xml.matchAll(/<content type="html">([\s\S]*?)<\/content>/g)) {
        const html = (escaped ?? "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
        assert.doesNotMatch(html, /<(script|iframe|style|svg|object|embed)\b|\son\w+\s*=|(href|src)\s*=\s*"\s*(javascript|data):/i, `${file}: ${html.slice(0, 200)}`);
      }
    }
    const index = await readFile(path.join(dist, "comments.json"), "utf8");
    assert.doesNotMatch(index, /<[a-z!/]/i, "comments.json holds facts, not markup");
    assert.equal((JSON.parse(index) as unknown[]).length, built.comments.length, "every comment once");
  });

  test("no page runs hostile markup, and search results show a hostile comment's words as text", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      for (const c of built.comments) {
        await open(page, c.permalink);
        const handlers = await page.$$eval("[data-pagefind-body] *", (nodes) => nodes.flatMap((n) => [...n.attributes].filter((a) => /^on/i.test(a.name) || /^\s*(javascript|data):/i.test(a.value)).map((a) => `${n.tagName}[${a.name}]`)));
        assert.deepEqual(handlers, [], c.permalink);
        assert.equal(await page.locator("[data-pagefind-body] script, [data-pagefind-body] iframe, [data-pagefind-body] style, [data-pagefind-body] svg").count(), 0, c.permalink);
        // The sample's hostile comment sets this flag from a <script> in its HTML.
        assert.equal(await page.evaluate(() => (window as unknown as { __commentariumPwned?: unknown }).__commentariumPwned), undefined, c.permalink);
      }
      // The hostile comment's own words, searched: its result shows them as text, with only the search page's markup.
      await open(page, "/search/?q=notebook+crowd");
      await page.waitForSelector('[data-search-results][aria-busy="false"]', { state: "attached" });
      const results = await page.$$eval("[data-search-results] li", (items) => items.map((li) => li.innerHTML));
      assert.ok(results.some((html) => html.includes("notebook")), "the hostile comment is found by its words");
      for (const html of results) assert.doesNotMatch(html, /<(?!\/?(?:a|p|mark|bdi|time|span|h2|h3|article|div)\b)[a-z]|\son\w+=|javascript:|data:/i, html);
      assert.deepEqual(dialogs, [], "a page opened a dialog");
    } finally {
      await page.close();
    }
  });
});
