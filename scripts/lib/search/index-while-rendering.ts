// Indexes a site's search shards while Eleventy still renders it: a shard is built as soon as every comment page of its months is written.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { loadSiteConfig } from "../site/site-config.ts";
import { BUNDLE_DIR, buildShardBundle, oneAtATime, SHARDS_DIR } from "./index-site.ts";
import type { ShardEntry } from "./shard-manifest.ts";
import { planShards, shardPagesLimit, type ShardPlan } from "./shard-plan.ts";

export interface IndexWhileRendering {
  /** Eleventy has written every comment page outside the months `pending` spans (first and last, `yyyy-mm`). */
  pagesWritten(pending: readonly [string, string]): void;
  /**
   * Eleventy is done: builds the shards still queued with all of Pagefind's threads, and gives
   * their entries (none without a report), for `indexSite(siteDir, { prebuilt })`. Rejects when one failed.
   */
  finish(): Promise<ShardEntry[]>;
  /** Begins no more shards and waits for the one being built (the render failed; the site is thrown away). */
  abandon(): Promise<void>;
}

/**
 * Indexes the site being rendered into `siteDir` as Eleventy reports its progress. At the first
 * report, shards are planned as `indexSite` plans them, from `expectedPages()` (the site-relative
 * comment pages the site will have, `comments/<author>/<stamp>/index.html`); each is built once a
 * report says its months are complete, one at a time. `indexSite(siteDir, { prebuilt })` then
 * keeps those that match the pages Eleventy really wrote and builds the rest, so a wrong
 * expectation costs time, never a wrong index.
 */
export function indexWhileRendering(siteDir: string, expectedPages: () => Iterable<string>, log: (line: string) => void = (line) => console.log(line)): IndexWhileRendering {
  const language = loadSiteConfig().language;
  const shardsDir = path.join(siteDir, BUNDLE_DIR, SHARDS_DIR);
  let waiting: ShardPlan[] | undefined;
  const built: ShardEntry[] = [];
  let building: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  let rendering = true;

  const build = (shard: ShardPlan): void => {
    building = building.then(async () => {
      if (failure !== undefined) return;
      try {
        await mkdir(shardsDir, { recursive: true });
        // One thread while Eleventy renders on the other core; all of them for the shards still queued when it is done.
        const [reason, threads] = rendering ? ["while Eleventy renders", 1] : ["queued while Eleventy rendered", undefined];
        built.push(await oneAtATime(() => buildShardBundle(siteDir, shardsDir, shard, language, log, reason, threads)));
      } catch (error) {
        failure = { error };
      }
    });
  };

  return {
    pagesWritten([first, last]) {
      waiting ??= planShards(expectedPages(), shardPagesLimit());
      const ready = waiting.filter((shard) => shard.months[1] < first || shard.months[0] > last);
      waiting = waiting.filter((shard) => !ready.includes(shard));
      for (const shard of ready) build(shard);
    },
    async finish() {
      waiting = [];
      rendering = false;
      await building;
      if (failure !== undefined) throw failure.error;
      return built;
    },
    async abandon() {
      waiting = [];
      failure ??= { error: new Error("abandoned") };
      await building;
    },
  };
}
