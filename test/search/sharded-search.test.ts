// One search over many index shards: the sample built with at most 6 pages a shard (7 shards) and the thread list loaded on demand, searched in Chromium.
// A large archive's first search covers only its newest shards; the shard list is rewritten on its way to the browser to make this site one.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { firstSearchShards } from "../../scripts/lib/search/shard-manifest.ts";
import { axeViolations } from "../browser/built-site.ts";
import { launchBrowserBeside } from "../support/browser.ts";
import { serveStatic, type StaticSite } from "../support/static-server.ts";
import { allResults, buildSharded, readShardList, settled, statusText, textOf, type ShardList, type ShardedSite } from "./helpers.ts";

const THREAD = "Parsing Chris Mingard on Neural Networks";

let browser: Browser;
let built: ShardedSite;
let site: StaticSite;
let list: ShardList;

before(async () => {
  [browser, built] = await launchBrowserBeside(buildSharded({ COMMENTARIUM_SEARCH_SHARD_PAGES: "6", COMMENTARIUM_SEARCH_INLINE_THREADS: "0" }, { extra: true }), (sharded) => sharded.copy.remove());
  site = await serveStatic(built.dist, "/");
  list = await readShardList(built.dist);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await built?.copy.remove();
});

const scriptErrors: string[] = [];
afterEach(() => {
  assert.deepEqual(scriptErrors.splice(0), [], "no script errors");
});

/**
 * A page that records script errors and every URL it requests. With `firstSearch`, the shard
 * list it receives names those shards as the ones a query searches first, as a large archive's does.
 */
async function newPage(firstSearch?: string[]): Promise<{ page: Page; requested: string[] }> {
  const page = await browser.newPage();
  if (firstSearch !== undefined) {
    await page.route("**/pagefind/shards.json", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...((await response.json()) as object), firstSearch } });
    });
  }
  const requested: string[] = [];
  page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
  page.on("request", (request) => requested.push(new URL(request.url()).pathname));
  return { page, requested };
}

async function search(page: Page, query: string): Promise<void> {
  await page.goto(`${site.url}search/${query}`);
  await settled(page);
}

const paths = (comments: { url: string }[]): string[] => comments.map((c) => c.url).sort();

/** Keys of the shards whose bundles the page merged (their entry files were fetched). */
const mergedShards = (requested: string[]): string[] => list.shards.filter((s) => requested.includes(`/pagefind/${s.path}pagefind-entry.json`)).map((s) => s.key).sort();

/** Every result of `query` over every shard, from a page given the shard list as built (every shard fits a first search). */
async function everyResult(query: string): Promise<{ path: string; date: string }[]> {
  const { page } = await newPage();
  await search(page, query);
  const results = await allResults(page);
  await page.close();
  return results;
}

describe("the shards", () => {
  test("a year over the limit is split down to months; every comment is in exactly one shard", () => {
    assert.deepEqual(
      list.shards.map((s) => s.key),
      ["2019", "2020", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06"],
    );
    assert.equal(list.shards.reduce((sum, s) => sum + s.pages, 0), built.comments.length);
    for (const shard of list.shards) {
      const inShard = built.comments.filter((c) => c.date.slice(0, 7) >= shard.months[0] && c.date.slice(0, 7) <= shard.months[1]);
      assert.equal(shard.pages, inShard.length, shard.key);
    }
    assert.match(built.output, /^search: shard 2021-04 \(2021-04\.\.2021-04\): \d+ pages in [\d.]+ s/m, "one progress line per shard");
  });

  test("the author and year lists come with the shard list; the long thread list has its own file", () => {
    const byAuthor: Record<string, number> = {};
    const byYear: Record<string, number> = {};
    for (const c of built.comments) {
      byAuthor[c.author.name] = (byAuthor[c.author.name] ?? 0) + 1;
      byYear[c.date.slice(0, 4)] = (byYear[c.date.slice(0, 4)] ?? 0) + 1;
    }
    assert.deepEqual(list.authors, byAuthor);
    assert.deepEqual(list.years, byYear);
    assert.equal(list.threads.count, new Set(built.comments.map((c) => c.thread.title)).size);
    assert.equal(list.threads.values, undefined);
    assert.ok(list.threads.file && existsSync(path.join(built.dist, "pagefind", list.threads.file)));
  });

  test("a first search covers every shard of this small site, newest first", () => {
    assert.deepEqual(list.firstSearch, list.shards.map((s) => s.key).reverse());
  });
});

describe("a large archive: a query searches the newest shards first", () => {
  // The newest shards up to 18 pages: 2021-06 and 2021-05 (3 + 15 pages).
  const first = (): string[] => firstSearchShards(list.shards, 18);

  test("the newest shards only, saying so; the results are every year's results from those months, and “Search every year” gives the rest", async () => {
    assert.deepEqual(first(), ["2021-06", "2021-05"]);
    const everything = await everyResult("?q=network");
    const { page, requested } = await newPage(first());
    await search(page, "?q=network");
    assert.deepEqual(mergedShards(requested), ["2021-05", "2021-06"], "only the first shards are loaded");
    const recent = everything.filter((r) => r.date.slice(0, 7) >= "2021-05");
    assert.ok(recent.length > 0 && recent.length < everything.length, "the query matches both recent and older comments");
    assert.equal(await statusText(page), `${recent.length} comments found for “network” since May 2021. Older comments have not been searched yet.`);
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), recent.map((r) => r.path).sort());
    assert.deepEqual(await page.locator("#search-year option").allTextContents(), ["Any year", "2021 (partly searched)", "2020 (not searched yet)", "2019 (not searched yet)"]);
    // At the end of the recent results the list offers the rest too.
    assert.equal((await page.locator("[data-search-more]").textContent())?.trim(), "Search every year");
    assert.ok(await page.locator("[data-search-every-year]").isVisible());

    await page.click("[data-search-every-year]");
    await page.waitForFunction(() => !/not been searched/.test(document.querySelector("[data-search-status]")?.textContent ?? ""));
    await settled(page);
    assert.equal(await statusText(page), `${everything.length} comments found for “network”.`);
    assert.deepEqual(mergedShards(requested), list.shards.map((s) => s.key).sort(), "every shard is loaded");
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), everything.map((r) => r.path).sort());
    assert.ok(!(await page.locator("[data-search-every-year]").isVisible()));
    assert.match(await page.locator("#search-year option[value='2019']").textContent() ?? "", /^2019 \(\d+\)$/);
    await page.close();
  });

  test("a search that left years out has no accessibility violations, light or dark", async () => {
    const { page } = await newPage(first());
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await search(page, "?q=network");
      assert.ok(await page.locator("[data-search-every-year]").isVisible());
      assert.deepEqual(await axeViolations(page), [], colorScheme);
    }
    await page.close();
  });

  test("the button at the end of the results searches every year too, and the focus moves to the first result", async () => {
    const { page } = await newPage(first());
    await search(page, "?q=network");
    await page.locator("[data-search-more]").click();
    await page.waitForFunction(() => !/not been searched/.test(document.querySelector("[data-search-status]")?.textContent ?? ""));
    await settled(page);
    assert.match(await statusText(page), /^\d+ comments found for “network”\.$/);
    assert.equal(await page.evaluate(() => document.activeElement === document.querySelector(".search-result a")), true);
    await page.close();
  });

  test("a query nothing recent matches searches every year before saying what it found", async () => {
    const { page, requested } = await newPage(first());
    await search(page, "?q=quasicrystal");
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), (await everyResult("?q=quasicrystal")).map((r) => r.path).sort());
    assert.equal(await statusText(page), "2 comments found for “quasicrystal”.");
    assert.deepEqual(mergedShards(requested), list.shards.map((s) => s.key).sort());
    assert.ok(!(await page.locator("[data-search-every-year]").isVisible()));
    await page.close();
  });

  test("a chosen year loads that year's shards besides the first ones and finds all of its results", async () => {
    const everything = await everyResult("?q=network");
    const { page, requested } = await newPage(first());
    await search(page, "?q=network&year=2019");
    assert.deepEqual(mergedShards(requested), ["2019", "2021-05", "2021-06"], "the first shards, and 2019's for the year");
    const inYear = everything.filter((r) => r.date.startsWith("2019"));
    assert.ok(inYear.length > 0);
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), inYear.map((r) => r.path).sort());
    assert.equal(await statusText(page), `${inYear.length === 1 ? "1 comment" : `${inYear.length} comments`} found for “network”.`);
    // The other years count what was searched beside it: the first shards (part of 2021), not 2020.
    assert.equal(await page.locator("#search-year option[value='2021']").textContent(), "2021 (partly searched)");
    assert.equal(await page.locator("#search-year option[value='2020']").textContent(), "2020 (not searched yet)");
    await page.close();
  });

  test("oldest first, a thread, or no words at all search every shard", async () => {
    for (const query of ["?q=network&sort=oldest", `?q=network&thread=${encodeURIComponent(THREAD)}`, "?author=interstice"]) {
      const { page, requested } = await newPage(first());
      await search(page, query);
      assert.deepEqual(mergedShards(requested), list.shards.map((s) => s.key).sort(), query);
      assert.doesNotMatch(await statusText(page), /searched/, query);
      assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), (await everyResult(query)).map((r) => r.path).sort(), query);
      await page.close();
    }
  });
});

describe("searching every shard at once", () => {
  test("a phrase finds its one comment, wherever its shard is; every shard is loaded, the thread list is not", async () => {
    const { page, requested } = await newPage();
    await search(page, "?q=least-rattling+feedback");
    const results = await allResults(page);
    assert.equal(results.length, 1);
    assert.match(results[0]?.path ?? "", /^\/comments\/interstice\/20210519-/);
    assert.equal(await statusText(page), "1 comment found for “least-rattling feedback”.");
    for (const shard of list.shards) assert.ok(requested.includes(`/pagefind/${shard.path}pagefind-entry.json`), `${shard.key} merged`);
    assert.ok(!requested.some((p) => p.endsWith(`/${list.threads.file}`)), "no thread list before the thread filter is used");
    await page.close();
  });

  test("a word only some shards have matches only there, not the shorter words it begins with elsewhere", async () => {
    // "quasicrystal" is in two 2019-2020 comments; in the 2021 shards Pagefind alone would match "q" (from "!Q,").
    const { page } = await newPage();
    await search(page, "?q=quasicrystal");
    const texts = await Promise.all(built.comments.map((c) => textOf(built, c)));
    const expected = built.comments.filter((_, i) => /quasicrystal/i.test(texts[i] ?? "")).map((c) => c.url);
    assert.equal(expected.length, 2);
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), expected.sort());
    assert.equal(await page.locator("#search-year option[value='2021']").textContent(), "2021 (0)");
    assert.equal(await page.locator("#search-year option[value='2019']").textContent(), "2019 (1)");
    await page.close();
  });

  test("a year spread over five shards shows exactly its comments, newest first across shards", async () => {
    const { page } = await newPage();
    await search(page, "?year=2021");
    const results = await allResults(page);
    const expected = built.comments.filter((c) => c.date.startsWith("2021"));
    assert.deepEqual(results.map((r) => r.path).sort(), paths(expected));
    const dates = results.map((r) => r.date);
    assert.deepEqual(dates, [...dates].sort().reverse(), "newest first");
    assert.equal(await statusText(page), `${expected.length} comments found.`);
    await page.close();
  });

  test("sorting by date orders results across shards, both ways, keeping the same results", async () => {
    const { page } = await newPage();
    await search(page, "?q=network");
    const relevance = await allResults(page);
    assert.ok(new Set(relevance.map((r) => r.date.slice(0, 7))).size >= 3, "results from several shards");
    for (const sort of ["oldest", "newest"]) {
      await search(page, `?q=network&sort=${sort}`);
      const sorted = await allResults(page);
      assert.deepEqual(sorted.map((r) => r.path).sort(), relevance.map((r) => r.path).sort());
      const dates = sorted.map((r) => r.date);
      assert.deepEqual(dates, sort === "oldest" ? [...dates].sort() : [...dates].sort().reverse(), sort);
    }
    await page.close();
  });
});

describe("the thread filter on a long thread list", () => {
  test("the list loads when the thread filter is first used; choosing a thread shows exactly its comments, with counts", async () => {
    const { page, requested } = await newPage();
    await search(page, "?q=network");
    assert.equal(await page.locator("#search-thread option").count(), 1, "only “Any thread” until the list is wanted");
    await page.focus("#search-thread");
    const option = page.locator("#search-thread option", { hasText: THREAD });
    await option.waitFor({ state: "attached" });
    assert.ok(requested.some((p) => p.endsWith(`/${list.threads.file}`)));
    assert.equal(await page.locator("#search-thread option").count(), list.threads.count + 1);
    // Counts follow the query once the thread data is in: the thread's comments that mention networks.
    await page.waitForFunction((thread) => /\(\d+\)$/.test([...document.querySelectorAll("#search-thread option")].find((o) => o.textContent?.startsWith(thread))?.textContent ?? ""), THREAD);
    await page.selectOption("#search-thread", THREAD);
    await settled(page);
    const inThread = new Set(built.comments.filter((c) => c.thread.title === THREAD).map((c) => c.url));
    const results = await allResults(page);
    assert.ok(results.length > 0 && results.every((r) => inThread.has(r.path)), "only the thread's comments");
    assert.ok(new Set(results.map((r) => r.date.slice(0, 4))).size >= 2, "from several shards");
    assert.equal(await option.textContent(), `${THREAD} (${results.length})`);
    assert.equal(new URL(page.url()).searchParams.get("thread"), THREAD);
    await page.close();
  });

  test("a linked search with a thread opens with the list loaded and exactly the thread's comments", async () => {
    const { page } = await newPage();
    await search(page, `?thread=${encodeURIComponent(THREAD)}`);
    assert.equal(await page.inputValue("#search-thread"), THREAD);
    const expected = built.comments.filter((c) => c.thread.title === THREAD);
    assert.deepEqual((await allResults(page)).map((r) => r.path).sort(), paths(expected));
    assert.equal(await page.locator("#search-thread option", { hasText: THREAD }).textContent(), `${THREAD} (${expected.length})`);
    await page.close();
  });
});
