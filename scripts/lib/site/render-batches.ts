// Rendering a large site in several Eleventy runs in one process: Eleventy keeps every page it rendered until its run ends.
import { commentPageMonth } from "../permalinks.ts";
import { TEMPLATES, type SitePage, type SitePages } from "./page-model.ts";
import { outputFile } from "./render-plan.ts";

/**
 * Rendered output per Eleventy run, in comment pages' worth (see `renderWeight`): bounds what a run
 * holds at once (a comment page is ~8 kB of HTML, ~25 kB with Eleventy's own records). A whole
 * site of 100,000 comments weighs ~232,000: six runs, each peaking at ~1.8 GB.
 */
export const WEIGHT_PER_BATCH = 40_000;

/** A thread page (and feed) shows each of its comments in full, ~half a comment page; an author's or a period's page an excerpt, ~a twelfth. */
const FULL_COMMENT = 0.5;
const EXCERPT = 0.08;

/** What one page weighs once rendered, in comment pages. */
function pageWeight(page: SitePage): number {
  const data = page.data as Partial<{ list: { items: readonly unknown[] }; entries: readonly unknown[] }>;
  if (page.template === "thread") return 1 + (data.list?.items.length ?? 0) * FULL_COMMENT;
  if (page.template === "author" || page.template === "period") return 1 + (data.list?.items.length ?? 0) * EXCERPT;
  return 1 + (data.entries?.length ?? 0) * FULL_COMMENT;
}

/**
 * What the pages of `lists` weigh once rendered, in comment pages: Eleventy holds every page of a
 * run until the run ends, and a thread page of a hundred comments is fifty comment pages' worth.
 */
export function renderWeight(lists: SitePages): number {
  let weight = 0;
  for (const template of TEMPLATES) for (const page of lists[template]) weight += pageWeight(page);
  return weight;
}

/** A batched render in progress: which run this is, and what the first run planned (reused by the others). */
export interface BatchedRender<Planned> {
  index: number;
  /** Known once the first run has planned the build. */
  count?: number;
  planned?: Planned;
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
export function batchOf(lists: SitePages, index: number, count: number): SitePages {
  if (count === 1) return lists;
  const share = (list: readonly SitePage[]): SitePage[] => list.filter((_, i) => i % count === index);
  const batch = Object.fromEntries(TEMPLATES.map((template) => [template, template === "comment" ? slice(lists.comment, index, count) : share(lists[template])]));
  return batch as unknown as SitePages;
}

/** First and last month (`yyyy-mm`) of the comment pages that runs after `index` render; undefined when none does. */
export function pendingMonths(lists: SitePages, index: number, count: number): [string, string] | undefined {
  let range: [string, string] | undefined;
  for (let later = index + 1; later < count; later++) {
    for (const page of slice(lists.comment, later, count)) {
      const month = commentPageMonth(outputFile(page.url));
      if (month === undefined) continue;
      if (range === undefined) range = [month, month];
      else if (month < range[0]) range[0] = month;
      else if (month > range[1]) range[1] = month;
    }
  }
  return range;
}
