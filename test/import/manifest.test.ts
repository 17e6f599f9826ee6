// The content manifest: unchanged pages are neither rendered nor read, yet whatever disagrees with it on disk is rewritten.
import assert from "node:assert/strict";
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { MANIFEST_FILE, parseManifest } from "../../scripts/lib/content/manifest.ts";
import { renderPage, type PageSource } from "../../scripts/lib/content/render-page.ts";
import { writeContent } from "../../scripts/lib/content/write-content.ts";
import { importArchives } from "../../scripts/lib/import-archives.ts";
import { loadSiteArchive } from "../../scripts/lib/site/load-archive.ts";
import { listFiles, listPages, SAMPLE_ARCHIVE, snapshot, tempDir } from "./helpers.ts";

const PAGE = "comments/interstice/20210619-153607-712.md";

/** The sample imported into a fresh content dir. */
async function importedSample(t: { after: (fn: () => void) => void }): Promise<{ content: string; ledgerFile: string }> {
  const dir = tempDir(t);
  const content = path.join(dir, "content", "archive");
  const ledgerFile = path.join(dir, "urls.json");
  await importArchives([SAMPLE_ARCHIVE], content, { ledgerFile });
  return { content, ledgerFile };
}

/** The pages `writeContent` renders, counted through its progress report. */
function writeCounting(dir: string, pages: Map<string, PageSource | string>) {
  let rendered = 0;
  const summary = writeContent(dir, pages, { progressEvery: 1, onProgress: (p) => (rendered = p.rendered) });
  return { ...summary, rendered };
}

const pagesOf = (texts: Record<string, string>): Map<string, PageSource> =>
  new Map(Object.entries(texts).map(([file, title]) => [file, { frontMatter: { title, n: 1 }, body: `Body of ${title}.` }]));

/** Moves a file's modification time back, as if it had been written before the manifest. */
function backdate(file: string, seconds = 60): void {
  const { atime, mtime } = statSync(file);
  utimesSync(file, atime, new Date(mtime.getTime() - seconds * 1000));
}

describe("the content manifest", () => {
  test("a re-run renders no page whose inputs are unchanged; a changed page is the only one rendered", (t) => {
    const dir = path.join(tempDir(t), "archive");
    const pages = pagesOf({ "threads/a.md": "A", "threads/b.md": "B", "comments/x/1.md": "C" });
    assert.deepEqual(writeCounting(dir, pages), { written: 3, unchanged: 0, removed: 0, changed: ["threads/a.md", "threads/b.md", "comments/x/1.md"], rendered: 3 });
    for (const file of listPages(dir)) backdate(path.join(dir, file));
    assert.deepEqual(writeCounting(dir, pages), { written: 0, unchanged: 3, removed: 0, changed: [], rendered: 0 });
    pages.set("threads/b.md", { frontMatter: { title: "B, edited", n: 1 }, body: "Body of B." });
    assert.deepEqual(writeCounting(dir, pages), { written: 1, unchanged: 2, removed: 0, changed: ["threads/b.md"], rendered: 1 });
    assert.equal(readFileSync(path.join(dir, "threads/b.md"), "utf8"), renderPage({ title: "B, edited", n: 1 }, "Body of B."));
  });

  test("a page edited by hand to the same size is rewritten: it is newer than the manifest", async (t) => {
    const { content, ledgerFile } = await importedSample(t);
    const file = path.join(content, PAGE);
    const original = readFileSync(file, "utf8");
    const edited = original.replace("Killing 90%", "Killing 91%");
    assert.notEqual(edited, original);
    writeFileSync(file, edited);
    const result = await importArchives([SAMPLE_ARCHIVE], content, { ledgerFile });
    assert.deepEqual(result.pages, { written: 1, unchanged: 72, removed: 0, changed: [PAGE] });
    assert.equal(readFileSync(file, "utf8"), original);
  });

  test("a page edited by hand and dated back is rewritten when its size differs from the manifest's", async (t) => {
    const { content, ledgerFile } = await importedSample(t);
    const file = path.join(content, PAGE);
    const original = readFileSync(file, "utf8");
    writeFileSync(file, `${original}more\n`);
    backdate(file, 3600);
    const result = await importArchives([SAMPLE_ARCHIVE], content, { ledgerFile });
    assert.equal(result.pages.written, 1);
    assert.equal(readFileSync(file, "utf8"), original);
  });

  test("a deleted page is written again", async (t) => {
    const { content, ledgerFile } = await importedSample(t);
    const original = readFileSync(path.join(content, PAGE), "utf8");
    rmSync(path.join(content, PAGE));
    const result = await importArchives([SAMPLE_ARCHIVE], content, { ledgerFile });
    assert.deepEqual(result.pages, { written: 1, unchanged: 72, removed: 0, changed: [PAGE] });
    assert.equal(readFileSync(path.join(content, PAGE), "utf8"), original);
  });

  test("an entry that disagrees with the page's inputs makes the page be rendered and compared, not blindly rewritten", (t) => {
    const dir = path.join(tempDir(t), "archive");
    const pages = pagesOf({ "threads/a.md": "A", "threads/b.md": "B" });
    writeCounting(dir, pages);
    const manifestFile = path.join(dir, MANIFEST_FILE);
    const text = readFileSync(manifestFile, "utf8");
    const digestOfA = parseManifest(text)?.pages.get("threads/a.md")?.digest ?? "";
    writeFileSync(manifestFile, text.replace(digestOfA, "not-the-digest"));
    for (const file of listPages(dir)) backdate(path.join(dir, file));
    const before = snapshot(dir);
    assert.deepEqual(writeCounting(dir, pages), { written: 0, unchanged: 2, removed: 0, changed: [], rendered: 1 });
    const after = snapshot(dir);
    assert.deepEqual(after.get("threads/a.md"), before.get("threads/a.md"), "the page was right: left untouched");
    assert.equal(readFileSync(manifestFile, "utf8"), text, "the entry is corrected");
  });

  for (const [name, damage] of [
    ["missing", (file: string) => rmSync(file)],
    ["damaged", (file: string) => writeFileSync(file, "commentarium content manifest 1\tx\nthreads/a.md\tno size\n")],
    ["from another renderer", (file: string) => writeFileSync(file, readFileSync(file, "utf8").replace(/^([^\t]*)\t[^\n]*/, "$1\tanother-renderer"))],
  ] as const) {
    test(`a ${name} manifest: every page is checked against its file, none rewritten, and the manifest is restored byte for byte`, async (t) => {
      const { content, ledgerFile } = await importedSample(t);
      const manifestFile = path.join(content, MANIFEST_FILE);
      const manifest = readFileSync(manifestFile, "utf8");
      damage(manifestFile);
      const before = snapshot(content);
      const result = await importArchives([SAMPLE_ARCHIVE], content, { ledgerFile });
      assert.deepEqual(result.pages, { written: 0, unchanged: 73, removed: 0, changed: [] });
      const after = snapshot(content);
      for (const page of listPages(content)) assert.deepEqual(after.get(page), before.get(page), page);
      assert.equal(readFileSync(manifestFile, "utf8"), manifest);
    });
  }

  test("is the same bytes for the same pages, whatever the history, and sorted by path", (t) => {
    const root = tempDir(t);
    const final = pagesOf({ "threads/b.md": "B", "comments/x/1.md": "C", "threads/a.md": "A" });
    writeContent(path.join(root, "fresh"), final);
    writeContent(path.join(root, "history"), pagesOf({ "threads/a.md": "old A", "threads/z.md": "Z" }));
    writeContent(path.join(root, "history"), final);
    const fresh = readFileSync(path.join(root, "fresh", MANIFEST_FILE), "utf8");
    assert.equal(readFileSync(path.join(root, "history", MANIFEST_FILE), "utf8"), fresh);
    assert.deepEqual([...(parseManifest(fresh)?.pages.keys() ?? [])], ["comments/x/1.md", "threads/a.md", "threads/b.md"]);
  });

  test("a page whose only change is a number JSON cannot tell apart (0 and -0) is rewritten", (t) => {
    const dir = path.join(tempDir(t), "archive");
    const page = (score: number): Map<string, PageSource> => new Map([["threads/p.md", { frontMatter: { post: { score } } }]]);
    writeContent(dir, page(0));
    backdate(path.join(dir, "threads/p.md"));
    assert.equal(writeContent(dir, page(-0)).written, 1);
    assert.equal(readFileSync(path.join(dir, "threads/p.md"), "utf8"), renderPage({ post: { score: -0 } }));
    assert.notEqual(renderPage({ post: { score: -0 } }), renderPage({ post: { score: 0 } }));
  });

  test("is not taken for a page by the site's loader", async (t) => {
    const { content } = await importedSample(t);
    assert.ok(listFiles(content).includes(MANIFEST_FILE));
    const site = await loadSiteArchive(content);
    assert.equal(site.comments.length, 50);
    assert.equal(site.threads.length, 23);
  });
});
