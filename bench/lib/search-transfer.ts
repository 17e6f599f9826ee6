// What a visitor downloads for their first search: bytes under /pagefind/ (the shard list and every shard's bundle), measured in Chromium.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Page, Request } from "playwright-core";
import { launchBrowser } from "../../test/support/browser.ts";
import { serveStatic } from "../../test/support/static-server.ts";

export interface TransferGroup {
  requests: number;
  bytes: number;
}

export interface SearchTransfer {
  /** `search-page`: the site's own /search/ page; `pagefind-api`: a minimal page calling the Pagefind JS API (no search page in the build). */
  method: "search-page" | "pagefind-api";
  query: string;
  url: string;
  /** Results shown (search page) or result data loaded (API page). */
  resultsRendered: number;
  /** Index shards in pagefind/shards.json, and how many of them the first query searched (their entry files were fetched). */
  shards: number;
  shardsSearched: number;
  /** What the search page's status said once the results were shown (undefined without a search page). */
  status: string | undefined;
  /** Bytes on the wire: response headers + body as sent (the test server does not compress; Pagefind's index files are gzipped already). */
  pagefindBytes: number;
  pagefindRequests: number;
  /** By kind: list (the shard list), js, wasm, entry, meta, index, fragment, filter, other. */
  byKind: Record<string, TransferGroup>;
  /** Everything the page loaded, Pagefind included. */
  totalBytes: number;
  /** From navigation to the first results on screen: what a visitor waits (Chromium on this machine's CPUs). */
  resultsSeconds: number;
  /** From navigation until the network has been quiet for a second (fragments of later results included). */
  seconds: number;
  /**
   * When the first query searched only the newest shards: pressing "Search every year" then.
   * Bytes and requests under /pagefind/ it added, and the seconds until its results were shown.
   */
  everyYear?: { pagefindBytes: number; pagefindRequests: number; resultsSeconds: number; shardsSearched: number; status: string };
}

/** Pagefind's bundle layout: what each file is for, so the report says which part dominates. */
function kindOf(pathname: string): string {
  const name = path.posix.basename(pathname);
  if (name.endsWith(".json") && name !== "pagefind-entry.json") return "list";
  if (name.endsWith(".js")) return "js";
  if (name.startsWith("wasm.") || name.endsWith(".wasm")) return "wasm";
  if (name === "pagefind-entry.json") return "entry";
  if (name.endsWith(".pf_meta")) return "meta";
  if (name.endsWith(".pf_index")) return "index";
  if (name.endsWith(".pf_fragment")) return "fragment";
  if (name.endsWith(".pf_filter")) return "filter";
  return "other";
}

/** Distinct shard bundles whose entry file is among `requests`: the shards merged into the search. */
function shardsOf(requests: readonly { url: string }[]): number {
  return new Set(requests.map((r) => new URL(r.url).pathname).filter((p) => p.endsWith("/pagefind-entry.json")).map((p) => path.posix.dirname(p))).size;
}

interface Transfers {
  /** Wire sizes of finished requests; sizes() is asynchronous, so each entry is a promise. */
  finished: Promise<{ url: string; bytes: number }>[];
  inFlight: Set<Request>;
  lastActivity: () => number;
}

/**
 * Response headers + body as received. Chromium reports a body size of 0 for a worker's own
 * script (pagefind-worker.js, ~43 KB), so the Content-Length the server sent is the floor.
 */
async function wireSize(request: Request): Promise<number> {
  const sizes = await request.sizes();
  const declared = Number((await request.response())?.headers()["content-length"] ?? 0);
  return sizes.responseHeadersSize + Math.max(sizes.responseBodySize, Number.isFinite(declared) ? declared : 0);
}

/**
 * Records every request's size on the wire (encoded body + response headers). Playwright's
 * request events are used rather than a CDP session on the page because Pagefind fetches its
 * index from a Web Worker, whose requests a page-level CDP session never sees.
 */
function recordTransfers(page: Page): Transfers {
  const finished: Transfers["finished"] = [];
  const inFlight = new Set<Request>();
  let last = performance.now();
  page.on("request", (request) => {
    inFlight.add(request);
    last = performance.now();
  });
  page.on("requestfinished", (request) => {
    inFlight.delete(request);
    last = performance.now();
    finished.push(wireSize(request).then((bytes) => ({ url: request.url(), bytes })));
  });
  page.on("requestfailed", (request) => {
    inFlight.delete(request);
    last = performance.now();
  });
  return { finished, inFlight, lastActivity: () => last };
}

/** Waits until no request has been in flight for `quietMs`: the search UI fetches fragments after rendering the count. */
async function networkQuiet(inFlight: Set<Request>, lastActivity: () => number, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (inFlight.size === 0 && performance.now() - lastActivity() >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The site's search page, as a visitor arriving with ?q= sees it: waits for result items (or a "no results" status). */
async function searchPage(page: Page, base: string, query: string): Promise<{ url: string; rendered: number }> {
  const url = `${base}search/?q=${encodeURIComponent(query)}`;
  await page.goto(url);
  await page.waitForFunction(
    () => document.querySelectorAll("[data-search-results] > li").length > 0 || /no comments match|could not be loaded/i.test(document.body.innerText),
    undefined,
    { timeout: 120_000 },
  );
  return { url, rendered: await page.locator("[data-search-results] > li").count() };
}

const STATUS = "[data-search-status]";
const EVERY_YEAR = "[data-search-every-year]";

/** Presses "Search every year" and waits until its results are shown: the status no longer says that years were left out. */
async function searchEveryYear(page: Page): Promise<string> {
  const before = await page.locator(STATUS).textContent();
  await page.click(EVERY_YEAR);
  await page.waitForFunction(
    ([status, previous]) => {
      const text = document.querySelector(status)?.textContent ?? "";
      return text !== previous && !/not been searched|searching/i.test(text) && document.querySelector('[data-search-results][aria-busy="false"]') !== null;
    },
    [STATUS, before] as const,
    { timeout: 120_000 },
  );
  return (await page.locator(STATUS).textContent()) ?? "";
}

/** Without a search page: the same first query through Pagefind's JS API over every shard, loading the first page of result data. */
async function apiPage(page: Page, base: string, query: string): Promise<{ url: string; rendered: number }> {
  const url = `${base}__bench__/search.html`;
  const bundle = `${new URL(base).pathname}pagefind/`;
  const html = `<!doctype html><meta charset="utf-8"><title>bench search</title><script type="module">
const bundle = ${JSON.stringify(bundle)};
const { shards } = await (await fetch(bundle + "shards.json")).json();
const [first, ...rest] = shards.filter((shard) => shard.pages > 0);
const pagefind = await import(bundle + first.path + "pagefind.js");
await pagefind.options({ baseUrl: ${JSON.stringify(new URL(base).pathname)} });
await Promise.all(rest.map((shard) => pagefind.mergeIndex(bundle + shard.path)));
const search = await pagefind.search(${JSON.stringify(query)});
const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
window.__benchLoaded = data.length;
</script>`;
  // Served by the browser itself, so nothing is written into the built site being measured.
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
  await page.goto(url);
  await page.waitForFunction(() => typeof (window as unknown as { __benchLoaded?: number }).__benchLoaded === "number", undefined, { timeout: 120_000 });
  return { url, rendered: await page.evaluate(() => (window as unknown as { __benchLoaded: number }).__benchLoaded) };
}

export async function measureSearchTransfer(siteDir: string, query: string, pathPrefix = "/"): Promise<SearchTransfer | { skipped: string }> {
  const shardList = path.join(siteDir, "pagefind", "shards.json");
  if (!existsSync(shardList)) return { skipped: "the build wrote no pagefind/shards.json" };
  const shards = (JSON.parse(await readFile(shardList, "utf8")) as { shards: { pages: number }[] }).shards.filter((shard) => shard.pages > 0).length;
  const method = existsSync(path.join(siteDir, "search", "index.html")) ? "search-page" : "pagefind-api";
  const site = await serveStatic(siteDir, pathPrefix);
  const browser = await launchBrowser();
  try {
    // A new context has an empty cache: this is a first visit's first query.
    const context = await browser.newContext();
    const page = await context.newPage();
    const { finished, inFlight, lastActivity } = recordTransfers(page);
    const started = performance.now();
    const { url, rendered } = method === "search-page" ? await searchPage(page, site.url, query) : await apiPage(page, site.url, query);
    const resultsSeconds = (performance.now() - started) / 1000;
    await networkQuiet(inFlight, lastActivity, 1000, 30_000);
    const seconds = (performance.now() - started) / 1000;

    const byKind: Record<string, TransferGroup> = {};
    let pagefindBytes = 0;
    let pagefindRequests = 0;
    let totalBytes = 0;
    const firstRequests = await Promise.all(finished.splice(0));
    for (const { url: requestUrl, bytes } of firstRequests) {
      totalBytes += bytes;
      const { pathname } = new URL(requestUrl, site.url);
      if (!pathname.startsWith(`${pathPrefix}pagefind/`)) continue;
      pagefindBytes += bytes;
      pagefindRequests++;
      const group = (byKind[kindOf(pathname)] ??= { requests: 0, bytes: 0 });
      group.requests++;
      group.bytes += bytes;
    }
    const shardsSearched = shardsOf(firstRequests);
    const status = method === "search-page" ? ((await page.locator(STATUS).textContent()) ?? "").trim() : undefined;

    let everyYear: SearchTransfer["everyYear"];
    if (method === "search-page" && (await page.locator(EVERY_YEAR).isVisible())) {
      const clicked = performance.now();
      const everyStatus = (await searchEveryYear(page)).trim();
      const everySeconds = (performance.now() - clicked) / 1000;
      await networkQuiet(inFlight, lastActivity, 1000, 30_000);
      const added = (await Promise.all(finished.splice(0))).filter((r) => new URL(r.url, site.url).pathname.startsWith(`${pathPrefix}pagefind/`));
      everyYear = {
        pagefindBytes: added.reduce((sum, r) => sum + r.bytes, 0),
        pagefindRequests: added.length,
        resultsSeconds: everySeconds,
        shardsSearched: shardsSearched + shardsOf(added),
        status: everyStatus,
      };
    }
    return { method, query, url, resultsRendered: rendered, shards, shardsSearched, status, pagefindBytes, pagefindRequests, byKind, totalBytes, resultsSeconds, seconds, ...(everyYear ? { everyYear } : {}) };
  } finally {
    await browser.close();
    await site.close();
  }
}
