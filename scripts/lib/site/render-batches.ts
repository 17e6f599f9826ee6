// Rendering a large site in several Eleventy runs in one process: Eleventy keeps every page it rendered until its run ends.
import { commentPageMonth } from "../permalinks.ts";
import { outputFile } from "./render-plan.ts";
import { FEED_ENTRIES, type RenderLists } from "./site-archive.ts";

/**
 * Rendered output per Eleventy run, in comment pages' worth (see `renderWeight`): bounds what a run
 * holds at once (a comment page is ~8 kB of HTML, ~25 kB with Eleventy's own records). A whole
 * site of 100,000 comments weighs ~232,000: six runs, each peaking at ~1.8 GB.
 */
export const WEIGHT_PER_BATCH = 40_000;

/** A thread page (and feed) shows each of its comments in full, ~half a comment page; an author's or a period's page an excerpt, ~a twelfth. */
const FULL_COMMENT = 0.5;
const EXCERPT = 0.08;

/**
 * What the pages of `lists` weigh once rendered, in comment pages: Eleventy holds every page of a
 * run until the run ends, and a thread page of a hundred comments is fifty comment pages' worth.
 */
export function renderWeight(lists: RenderLists): number {
  let weight = lists.comments.length;
  for (const { page } of lists.threadPages) weight += 1 + page.items.length * FULL_COMMENT;
  for (const { page } of lists.authorPages) weight += 1 + page.items.length * EXCERPT;
  for (const { page } of lists.periodPages) weight += 1 + page.items.length * EXCERPT;
  for (const thread of lists.threadFeeds) weight += 1 + Math.min(thread.comments.length, FEED_ENTRIES) * FULL_COMMENT;
  for (const author of lists.authorFeeds) weight += 1 + Math.min(author.comments.length, FEED_ENTRIES) * FULL_COMMENT;
  return weight + lists.moved.length + lists.removed.length + lists.threadIndexPages.length + lists.authorIndexPages.length + lists.sitemapFiles.length + lists.commentIndex.length;
}

/** A batched render in progress: which run this is, and what the first run planned (reused by the others). */
export interface BatchedRender<Planned> {
  index: number;
  /** Known once the first run has planned the build. */
  count?: number;
  planned?: Planned;
}

let current: BatchedRender<unknown> | undefined;

/** Starts (or moves on to) run `index` of a batched render; `undefined` ends batching (the dev server never batches). */
export function setBatch(index: number | undefined): void {
  current = index === undefined ? undefined : { ...current, index };
}

export function currentBatch<Planned>(): BatchedRender<Planned> | undefined {
  return current as BatchedRender<Planned> | undefined;
}

/** Runs for pages weighing `weight` (see `renderWeight`); `COMMENTARIUM_RENDER_BATCH_PAGES` overrides WEIGHT_PER_BATCH (tests render small sites in several runs). */
export function batchCount(weight: number, env: NodeJS.ProcessEnv = process.env): number {
  const perBatch = Number(env.COMMENTARIUM_RENDER_BATCH_PAGES) > 0 ? Number(env.COMMENTARIUM_RENDER_BATCH_PAGES) : WEIGHT_PER_BATCH;
  return Math.max(1, Math.ceil(weight / perBatch));
}

/** Run `index`'s part of `list` cut into `count` runs of consecutive items. */
function slice<T>(list: readonly T[], index: number, count: number): T[] {
  return list.slice(Math.floor((list.length * index) / count), Math.floor((list.length * (index + 1)) / count));
}

/**
 * The pages of run `index` of `count`. Comments are cut into consecutive slices of the list (which
 * is in date order), so that once a run ends every comment page of some months is written and the
 * search can index those months while the next runs render (see `pendingMonths`). Of every other
 * list each run gets every count-th item, its share of every kind.
 */
export function batchOf(lists: RenderLists, index: number, count: number): RenderLists {
  if (count === 1) return lists;
  const share = <T>(list: T[]): T[] => list.filter((_, i) => i % count === index);
  return {
    comments: slice(lists.comments, index, count),
    threadPages: share(lists.threadPages),
    authorPages: share(lists.authorPages),
    periodPages: share(lists.periodPages),
    threadFeeds: share(lists.threadFeeds),
    authorFeeds: share(lists.authorFeeds),
    moved: share(lists.moved),
    removed: share(lists.removed),
    threadIndexPages: share(lists.threadIndexPages),
    authorIndexPages: share(lists.authorIndexPages),
    sitemapFiles: share(lists.sitemapFiles),
    commentIndex: share(lists.commentIndex),
  };
}

/** First and last month (`yyyy-mm`) of the comment pages that runs after `index` render; undefined when none does. */
export function pendingMonths(lists: RenderLists, index: number, count: number): [string, string] | undefined {
  let range: [string, string] | undefined;
  for (let later = index + 1; later < count; later++) {
    for (const comment of slice(lists.comments, later, count)) {
      const month = commentPageMonth(outputFile(comment.permalink));
      if (month === undefined) continue;
      if (range === undefined) range = [month, month];
      else if (month < range[0]) range[0] = month;
      else if (month > range[1]) range[1] = month;
    }
  }
  return range;
}
