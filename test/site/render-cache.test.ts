// The render cache: comments' HTML kept on disk between builds, read back on demand, reused when a page's text shows the same.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import type { CommentPage } from "../../scripts/lib/content/pages.ts";
import { renderPage } from "../../scripts/lib/content/render-page.ts";
import { loadSiteArchive } from "../../scripts/lib/site/load-archive.ts";
import { openRenderCache } from "../../scripts/lib/site/render-cache.ts";

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "render-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function page(n: number, file = "export.md"): CommentPage {
  return {
    id: `ann/2021010${n}-000000-000`,
    author: { username: "ann", name: "Ann", slug: "ann" },
    thread: { title: "A thread", slug: "a-thread" },
    date: `2021-01-0${n}T00:00:00.000Z`,
    permalink: `/comments/ann/2021010${n}-000000-000/`,
    source: { file },
  };
}

const stamp = (size: number): { size: number; mtimeMs: number } => ({ size, mtimeMs: 1000 });
const storeFiles = (dir: string): string[] => readdirSync(dir).filter((name) => name.includes(".store-"));

describe("render cache", () => {
  test("gives back what was stored, by file and stamp, after a save and a new open", (t) => {
    const index = path.join(tempDir(t), "rendered.v8");
    const first = openRenderCache(index, "code");
    const stored = first.set("a.md", stamp(1), page(1), "d1", { html: "<p>Ünïcode 🎉</p>", text: "Ünïcode 🎉" });
    first.set("b.md", stamp(2), page(2), "d2", { html: "<p>B</p>", text: "B" });
    assert.equal(stored.html, "<p>Ünïcode 🎉</p>");
    first.save();

    const second = openRenderCache(index, "code");
    const a = second.get("a.md", stamp(1));
    assert.deepEqual([a?.html, a?.text, a?.digest, a?.page], ["<p>Ünïcode 🎉</p>", "Ünïcode 🎉", "d1", page(1)]);
    assert.equal(second.get("b.md", stamp(3)), undefined, "another stamp: the file was written since");
    assert.equal(openRenderCache(index, "other code").get("a.md", stamp(1)), undefined, "other rendering code starts empty");
  });

  test("an empty text (a deleted comment's) reads back empty, not as the text stored after it", (t) => {
    const index = path.join(tempDir(t), "rendered.v8");
    const cache = openRenderCache(index, "code");
    const deleted = cache.set("a.md", stamp(1), page(1), "d1", { html: "", text: "" });
    const next = cache.set("b.md", stamp(2), page(2), "d2", { html: "<p>B</p>", text: "B" });
    assert.equal(next.html, "<p>B</p>");
    assert.deepEqual([deleted.html, deleted.text], ["", ""]);
    cache.save();
    const again = openRenderCache(index, "code");
    assert.equal(again.get("b.md", stamp(2))?.text, "B");
    assert.equal(again.get("a.md", stamp(1))?.html, "");
  });

  test("reuses the text of a rewritten page that shows the same, with the page's new facts", (t) => {
    const index = path.join(tempDir(t), "rendered.v8");
    const first = openRenderCache(index, "code");
    first.set("a.md", stamp(1), page(1), "d1", { html: "<p>A</p>", text: "A" });
    first.save();
    const second = openRenderCache(index, "code");
    const moved = second.reuse("a.md", stamp(9), page(1, "renamed.md"), "d1");
    assert.deepEqual([moved?.html, moved?.page.source.file], ["<p>A</p>", "renamed.md"]);
    assert.equal(second.reuse("a.md", stamp(9), page(1), "d2"), undefined, "another digest: rendered again");
    second.save();
    assert.equal(openRenderCache(index, "code").get("a.md", stamp(9))?.page.source.file, "renamed.md", "the new stamp and facts were saved");
  });

  test("copies the used part to a new store once most of the store is unused", (t) => {
    const dir = tempDir(t);
    const index = path.join(dir, "rendered.v8");
    const first = openRenderCache(index, "code");
    for (let n = 1; n <= 3; n++) first.set(`${n}.md`, stamp(n), page(n), `d${n}`, { html: `<p>${"old ".repeat(100_000)}</p>`, text: "old" });
    first.save();
    const [oldStore] = storeFiles(dir);
    const second = openRenderCache(index, "code");
    const kept = second.set("1.md", stamp(11), page(1), "e1", { html: "<p>new</p>", text: "new" });
    second.save();
    assert.equal(kept.html, "<p>new</p>", "comments loaded before the copy still read their text");
    const stores = storeFiles(dir);
    assert.equal(stores.length, 1);
    assert.notEqual(stores[0], oldStore);
    assert.ok(statSync(path.join(dir, stores[0] ?? "")).size < 100, "only the one comment still used was copied");
    assert.equal(openRenderCache(index, "code").get("1.md", stamp(11))?.text, "new");
  });

  test("a store shorter than its index says is not trusted", (t) => {
    const dir = tempDir(t);
    const index = path.join(dir, "rendered.v8");
    const first = openRenderCache(index, "code");
    first.set("a.md", stamp(1), page(1), "d1", { html: "<p>A</p>", text: "A" });
    first.save();
    truncateSync(path.join(dir, storeFiles(dir)[0] ?? ""), 2);
    assert.equal(openRenderCache(index, "code").get("a.md", stamp(1)), undefined);
  });
});

describe("loading the archive through the cache", () => {
  async function writeComment(dir: string, n: number, body: string, file: string, mtime: number): Promise<void> {
    const target = path.join(dir, "comments/ann", `2021010${n}-000000-000.md`);
    await mkdir(path.dirname(target), { recursive: true });
    writeFileSync(target, renderPage(page(n, file), body));
    utimesSync(target, mtime, mtime);
  }

  test("renders only pages whose text changed; a page whose export was renamed keeps its HTML", async (t) => {
    const dir = tempDir(t);
    const content = path.join(dir, "content");
    const index = path.join(dir, "cache/rendered.v8");
    await writeComment(content, 1, "First *comment*.", "export.md", 1000);
    await writeComment(content, 2, "Second comment.", "export.md", 1000);
    const first = await loadSiteArchive(content, { cache: openRenderCache(index, "code") });
    assert.deepEqual(first.comments.map((c) => c.html), ["<p>First <em>comment</em>.</p>\n", "<p>Second comment.</p>\n"]);
    const storeSize = (): number => statSync(path.join(dir, "cache", storeFiles(path.join(dir, "cache"))[0] ?? "")).size;
    const before = storeSize();

    await writeComment(content, 1, "First *comment*.", "export-2021.md", 2000);
    const moved = await loadSiteArchive(content, { cache: openRenderCache(index, "code") });
    assert.equal(storeSize(), before, "nothing rendered again");
    assert.equal(moved.comments.find((c) => c.id.endsWith("20210101-000000-000"))?.html, "<p>First <em>comment</em>.</p>\n");

    await writeComment(content, 2, "Second comment, edited.", "export.md", 3000);
    const edited = await loadSiteArchive(content, { cache: openRenderCache(index, "code") });
    assert.ok(storeSize() > before, "the edited comment was rendered and stored");
    assert.equal(edited.comments.find((c) => c.id.endsWith("20210102-000000-000"))?.text, "Second comment, edited.");
    assert.match(readFileSync(path.join(content, "comments/ann/20210102-000000-000.md"), "utf8"), /edited/);
  });

  test("one cache serves build after build in one process (the dev server's rebuilds)", async (t) => {
    const dir = tempDir(t);
    const content = path.join(dir, "content");
    const cacheDir = path.join(dir, "cache");
    const cache = openRenderCache(path.join(cacheDir, "rendered.v8"), "code");
    const storeSize = (): number => statSync(path.join(cacheDir, storeFiles(cacheDir)[0] ?? "")).size;
    await writeComment(content, 1, "First.", "export.md", 1000);
    await loadSiteArchive(content, { cache });
    const before = storeSize();

    await writeComment(content, 1, "First.", "export-2021.md", 2000);
    const moved = await loadSiteArchive(content, { cache });
    assert.equal(storeSize(), before, "the moved page kept its HTML");
    assert.equal(moved.comments[0]?.html, "<p>First.</p>\n");

    await loadSiteArchive(content, { cache });
    assert.equal(storeSize(), before, "an unchanged page is found by its stamp");
    await writeComment(content, 1, "First, edited.", "export-2021.md", 3000);
    const edited = await loadSiteArchive(content, { cache });
    assert.equal(edited.comments[0]?.text, "First, edited.");
    assert.ok(storeSize() > before);
  });
});
