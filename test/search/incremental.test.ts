// Re-indexing only what changed: after one comment is edited, one added and one deleted, indexSite rebuilds those shards alone and search sees the change.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { indexSite, type SiteIndex } from "../../scripts/lib/search/index-site.ts";
import { SHARD_PAGES_ENV } from "../../scripts/lib/search/shard-plan.ts";
import { launchBrowser } from "../support/browser.ts";
import { serveStatic } from "../support/static-server.ts";
import { allResults, buildSharded, fileIdentities, readShardList, settled, type ShardList, type ShardedSite } from "./helpers.ts";

/** At most 6 pages a shard: the sample's 2021 is split into its months, 2021-02 .. 2021-06. */
const SHARD_PAGES = "6";
const EDITED = "comments/interstice/20210519-195243-229/index.html";
const ADDED = "comments/interstice/20210620-101010-000/index.html";
const DELETED = "comments/interstice/20210209-053525-450/index.html";
const OLD_PHRASE = "least-rattling feedback";
const NEW_WORD = "harmoniumzither";
const ADDED_WORD = "glockenspielorama";

let built: ShardedSite;
let browser: Browser;
let before_: { list: ShardList; files: Map<string, string> };
let indexed: SiteIndex;
let lines: string[];
let after_: { list: ShardList; files: Map<string, string> };

/** A comment page's body replaced by one paragraph: what a rebuild writes when the comment's text changes. */
function withBody(html: string, text: string): string {
  const replaced = html.replace(/(<div class="comment-body e-content">)[\s\S]*?(<\/div>\s*<footer)/, `$1\n<p>${text}</p>\n$2`);
  assert.notEqual(replaced, html, "the page has a comment body");
  return replaced;
}

const shardFiles = (files: Map<string, string>, key: string): [string, string][] => [...files].filter(([file]) => file.startsWith(`${key}/`));

before(async () => {
  built = await buildSharded({ [SHARD_PAGES_ENV]: SHARD_PAGES });
  before_ = { list: await readShardList(built.dist), files: await fileIdentities(path.join(built.dist, "pagefind/shards")) };

  const edited = path.join(built.dist, EDITED);
  const original = await readFile(edited, "utf8");
  assert.ok(original.includes(OLD_PHRASE));
  await writeFile(edited, withBody(original, `Rewritten: the ${NEW_WORD} replaces what this comment said.`));
  await mkdir(path.dirname(path.join(built.dist, ADDED)), { recursive: true });
  // The added page is the edited one's, dated as its URL says.
  await writeFile(path.join(built.dist, ADDED), withBody(original, `A new comment about the ${ADDED_WORD}.`).replaceAll("2021-05-19T19:52:43.229Z", "2021-06-20T10:10:10.000Z"));
  await rm(path.dirname(path.join(built.dist, DELETED)), { recursive: true });

  const saved = process.env[SHARD_PAGES_ENV];
  process.env[SHARD_PAGES_ENV] = SHARD_PAGES;
  lines = [];
  try {
    indexed = await indexSite(built.dist, { language: "en", changedPages: new Set([EDITED, `/${ADDED}`, DELETED, "feed.xml"]), log: (line) => lines.push(line) });
  } finally {
    if (saved === undefined) delete process.env[SHARD_PAGES_ENV];
    else process.env[SHARD_PAGES_ENV] = saved;
  }
  after_ = { list: await readShardList(built.dist), files: await fileIdentities(path.join(built.dist, "pagefind/shards")) };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await built?.copy.remove();
});

describe("an incremental index run", () => {
  test("the build made one shard per month of 2021", () => {
    assert.deepEqual(before_.list.shards.map((s) => s.key), ["2021-02", "2021-03", "2021-04", "2021-05", "2021-06"]);
  });

  test("rebuilds the shards of the edited and the added comment, deletes the emptied one, and says so", () => {
    assert.equal(indexed.shardsRebuilt, 2);
    assert.equal(indexed.shards, 4);
    assert.equal(indexed.pages, built.comments.length);
    assert.deepEqual(after_.list.shards.map((s) => s.key), ["2021-03", "2021-04", "2021-05", "2021-06"]);
    assert.ok(!existsSync(path.join(built.dist, "pagefind/shards/2021-02")), "the emptied shard's bundle is gone");
    assert.deepEqual(
      lines.map((line) => line.replace(/ in [\d.]+ s.*\[/, " [")),
      ["search: shard 2021-05 (2021-05..2021-05): 15 pages [pages changed]", "search: shard 2021-06 (2021-06..2021-06): 4 pages [pages added or removed]", "search: 2 of 4 shards unchanged (31 pages), kept as they were", "search: removed shard 2021-02 (no pages left in it)"],
    );
    const june = after_.list.shards.find((s) => s.key === "2021-06");
    assert.equal(june?.files, (before_.list.shards.find((s) => s.key === "2021-06")?.files ?? 0) + 1);
  });

  test("leaves every file of the other shards untouched (same inode and modification time)", () => {
    for (const key of ["2021-03", "2021-04"]) {
      const files = shardFiles(before_.files, key);
      assert.ok(files.length > 5, `${key} has a bundle`);
      assert.deepEqual(shardFiles(after_.files, key), files, key);
      assert.deepEqual(after_.list.shards.find((s) => s.key === key), before_.list.shards.find((s) => s.key === key));
    }
    for (const key of ["2021-05", "2021-06"]) {
      const old = new Map(shardFiles(before_.files, key));
      const rewritten = shardFiles(after_.files, key).filter(([file, identity]) => old.get(file) !== identity);
      assert.ok(rewritten.some(([file]) => file === `${key}/pagefind-entry.json`), `${key} was rewritten`);
    }
    assert.ok(![...after_.files.keys()].some((file) => file.startsWith(".")), "no temporary directories left");
  });

  test("an unchanged site re-indexed with an empty change set rebuilds nothing", async () => {
    const saved = process.env[SHARD_PAGES_ENV];
    process.env[SHARD_PAGES_ENV] = SHARD_PAGES;
    try {
      const again = await indexSite(built.dist, { language: "en", changedPages: new Set(), log: () => undefined });
      assert.equal(again.shardsRebuilt, 0);
      assert.deepEqual(await fileIdentities(path.join(built.dist, "pagefind/shards")), after_.files);
    } finally {
      if (saved === undefined) delete process.env[SHARD_PAGES_ENV];
      else process.env[SHARD_PAGES_ENV] = saved;
    }
  });
});

describe("search after the incremental run", () => {
  async function searchFor(page: Page, url: string, query: string): Promise<string[]> {
    await page.goto(`${url}search/?q=${encodeURIComponent(query)}`);
    await settled(page);
    return (await allResults(page)).map((r) => r.path);
  }

  test("finds the edited comment by its new text and the added one, and no longer the old text or the deleted comment", async () => {
    const site = await serveStatic(built.dist, "/");
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      assert.deepEqual(await searchFor(page, site.url, NEW_WORD), [`/${path.posix.dirname(EDITED)}/`]);
      assert.deepEqual(await searchFor(page, site.url, ADDED_WORD), [`/${path.posix.dirname(ADDED)}/`]);
      assert.deepEqual(await searchFor(page, site.url, `"${OLD_PHRASE}"`), [], "the old text is gone from the index");
      const deleted = `/${path.posix.dirname(DELETED)}/`;
      await page.goto(`${site.url}search/?year=2021`);
      await settled(page);
      const all = (await allResults(page)).map((r) => r.path);
      assert.equal(all.length, built.comments.length);
      assert.ok(!all.includes(deleted) && all.includes(`/${path.posix.dirname(ADDED)}/`));
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await site.close();
    }
  });
});
