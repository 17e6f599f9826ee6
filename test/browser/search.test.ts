// Search, end to end: the real build (Eleventy + Pagefind) of the sample, served over HTTP, driven in Chromium.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowserBeside } from "../support/browser.ts";
import { axeViolations, buildSite, type BuiltSite } from "./built-site.ts";
import { showAllResults } from "../search/helpers.ts";

const THREAD = "Parsing Chris Mingard on Neural Networks";
const PHRASE = "least-rattling feedback";

let browser: Browser;
let built: BuiltSite;

before(async () => {
  [browser, built] = await launchBrowserBeside(buildSite({ extra: true }), (site) => site.close());
});

after(async () => {
  await browser?.close();
  await built?.close();
});

const scriptErrors: string[] = [];
afterEach(() => {
  assert.deepEqual(scriptErrors.splice(0), [], "no script errors");
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

/** Waits for the search that the last action started to be shown (results and count). */
async function settled(page: Page): Promise<void> {
  await page.waitForSelector('[data-search-results][aria-busy="false"]', { state: "attached" });
}

async function openSearch(page: Page, query = ""): Promise<void> {
  await page.goto(`${built.site.url}search/${query}`);
  await settled(page);
}

async function statusText(page: Page): Promise<string> {
  return ((await page.locator("[data-search-status]").textContent()) ?? "").trim();
}

/** All results of the current search, pressing "Show more results" until there are no more. */
async function allResults(page: Page): Promise<{ path: string; date: string; text: string }[]> {
  await showAllResults(page);
  return page.locator(".search-result").evaluateAll((items) =>
    items.map((item) => ({
      path: new URL(item.querySelector("a")?.getAttribute("href") ?? "", location.href).pathname,
      date: item.querySelector("time")?.getAttribute("datetime") ?? "",
      text: item.textContent ?? "",
    })),
  );
}

const permalinks = (comments: { permalink: string }[]): string[] => comments.map((c) => c.permalink).sort();
const sitePath = (permalink: string): string => new URL(permalink.replace(/^\//, ""), built.site.url).pathname;

describe("indexing", () => {
  test("the build indexes exactly the comment pages, one result each; small years share their decade's shard", () => {
    assert.match(built.output, new RegExp(`^search: ${built.comments.length} pages indexed in [\\d.]+ s`, "m"));
    const bundle = path.join(built.copy.dir, "dist/pagefind");
    const list = JSON.parse(readFileSync(path.join(bundle, "shards.json"), "utf8")) as { shards: { key: string; pages: number; path: string }[] };
    const years = [...new Set(built.comments.map((c) => c.date.slice(0, 4)))].sort();
    assert.deepEqual(years, ["2019", "2020", "2021"]);
    assert.deepEqual(list.shards.map((s) => s.key), ["2019", "2020-2029"], "2019 alone in its decade; 2020 and 2021 together");
    assert.equal(list.shards.reduce((sum, s) => sum + s.pages, 0), built.comments.length);
    for (const shard of list.shards) assert.ok(existsSync(path.join(bundle, shard.path, "pagefind.js")), `${shard.key}'s bundle is in dist/pagefind/${shard.path}`);
    assert.ok(existsSync(path.join(bundle, "pagefind-highlight.js")), "comment pages find the highlighter at its usual URL");
  });
});

describe("search page", () => {
  test("a distinctive phrase finds its comment first, and the result lands on the permanent URL with the words highlighted", async () => {
    const expected = built.comments.find((c) => c.text.includes(PHRASE));
    assert.ok(expected, "the sample has the phrase");
    const page = await newPage();
    await openSearch(page);
    await page.fill("#search-q", PHRASE);
    await page.press("#search-q", "Enter");
    await settled(page);

    assert.equal(new URL(page.url()).search, "?q=least-rattling+feedback", "the query is in the URL");
    const first = page.locator(".search-result").first();
    const link = first.locator("a").first();
    assert.equal(new URL((await link.getAttribute("href")) ?? "", page.url()).pathname, sitePath(expected.permalink));
    assert.match((await first.textContent()) ?? "", new RegExp(`${expected.author.name}.*${expected.thread.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "s"), "the result names author and thread");
    assert.equal(await first.locator("time").getAttribute("datetime"), expected.date, "the result shows the date");
    assert.deepEqual(await first.locator(".search-result__excerpt mark").allTextContents(), ["least-rattling", "feedback"], "the excerpt marks the matched words");
    assert.match(await statusText(page), /^1 comment found for “least-rattling feedback”\.$/);

    await link.click();
    await page.waitForURL((url) => url.pathname === sitePath(expected.permalink));
    await page.waitForSelector("[data-pagefind-body] mark");
    const marked = (await page.locator("[data-pagefind-body] mark").allTextContents()).map((t) => t.toLowerCase());
    assert.ok(marked.includes("least-rattling") && marked.includes("feedback"), `highlighted on the comment page: ${marked.join(", ")}`);
    await page.close();
  });

  test("filtering by a thread shows exactly that thread's comments, with counts", async () => {
    const expected = built.comments.filter((c) => c.thread.title === THREAD);
    assert.ok(expected.length >= 3, "the thread has several comments");
    const page = await newPage();
    await openSearch(page);
    const option = page.locator("#search-thread option", { hasText: THREAD });
    assert.equal(await option.textContent(), `${THREAD} (${expected.length})`, "the option shows its count");
    await page.selectOption("#search-thread", THREAD);
    await settled(page);

    assert.equal(new URL(page.url()).searchParams.get("thread"), THREAD, "the filter is in the URL");
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), permalinks(expected).map(sitePath));
    assert.match(await statusText(page), new RegExp(`^${expected.length} comments found\\.$`));
    await page.close();
  });

  test("filtering by a year or an author shows exactly theirs; counts follow the query", async () => {
    const page = await newPage();
    for (const year of ["2019", "2021"]) {
      const expected = built.comments.filter((c) => c.date.startsWith(year));
      assert.ok(expected.length > 0);
      await openSearch(page, `?year=${year}`);
      assert.equal(await page.inputValue("#search-year"), year, "the year is read from the URL");
      assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), permalinks(expected).map(sitePath), year);
    }

    const author = "Search Tester";
    const byAuthor = built.comments.filter((c) => c.author.name === author);
    await openSearch(page);
    await page.selectOption("#search-author", author);
    await settled(page);
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), permalinks(byAuthor).map(sitePath));

    // With a query, each option counts that query's results for the value; the other values of the chosen filter keep theirs.
    await openSearch(page, "?q=quasicrystal&year=2019");
    assert.equal(await page.locator("#search-year option[value='2019']").textContent(), "2019 (1)");
    assert.equal(await page.locator("#search-year option[value='2020']").textContent(), "2020 (1)");
    assert.equal(await page.locator("#search-year option[value='2021']").textContent(), "2021 (0)");
    assert.equal((await allResults(page)).length, 1);
    await page.close();
  });

  test("sorting orders results by date, newest or oldest first", async () => {
    const page = await newPage();
    await openSearch(page, "?q=network");
    const relevance = await allResults(page);
    assert.ok(relevance.length >= 5, `enough results to sort: ${relevance.length}`);
    for (const [sort, label] of [["newest", "Date, newest first"], ["oldest", "Date, oldest first"]] as const) {
      await page.selectOption("#search-sort", { label });
      await settled(page);
      assert.equal(new URL(page.url()).searchParams.get("sort"), sort, "the sort is in the URL");
      const sorted = await allResults(page);
      assert.deepEqual(sorted.map((r) => r.path).sort(), relevance.map((r) => r.path).sort(), "sorting keeps the same results");
      const dates = sorted.map((r) => r.date);
      assert.ok(dates.every((d) => d !== ""), "every result has a date");
      const expected = [...dates].sort();
      assert.deepEqual(dates, sort === "oldest" ? expected : expected.reverse(), sort);
    }
    await page.close();
  });

  test("a query that matches nothing says so", async () => {
    const page = await newPage();
    await openSearch(page, "?q=xylophonequagmire");
    assert.equal(await page.locator(".search-result").count(), 0);
    assert.equal(await statusText(page), "No comments match “xylophonequagmire”.");
    assert.equal(await page.locator("[data-search-status]").getAttribute("role"), "status", "the count is announced");
    await page.close();
  });

  test("a linked search (/search/?q=...&thread=...&sort=...) opens with its results and controls set", async () => {
    const page = await newPage();
    await openSearch(page, `?q=feature+learning&thread=${encodeURIComponent(THREAD)}&sort=oldest`);
    assert.equal(await page.inputValue("#search-q"), "feature learning");
    assert.equal(await page.inputValue("#search-thread"), THREAD);
    assert.equal(await page.inputValue("#search-sort"), "oldest");
    assert.equal(await page.locator("[data-search-nojs]").isVisible(), false, "no JavaScript notice while JavaScript runs");
    const results = await allResults(page);
    assert.ok(results.length > 0, "results shown");
    const inThread = new Set(built.comments.filter((c) => c.thread.title === THREAD).map((c) => sitePath(c.permalink)));
    assert.ok(results.every((r) => inThread.has(r.path)), "all in the thread");
    assert.match(await statusText(page), /comments? found for “feature learning”/);
    assert.ok((await page.locator(".search-result__excerpt mark").count()) > 0, "excerpts mark the words");

    await page.goto(`${built.site.url}search/?q=feature+learning`);
    await settled(page);
    assert.ok((await page.locator(".search-result").count()) > 0);
    await page.close();
  });

  test("Back returns to the previous search", async () => {
    const page = await newPage();
    await openSearch(page, "?q=network");
    const before = await statusText(page);
    await page.selectOption("#search-year", "2019");
    await settled(page);
    assert.notEqual(await statusText(page), before);
    await page.goBack();
    await settled(page);
    assert.equal(new URL(page.url()).search, "?q=network");
    assert.equal(await page.inputValue("#search-year"), "");
    assert.equal(await statusText(page), before);
    await page.close();
  });

  test("the search page has no accessibility violations, empty or with results, light or dark", async () => {
    const page = await newPage();
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const query of ["", "?q=feature+learning"]) {
        await openSearch(page, query);
        assert.deepEqual(await axeViolations(page), [], `${colorScheme} ${query || "(empty)"}`);
      }
    }
    await page.close();
  });

  test("pressing / focuses the header search box, but not while typing in a field", async () => {
    const page = await newPage();
    await page.goto(built.site.url);
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.matches("header input[name='q']")), true);
    assert.equal(await page.inputValue("header input[name='q']"), "", "the slash is not typed");

    await openSearch(page);
    await page.focus("#search-q");
    await page.keyboard.type("a/b");
    assert.equal(await page.inputValue("#search-q"), "a/b");
    await page.close();
  });

  test("without JavaScript the search page says so and links to the archives", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${built.site.url}search/`);
    const notice = page.locator("[data-search-nojs]");
    assert.ok(await notice.isVisible(), "the notice is shown");
    assert.match((await notice.textContent()) ?? "", /^Search needs JavaScript/);
    for (const [name, target] of [["archive", "archive/"], ["authors", "authors/"]] as const) {
      const link = notice.locator("a", { hasText: name });
      assert.ok(await link.isVisible(), `${name} link`);
      assert.equal(new URL((await link.getAttribute("href")) ?? "", page.url()).href, new URL(target, built.site.url).href);
    }
    assert.equal(await page.locator("form.search-page__form").isVisible(), false, "the search form, useless without JavaScript, is hidden");
    await context.close();
  });
});

describe("under a path prefix", () => {
  let prefixed: BuiltSite;
  before(async () => {
    prefixed = await buildSite({ pathPrefix: "/sub/" });
  });
  after(async () => {
    await prefixed?.close();
  });

  test("the bundle loads from the prefix and results link under it", async () => {
    const expected = prefixed.comments.find((c) => c.text.includes(PHRASE));
    assert.ok(expected);
    const page = await newPage();
    const outside: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.origin === new URL(prefixed.site.url).origin && !url.pathname.startsWith("/sub/") && url.pathname !== "/favicon.ico") outside.push(url.pathname);
    });
    await page.goto(`${prefixed.site.url}search/?q=${encodeURIComponent(PHRASE)}`);
    await settled(page);
    const link = page.locator(".search-result a").first();
    assert.equal(new URL((await link.getAttribute("href")) ?? "", page.url()).pathname, `/sub${expected.permalink}`);
    await link.click();
    await page.waitForURL((url) => url.pathname === `/sub${expected.permalink}`);
    await page.waitForSelector("[data-pagefind-body] mark");
    assert.deepEqual(outside, [], "nothing is requested outside /sub/");
    await page.close();
  });
});
