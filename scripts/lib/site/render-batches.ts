// Rendering a large site in several Eleventy runs in one process: Eleventy keeps every page it rendered until its run ends.
import type { RenderLists } from "./site-archive.ts";

/** Listed pages per Eleventy run: bounds the rendered pages held at once (about 25 kB each, with Eleventy's own records). */
export const PAGES_PER_BATCH = 25_000;

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

/** `COMMENTARIUM_RENDER_BATCH_PAGES` overrides PAGES_PER_BATCH (tests render small sites in several runs). */
export function batchCount(rendering: number, env: NodeJS.ProcessEnv = process.env): number {
  const perBatch = Number(env.COMMENTARIUM_RENDER_BATCH_PAGES) > 0 ? Number(env.COMMENTARIUM_RENDER_BATCH_PAGES) : PAGES_PER_BATCH;
  return Math.max(1, Math.ceil(rendering / perBatch));
}

/** The pages of run `index` of `count`: every count-th item of each list, so each run gets its share of every kind. */
export function batchOf(lists: RenderLists, index: number, count: number): RenderLists {
  if (count === 1) return lists;
  const share = <T>(list: T[]): T[] => list.filter((_, i) => i % count === index);
  return {
    comments: share(lists.comments),
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
  };
}
