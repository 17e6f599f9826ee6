// Shard planning, the shard list and the filter-file reader: pure functions, checked without a build.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { decodeCbor, decodeFilterFile, mergeFacets } from "../../scripts/lib/search/facets.ts";
import { firstSearchPagesLimit, firstSearchShards, monthsOf, parseManifest, rebuildReason, type RebuildInput, type ShardManifest } from "../../scripts/lib/search/shard-manifest.ts";
import { commentPageMonth } from "../../scripts/lib/permalinks.ts";
import { normalisePagePath, planShards, shardGlob, shardPagesLimit } from "../../scripts/lib/search/shard-plan.ts";

/** `n` comment pages in `yyyy-mm`, by one author, a minute apart. */
function pagesIn(month: string, n: number, author = "a"): string[] {
  const [year, mm] = month.split("-");
  return Array.from({ length: n }, (_, i) => `comments/${author}/${year}${mm}01-00${String(i % 60).padStart(2, "0")}00-${String(Math.floor(i / 60)).padStart(3, "0")}/index.html`);
}

describe("planShards", () => {
  test("a small year is one shard; pages outside comments/<author>/<stamp>/ are left out", () => {
    const pages = [...pagesIn("2020-03", 3), ...pagesIn("2031-11", 2), "comments/a/index.html", "threads/x/index.html", "comments/a/2021-notes/index.html"];
    const plan = planShards(pages, 10);
    assert.deepEqual(plan.map((s) => [s.key, s.months, s.pages.length]), [["2020", ["2020-01", "2020-12"], 3], ["2031", ["2031-01", "2031-12"], 2]]);
  });

  test("small years share their decade's shard, or their half-decade's; a decade too large for one falls into years", () => {
    const years = (counts: Record<string, number>): string[] => Object.entries(counts).flatMap(([year, n]) => pagesIn(`${year}-06`, n));
    const keys = (pages: string[], max = 8): [string, string[], number][] => planShards(pages, max).map((s) => [s.key, s.months, s.pages.length]);
    assert.deepEqual(keys(years({ "2012": 2, "2016": 3, "2021": 1, "2023": 1 })), [
      ["2010-2019", ["2010-01", "2019-12"], 5],
      ["2020-2029", ["2020-01", "2029-12"], 2],
    ]);
    // 2010s: 10 pages > 8, so halves: 2010-2014 holds 2012 alone (a year shard), 2015-2019 has 7 in two years.
    assert.deepEqual(keys(years({ "2012": 3, "2016": 3, "2018": 4 })), [
      ["2012", ["2012-01", "2012-12"], 3],
      ["2015-2019", ["2015-01", "2019-12"], 7],
    ]);
    // 2015-2019 has 9 > 8: a shard a year, and each year as large as it needs.
    assert.deepEqual(keys(years({ "2016": 3, "2018": 6 })).map(([key]) => key), ["2016", "2018"]);
    assert.deepEqual(keys(years({ "2016": 3, "2018": 16 })).map(([key]) => key), ["2016", "2018-06"], "a large year splits as before; a month is never split");
    // Several years share a shard only up to the multi-year limit, lower than the shard limit.
    assert.deepEqual(planShards(years({ "2012": 3, "2013": 3 }), 10, 5).map((s) => s.key), ["2012", "2013"]);
    assert.deepEqual(planShards(years({ "2012": 3, "2013": 3 }), 10).map((s) => s.key), ["2010-2019"]);
  });

  test("a large year splits into halves, a large half into quarters, a large quarter into months; a month is never split", () => {
    const pages = [...pagesIn("2021-01", 30), ...pagesIn("2021-02", 2), ...pagesIn("2021-05", 4), ...pagesIn("2021-06", 4), ...pagesIn("2021-08", 3), ...pagesIn("2021-12", 3)];
    const plan = planShards(pages, 8);
    // 46 pages > 8: halves. H1 40 > 8: quarters. Q1 32 > 8: months (January alone holds 30). Q2 8 fits. H2 6 fits.
    assert.deepEqual(plan.map((s) => [s.key, s.months, s.pages.length]), [
      ["2021-01", ["2021-01", "2021-01"], 30],
      ["2021-02", ["2021-02", "2021-02"], 2],
      ["2021-q2", ["2021-04", "2021-06"], 8],
      ["2021-h2", ["2021-07", "2021-12"], 6],
    ]);
  });

  test("depends only on the set of pages: order, duplicates and path spelling do not matter", () => {
    const pages = [...pagesIn("2019-07", 5), ...pagesIn("2019-02", 7, "b"), ...pagesIn("2022-12", 1)];
    const shuffled = [...pages].reverse().map((p, i) => (i % 2 === 0 ? `./${p}` : p));
    assert.deepEqual(planShards([...shuffled, ...pages], 6), planShards(pages, 6));
  });

  test("one added page changes at most the shard it lands in, across years too", () => {
    const pages = [...pagesIn("2012-01", 3), ...pagesIn("2016-05", 3), ...pagesIn("2021-01", 4)];
    const before = planShards(pages, 8);
    const changedBy = (added: string[]): string[] => planShards([...pages, ...added], 8).filter((s) => before.find((b) => b.key === s.key)?.digest !== s.digest).map((s) => s.key);
    assert.deepEqual(before.map((s) => s.key), ["2010-2019", "2021"]);
    assert.deepEqual(changedBy(pagesIn("2013-02", 1, "new")), ["2010-2019"]);
    // The decade outgrows the limit and splits into halves; 2021 keeps its shard.
    assert.deepEqual(changedBy(pagesIn("2013-02", 3, "new")), ["2010-2014", "2016"]);
    assert.deepEqual(changedBy(pagesIn("2024-02", 1, "new")), ["2020-2029"]);
  });

  test("one added page changes at most the shard it lands in (no greedy re-packing of the rest of the year)", () => {
    const pages = [...pagesIn("2021-01", 4), ...pagesIn("2021-03", 4), ...pagesIn("2021-04", 4), ...pagesIn("2021-09", 4), ...pagesIn("2021-11", 4)];
    const before = planShards(pages, 8);
    const changedBy = (added: string[]): string[] => planShards([...pages, ...added], 8).filter((s) => before.find((b) => b.key === s.key)?.digest !== s.digest).map((s) => s.key);
    assert.deepEqual(before.map((s) => s.key), ["2021-q1", "2021-q2", "2021-h2"]);
    assert.deepEqual(changedBy(pagesIn("2021-04", 3, "new")), ["2021-q2"]);
    // Q2 outgrows the limit and splits into its months; Q1 and H2 keep their pages.
    assert.deepEqual(changedBy(pagesIn("2021-05", 5, "new")), ["2021-04", "2021-05"]);
  });

  test("the limit comes from the environment when it is a positive integer", () => {
    assert.equal(shardPagesLimit({}), 3000);
    assert.equal(shardPagesLimit({ COMMENTARIUM_SEARCH_SHARD_PAGES: "12" }), 12);
    assert.throws(() => shardPagesLimit({ COMMENTARIUM_SEARCH_SHARD_PAGES: "0" }), /positive integer/);
    assert.throws(() => shardPagesLimit({ COMMENTARIUM_SEARCH_SHARD_PAGES: "many" }), /positive integer/);
  });

  test("paths, months and globs", () => {
    assert.equal(commentPageMonth("comments/interstice/20210507-002410-619/index.html"), "2021-05");
    assert.equal(commentPageMonth("comments/interstice/20210507-002410-619/index.md"), undefined);
    assert.equal(normalisePagePath("./comments\\a\\x"), "comments/a/x");
    assert.equal(shardGlob({ months: ["2021-05", "2021-05"] }), "comments/*/202105[0-9][0-9]-*/index.html");
    assert.equal(shardGlob({ months: ["2021-10", "2021-12"] }), "comments/*/{202110,202111,202112}[0-9][0-9]-*/index.html");
    assert.equal(shardGlob({ months: ["2015-01", "2019-12"] }), "comments/*/{2015,2016,2017,2018,2019}[0-9][0-9][0-9][0-9]-*/index.html");
  });
});

describe("which shards an incremental run rebuilds", () => {
  const pages = [...pagesIn("2020-02", 3), ...pagesIn("2021-01", 6), ...pagesIn("2021-08", 6)];
  const plan = planShards(pages, 8);
  const manifest: ShardManifest = {
    format: 1,
    pagefind: "1.6.0",
    language: "en",
    shards: plan.map((s) => ({ key: s.key, months: s.months, path: `shards/${s.key}/`, files: s.pages.length, pages: s.pages.length, digest: s.digest, bundleFiles: 1, bundleBytes: 1 })),
    authors: {},
    years: {},
    threads: { count: 0, values: {} },
    firstSearch: ["2021-h2"],
  };
  const input = (changed: string[] | undefined, extra: Partial<RebuildInput> = {}): RebuildInput => ({
    plan,
    previous: manifest,
    pagefind: "1.6.0",
    language: "en",
    changedPages: changed === undefined ? undefined : new Set(changed),
    presentBundles: new Set(plan.map((s) => s.key)),
    ...extra,
  });
  const reasons = (i: RebuildInput): Record<string, string | undefined> => Object.fromEntries(plan.map((s) => [s.key, rebuildReason(s, i, monthsOf(i.changedPages))]));

  test("the plan is 2020, 2021-h1, 2021-h2", () => assert.deepEqual(plan.map((s) => s.key), ["2020", "2021-h1", "2021-h2"]));

  test("only the shard of a changed page, also when it was deleted; other paths are ignored", () => {
    assert.deepEqual(reasons(input([pagesIn("2021-08", 1)[0] ?? "", "threads/x/index.html", "feed.xml"])), { "2020": undefined, "2021-h1": undefined, "2021-h2": "pages changed" });
    assert.deepEqual(reasons(input(["comments/gone/20200215-101010-000/index.html"])), { "2020": "pages changed", "2021-h1": undefined, "2021-h2": undefined });
    assert.deepEqual(reasons(input([])), { "2020": undefined, "2021-h1": undefined, "2021-h2": undefined });
  });

  test("everything without a change set, a usable previous list, the same Pagefind and language", () => {
    for (const i of [input(undefined), input([], { previous: undefined }), input([], { pagefind: "1.7.0" }), input([], { language: "de" })]) {
      assert.ok(Object.values(reasons(i)).every((r) => r !== undefined), JSON.stringify(reasons(i)));
    }
  });

  test("a shard whose bundle is missing, or whose page list differs from the previous run's", () => {
    assert.equal(reasons(input([], { presentBundles: new Set(["2020", "2021-h2"]) }))["2021-h1"], "bundle missing");
    const other = { ...manifest, shards: manifest.shards.map((s) => (s.key === "2020" ? { ...s, digest: "0000" } : s)) };
    assert.equal(reasons(input([], { previous: other }))["2020"], "pages added or removed");
  });

  test("a shard list of another format or unreadable text is no shard list", () => {
    assert.equal(parseManifest(undefined), undefined);
    assert.equal(parseManifest("{"), undefined);
    assert.equal(parseManifest(JSON.stringify({ ...manifest, format: 0 })), undefined);
    assert.deepEqual(parseManifest(JSON.stringify(manifest)), manifest);
  });
});

describe("the shards a query searches first", () => {
  const shard = (key: string, months: [string, string], pages: number) => ({ key, months, pages });
  const shards = [shard("2019", ["2019-01", "2019-12"], 40), shard("2020-h1", ["2020-01", "2020-06"], 30), shard("2020-h2", ["2020-07", "2020-12"], 25), shard("2021", ["2021-01", "2021-12"], 0), shard("2022", ["2022-01", "2022-12"], 10)];

  test("the newest shards with pages, newest first, while they fit in the limit", () => {
    assert.deepEqual(firstSearchShards(shards, 35), ["2022", "2020-h2"]);
    assert.deepEqual(firstSearchShards(shards, 64), ["2022", "2020-h2"]);
    assert.deepEqual(firstSearchShards(shards, 65), ["2022", "2020-h2", "2020-h1"]);
    assert.deepEqual(firstSearchShards([...shards].reverse(), 35), ["2022", "2020-h2"], "in any order");
  });

  test("always the newest shard, however large; every shard when all fit", () => {
    assert.deepEqual(firstSearchShards(shards, 1), ["2022"]);
    assert.deepEqual(firstSearchShards(shards, 105), ["2022", "2020-h2", "2020-h1", "2019"]);
    assert.deepEqual(firstSearchShards([], 10), []);
  });

  test("the limit comes from the environment when it is a positive integer", () => {
    assert.equal(firstSearchPagesLimit({}), 5000);
    assert.equal(firstSearchPagesLimit({ COMMENTARIUM_SEARCH_FIRST_PAGES: "12" }), 12);
    assert.throws(() => firstSearchPagesLimit({ COMMENTARIUM_SEARCH_FIRST_PAGES: "0" }), /COMMENTARIUM_SEARCH_FIRST_PAGES must be a positive integer, not "0"/);
  });
});

describe("reading Pagefind's filter files", () => {
  /** CBOR for the few shapes Pagefind writes: small unsigned integers, short text, arrays. */
  function cbor(value: unknown): number[] {
    const head = (major: number, n: number): number[] => (n < 24 ? [(major << 5) | n] : n < 256 ? [(major << 5) | 24, n] : [(major << 5) | 25, n >> 8, n & 255]);
    if (typeof value === "number") return head(0, value);
    if (typeof value === "string") {
      const bytes = [...new TextEncoder().encode(value)];
      return [...head(3, bytes.length), ...bytes];
    }
    if (Array.isArray(value)) return [...head(4, value.length), ...value.flatMap(cbor)];
    throw new Error(`no CBOR for ${String(value)}`);
  }
  const filterFile = (value: unknown): Buffer => gzipSync(Buffer.concat([Buffer.from("pagefind_dcd"), Buffer.from(cbor(value))]));

  test("a filter file gives its name and each value's page count", () => {
    const file = filterFile(["thread", [["Économie · “quoted”", [0, 3, 300]], ["Other", [1]]]]);
    assert.deepEqual(decodeFilterFile(file), { name: "thread", counts: { "Économie · “quoted”": 3, Other: 1 } });
  });

  test("anything else is an error, not an empty list", () => {
    assert.throws(() => decodeFilterFile(gzipSync(Buffer.from("not pagefind"))), /not a Pagefind data file/);
    assert.throws(() => decodeFilterFile(filterFile(5)), /unexpected filter file layout/);
    assert.throws(() => decodeFilterFile(filterFile(["year", "2021"])), /unexpected filter file layout/);
    assert.throws(() => decodeCbor(Uint8Array.from([0x82, 0x01])), /unexpected end/);
    assert.throws(() => decodeCbor(Uint8Array.from([0x01, 0x02])), /left over/);
  });

  test("facets of several shards add up", () => {
    assert.deepEqual(mergeFacets([{ author: { a: 2 } }, { author: { a: 1, b: 4 }, year: { "2021": 5 } }]), { author: { a: 3, b: 4 }, year: { "2021": 5 } });
  });
});
