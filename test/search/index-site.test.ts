// indexSite on small hand-made sites (real Pagefind, no Eleventy): what is indexed, the lists it writes, and what a failed run leaves.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { indexSite } from "../../scripts/lib/search/index-site.ts";
import { fileIdentities, type ShardList } from "./helpers.ts";

interface Comment {
  author: string;
  thread: string;
  date: string;
  text: string;
}

/** A comment page marked up as the comment layout does it (the parts Pagefind reads). */
function commentPage(c: Comment): string {
  return `<!doctype html><html lang="en"><head><title>${c.author} on ${c.thread}</title></head><body>
<header><h1>Site</h1></header>
<article data-pagefind-body>
<header data-pagefind-ignore><h1><a data-pagefind-filter="author" data-pagefind-meta="author">${c.author}</a> on <a data-pagefind-filter="thread" data-pagefind-meta="thread">${c.thread}</a></h1>
<time data-pagefind-sort="date:${c.date}" data-pagefind-meta="date:${c.date}">${c.date}</time><span hidden data-pagefind-filter="year">${c.date.slice(0, 4)}</span></header>
<div class="comment-body"><p>${c.text}</p></div>
</article></body></html>`;
}

/** The page the site writes where a comment was removed: no part marked for the index. */
const removedPage = `<!doctype html><html lang="en"><body><main><h1>This comment was removed from the archive</h1><p>removedmarker</p></main></body></html>`;

const stampOf = (date: string): string => date.replace(/[-:]/g, "").replace("T", "-").replace(".", "-").replace("Z", "");

const sites: string[] = [];
after(async () => {
  for (const dir of sites) await rm(dir, { recursive: true, force: true });
});

async function makeSite(comments: Comment[], removed: string[] = []): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "commentarium-index-"));
  sites.push(dir);
  for (const c of comments) {
    const page = path.join(dir, "comments", c.author.toLowerCase(), stampOf(c.date), "index.html");
    await mkdir(path.dirname(page), { recursive: true });
    await writeFile(page, commentPage(c));
  }
  for (const page of removed) {
    await mkdir(path.dirname(path.join(dir, page)), { recursive: true });
    await writeFile(path.join(dir, page), removedPage);
  }
  return dir;
}

const quiet = { language: "en", log: () => undefined };
const readList = async (dir: string): Promise<ShardList> => JSON.parse(await readFile(path.join(dir, "pagefind/shards.json"), "utf8")) as ShardList;

const COMMENTS: Comment[] = [
  { author: "Ada", thread: "On Engines", date: "2019-04-01T10:00:00.000Z", text: "Analytical engines weave algebraic patterns." },
  { author: "Ada", thread: "On Engines", date: "2020-02-03T10:00:00.000Z", text: "Notes on the engine, again." },
  { author: "Bob", thread: "On Looms", date: "2020-07-09T10:00:00.000Z", text: "Jacquard looms and punched cards." },
];

describe("indexSite", () => {
  test("indexes marked comment pages only, even in a shard of nothing else; lists authors, years and threads", async () => {
    const site = await makeSite(COMMENTS, ["comments/gone/20050505-050505-000/index.html", "comments/gone/20200808-080808-000/index.html"]);
    const indexed = await indexSite(site, quiet);
    assert.deepEqual({ pages: indexed.pages, shards: indexed.shards, rebuilt: indexed.shardsRebuilt }, { pages: 3, shards: 3, rebuilt: 3 });
    const list = await readList(site);
    assert.deepEqual(list.shards.map((s) => [s.key, s.files, s.pages]), [["2005", 1, 0], ["2019", 1, 1], ["2020", 3, 2]]);
    assert.deepEqual(list.authors, { Ada: 2, Bob: 1 });
    assert.deepEqual(list.years, { "2019": 1, "2020": 2 });
    assert.deepEqual(list.threads, { count: 2, values: { "On Engines": 2, "On Looms": 1 } });
    assert.equal((await readdir(path.join(site, "pagefind/shards/2005"))).filter((f) => f.endsWith(".pf_meta")).length, 0, "the removed page's shard indexes nothing");
    assert.ok(existsSync(path.join(site, "pagefind/pagefind-highlight.js")));
    for (const shard of ["2019", "2020"]) {
      const wasm = (await readdir(path.join(site, "pagefind/shards", shard))).filter((f) => f.startsWith("wasm."));
      assert.deepEqual(wasm, ["wasm.en.pagefind"], `shard ${shard} keeps the search module of its pages' language alone`);
    }
  });

  test("a long thread list goes to its own file", async () => {
    const site = await makeSite(COMMENTS);
    const saved = process.env.COMMENTARIUM_SEARCH_INLINE_THREADS;
    process.env.COMMENTARIUM_SEARCH_INLINE_THREADS = "1";
    try {
      await indexSite(site, quiet);
    } finally {
      if (saved === undefined) delete process.env.COMMENTARIUM_SEARCH_INLINE_THREADS;
      else process.env.COMMENTARIUM_SEARCH_INLINE_THREADS = saved;
    }
    const list = await readList(site);
    assert.deepEqual(list.threads, { count: 2, file: "threads.json" });
    assert.deepEqual(JSON.parse(await readFile(path.join(site, "pagefind/threads.json"), "utf8")), { "On Engines": 2, "On Looms": 1 });
  });

  test("the shard list names the newest shards within the first-search limit; every shard when all fit", async () => {
    const site = await makeSite(COMMENTS);
    await indexSite(site, quiet);
    assert.deepEqual((await readList(site)).firstSearch, ["2020", "2019"]);
    const saved = process.env.COMMENTARIUM_SEARCH_FIRST_PAGES;
    process.env.COMMENTARIUM_SEARCH_FIRST_PAGES = "2";
    try {
      await indexSite(site, { ...quiet, changedPages: new Set() });
    } finally {
      if (saved === undefined) delete process.env.COMMENTARIUM_SEARCH_FIRST_PAGES;
      else process.env.COMMENTARIUM_SEARCH_FIRST_PAGES = saved;
    }
    assert.deepEqual((await readList(site)).firstSearch, ["2020"], "2020's two comments fill the limit");
  });

  test("replaces an older single-bundle layout, even when asked for an incremental run", async () => {
    const site = await makeSite(COMMENTS);
    await mkdir(path.join(site, "pagefind/fragment"), { recursive: true });
    await writeFile(path.join(site, "pagefind/pagefind.js"), "// an old bundle");
    await writeFile(path.join(site, "pagefind/fragment/en_1.pf_fragment"), "");
    const indexed = await indexSite(site, { ...quiet, changedPages: new Set() });
    assert.equal(indexed.shardsRebuilt, 2);
    assert.deepEqual((await readdir(path.join(site, "pagefind"))).sort(), ["pagefind-highlight.js", "shards", "shards.json"]);
  });

  test("a shard that cannot be swapped in leaves the previous bundle serving and no temporary files", async () => {
    const site = await makeSite(COMMENTS);
    await indexSite(site, quiet);
    const before = await fileIdentities(path.join(site, "pagefind"));
    // Where the old 2020 bundle would be moved aside (the staging folder beside the site: the
    // bundle is staged first, then the old one moved), a folder that is in the way.
    const staging = path.join(path.dirname(site), `.${path.basename(site)}.staging`);
    await mkdir(path.join(staging, `${process.pid}-1-old/in-the-way`), { recursive: true });
    await writeFile(path.join(site, "comments/bob/20200709-100000-000/index.html"), commentPage({ ...COMMENTS[2]!, text: "Changed text." }));
    await assert.rejects(indexSite(site, { ...quiet, changedPages: new Set(["comments/bob/20200709-100000-000/index.html"]) }));
    assert.equal(existsSync(staging), false, "the staging folder is removed");
    assert.deepEqual(await fileIdentities(path.join(site, "pagefind")), before);
  });
});
