// A whole build rendered in several Eleventy runs indexes the months each run completed while the next runs render, and ends with the index a build in one run makes.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { compareTrees } from "../support/tree-compare.ts";
import { SHARD_PAGES_ENV } from "../../scripts/lib/search/shard-plan.ts";
import { buildSharded, readShardList, type ShardedSite } from "./helpers.ts";

/** The sample's 2021 split into its months (2021-02 .. 2021-06), rendered 7 pages a run. */
const SHARDED = { [SHARD_PAGES_ENV]: "6" };
const BATCHED = { ...SHARDED, COMMENTARIUM_RENDER_BATCH_PAGES: "7" };

describe("indexing search while Eleventy renders", () => {
  let batched: ShardedSite;
  let single: ShardedSite;

  before(async () => {
    [batched, single] = await Promise.all([buildSharded(BATCHED), buildSharded(SHARDED)]);
  });
  after(() => Promise.all([batched.copy.remove(), single.copy.remove()]));

  test("builds the shards of the months a run completed, as Eleventy reports them", async () => {
    const lines = batched.output.split("\n");
    assert.ok(lines.some((line) => line.includes("[while Eleventy renders]")), `no shard built while rendering:\n${batched.output}`);
    const early = lines.filter((line) => line.includes("[while Eleventy renders]") || line.includes("[queued while Eleventy rendered]"));
    assert.match(batched.output, new RegExp(`search: ${early.length} of ${(await readShardList(batched.dist)).shards.length} shards \\(\\d+ pages\\) indexed as Eleventy's runs completed them`));
    // In one run there is nothing to overlap with: every shard is built after it.
    assert.doesNotMatch(single.output, /while Eleventy render|as Eleventy's runs completed/);
  });

  test("publishes the same site, search index included, as a build in one run", async () => {
    const compared = await compareTrees(batched.dist, single.dist);
    assert.deepEqual({ onlyBatched: compared.onlyInFirst, onlyOneRun: compared.onlyInSecond, differing: compared.differing.map((d) => d.file) }, { onlyBatched: [], onlyOneRun: [], differing: [] });
    assert.ok((await readShardList(batched.dist)).shards.length >= 3);
  });

  test("after a template change, indexes while rendering the whole site again, as a whole build would", async () => {
    for (const site of [batched, single]) {
      const layout = path.join(site.copy.dir, "_includes/layouts/base.njk");
      await writeFile(layout, (await readFile(layout, "utf8")).replace("<head>", '<head>\n<meta name="generator-test" content="changed">'));
    }
    const [update, whole] = await Promise.all([batched.copy.run("build", [], BATCHED), single.copy.run("build", ["--full"], SHARDED)]);
    assert.equal(update.code, 0, update.stderr);
    assert.equal(whole.code, 0, whole.stderr);
    assert.match(update.stdout, /indexed as Eleventy's runs completed them/);
    assert.doesNotMatch(update.stdout, /^update:/m);
    const compared = await compareTrees(batched.dist, single.dist);
    assert.deepEqual({ onlyUpdated: compared.onlyInFirst, onlyWhole: compared.onlyInSecond, differing: compared.differing.map((d) => d.file) }, { onlyUpdated: [], onlyWhole: [], differing: [] });
  });
});
