// Groups comment pages into search shards by the year and month in their URL: a decade or half-decade when small, a year, or its halves, quarters or months when large.
import { createHash } from "node:crypto";
import { wholeNumberFromEnv } from "../env-number.ts";
import { commentPageMonth } from "../permalinks.ts";

/**
 * Most pages a shard should hold unless one month alone has more (a month is never split). An
 * edit re-indexes its comment's whole shard (Pagefind takes ~2.5 ms a page, after Eleventy), while
 * every shard a search covers costs it ~20 KB of index per word: 3,000 keeps an edit at 100,000
 * comments under 30 s (its shard at most ~3,000 pages, ~7 s), with 53 shards there.
 */
export const DEFAULT_SHARD_PAGES = 3000;
/** Overrides DEFAULT_SHARD_PAGES, e.g. so a test can force several shards on a small site. */
export const SHARD_PAGES_ENV = "COMMENTARIUM_SEARCH_SHARD_PAGES";
/**
 * Most pages a shard of several years holds (or the shard limit, when lower). A search fetches
 * part of each shard's index for every word (~20 KB, however few pages the shard has), so small
 * years share a shard; but a shard is re-indexed whole when one of its comments changes, so not
 * a large one (~2 ms a page).
 */
export const MULTI_YEAR_PAGES = 1000;

export interface ShardPlan {
  /**
   * `2010-2019` (a decade) or `2015-2019` (half of one) when several of its years have pages, `2021`
   * (the year), `2021-h1`/`2021-h2` (halves), `2021-q1`..`2021-q4` (quarters) or `2021-01` (a month).
   */
  key: string;
  /** First and last month the shard covers, `yyyy-mm`, whether or not they have pages. */
  months: [string, string];
  /** The shard's pages, site-relative, sorted. */
  pages: string[];
  /** Digest of the page list: a shard whose members changed has another digest. */
  digest: string;
}

/** Site-relative paths as the caller may give them (`./comments/...`, `/comments/...`, Windows separators) in one form. */
export function normalisePagePath(page: string): string {
  return page.replaceAll("\\", "/").replace(/^(\.\/|\/)+/, "");
}

/** The shard size limit: the environment's when it is a positive integer, else the default. */
export function shardPagesLimit(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv(env, SHARD_PAGES_ENV, DEFAULT_SHARD_PAGES, 1);
}

export function digestOf(pages: readonly string[]): string {
  return createHash("sha256").update(pages.join("\n")).digest("hex").slice(0, 16);
}

const month2 = (month: number): string => String(month).padStart(2, "0");

/** A span of months within one year (1-based, inclusive) and the key it is published under. */
interface Span {
  key: string;
  first: number;
  last: number;
}

/**
 * The fixed ways a span splits: a year into halves, a half into quarters, a quarter into months.
 * Fixed boundaries (rather than packing months greedily) keep a change local: one added or
 * removed page can only re-split the span it falls in, never shift the boundaries of the rest
 * of the year, so an incremental run rebuilds at most about one shard's worth of pages.
 */
function splitSpan(year: string, span: Span): Span[] {
  const length = span.last - span.first + 1;
  if (length === 12) return [1, 2].map((h) => ({ key: `${year}-h${h}`, first: (h - 1) * 6 + 1, last: h * 6 }));
  if (length === 6) return [0, 1].map((i) => ({ key: `${year}-q${(span.first - 1) / 3 + 1 + i}`, first: span.first + i * 3, last: span.first + i * 3 + 2 }));
  return Array.from({ length }, (_, i) => ({ key: `${year}-${month2(span.first + i)}`, first: span.first + i, last: span.first + i }));
}

function planYear(year: string, byMonth: Map<number, string[]>, maxPages: number): ShardPlan[] {
  const pagesIn = (span: Span): string[] => {
    const pages: string[] = [];
    for (let m = span.first; m <= span.last; m++) pages.push(...(byMonth.get(m) ?? []));
    return pages;
  };
  const plans: ShardPlan[] = [];
  const visit = (span: Span): void => {
    const pages = pagesIn(span);
    if (pages.length === 0) return;
    if (pages.length > maxPages && span.first !== span.last) {
      for (const part of splitSpan(year, span)) visit(part);
      return;
    }
    pages.sort();
    plans.push({ key: span.key, months: [`${year}-${month2(span.first)}`, `${year}-${month2(span.last)}`], pages, digest: digestOf(pages) });
  };
  visit({ key: year, first: 1, last: 12 });
  return plans;
}

/**
 * Groups comment pages into shards: a decade (2010-2019) when several of its years have pages
 * and all its pages fit in `multiYearPages`, else its halves (2010-2014, 2015-2019) on the same
 * terms, else one shard a year, and a year with more than `maxPages` pages split into halves, a
 * half with more into quarters, a quarter with more into months (a single month over the limit
 * stays one shard). The boundaries are fixed, as within a year (see splitSpan). Depends only on
 * the set of pages, not their order; paths that are not comment pages are left out. Shards come
 * oldest first.
 */
export function planShards(pages: Iterable<string>, maxPages: number, multiYearPages = Math.min(maxPages, MULTI_YEAR_PAGES)): ShardPlan[] {
  const byYear = new Map<string, Map<number, string[]>>();
  for (const page of new Set([...pages].map(normalisePagePath))) {
    const month = commentPageMonth(page);
    if (month === undefined) continue;
    const [year = "", mm = ""] = month.split("-");
    const months = byYear.get(year) ?? new Map<number, string[]>();
    byYear.set(year, months);
    const list = months.get(Number(mm)) ?? [];
    months.set(Number(mm), list);
    list.push(page);
  }
  const pagesOf = (year: number): string[] => [...(byYear.get(String(year))?.values() ?? [])].flat();
  const plans: ShardPlan[] = [];
  const visit = (first: number, length: number): void => {
    const years = Array.from({ length }, (_, i) => first + i).filter((year) => byYear.has(String(year)));
    if (years.length === 0) return;
    const pages = years.flatMap(pagesOf);
    if (years.length > 1 && pages.length <= multiYearPages) {
      const last = first + length - 1;
      pages.sort();
      plans.push({ key: `${first}-${last}`, months: [`${first}-01`, `${last}-12`], pages, digest: digestOf(pages) });
    } else if (years.length > 1 && length === 10) {
      visit(first, 5);
      visit(first + 5, 5);
    } else {
      for (const year of years) plans.push(...planYear(String(year), byYear.get(String(year)) ?? new Map(), maxPages));
    }
  };
  const decades = new Set([...byYear.keys()].map((year) => Math.floor(Number(year) / 10) * 10));
  for (const decade of [...decades].sort((a, b) => a - b)) visit(decade, 10);
  return plans;
}

/**
 * Pagefind's glob for a shard's pages, its months spelt out (`comments/<any author>/{202101,202102}[0-9][0-9]-<rest of stamp>/index.html`),
 * or for a shard of several years, its years (`comments/<any author>/{2015,2016}[0-9][0-9][0-9][0-9]-<rest>/index.html`).
 */
export function shardGlob(shard: { months: readonly [string, string] }): string {
  const [from, to] = shard.months;
  if (from.slice(0, 4) !== to.slice(0, 4)) {
    const years = Array.from({ length: Number(to.slice(0, 4)) - Number(from.slice(0, 4)) + 1 }, (_, i) => Number(from.slice(0, 4)) + i);
    return `comments/*/{${years.join(",")}}[0-9][0-9][0-9][0-9]-*/index.html`;
  }
  const [first, last] = shard.months.map((m) => Number(m.replace("-", ""))) as [number, number];
  const months: string[] = [];
  for (let m = first; m <= last; m++) months.push(String(m));
  const stamp = months.length === 1 ? months[0] : `{${months.join(",")}}`;
  return `comments/*/${stamp}[0-9][0-9]-*/index.html`;
}

/** Whether a shard covers `month` (`yyyy-mm`): its pages, and any page of that month that was deleted. */
export function coversMonth(shard: { months: readonly [string, string] }, month: string): boolean {
  return shard.months[0] <= month && month <= shard.months[1];
}
