// The archive's pages read before an import and brought up to date with the files it changed make the same site archive as pages read afresh.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { importArchives } from "../../scripts/lib/import-archives.ts";
import { writeLedger } from "../../scripts/lib/ledger/ledger.ts";
import { PROJECT_ROOT } from "../support/project-copy.ts";
import { ArchiveFiles } from "../../scripts/lib/site/load-archive.ts";
import { openRenderCache } from "../../scripts/lib/site/render-cache.ts";
import type { SiteArchive } from "../../scripts/lib/site/site-archive.ts";

const FIXTURES = path.join(PROJECT_ROOT, "test/fixtures/links");

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "archive-files-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What the site shows of an archive: every comment with its text and place, the threads, authors, moved and removed URLs. */
function shown(archive: SiteArchive): unknown {
  return {
    comments: archive.comments.map((c) => ({ id: c.id, permalink: c.permalink, date: c.date, thread: c.thread.slug, author: c.author.username, html: c.html, file: c.file })),
    threads: archive.threads.map((t) => ({ slug: t.slug, title: t.title, post: t.post, comments: t.comments.length })),
    authors: archive.authors.map((a) => ({ slug: a.slug, name: a.name, comments: a.comments.length })),
    moved: archive.moved,
    removed: archive.removed,
  };
}

/**
 * The fixture export `a.md` imported into a temporary directory (its ledger written, as a build
 * does), and its pages read through a render cache while an import may write them.
 */
async function importedAndRead(t: TestContext) {
  const dir = tempDir(t);
  const content = path.join(dir, "content");
  const ledgerFile = path.join(dir, "urls.json");
  const first = await importArchives([path.join(FIXTURES, "a.md")], content, { ledgerFile });
  await writeLedger(ledgerFile, first.ledger.entries);
  const cacheFile = path.join(dir, "cache/index.json");
  const cache = openRenderCache(cacheFile, "code");
  const files = ArchiveFiles.readWhileWritten(content, cache);
  assert.ok(files !== undefined);
  /** Imports `fixture` into the same content directory, against the same ledger. */
  const reimport = (fixture: string) => importArchives([path.join(FIXTURES, fixture)], content, { ledgerFile });
  /** What the site shows of the content directory read afresh. */
  const freshRead = (): unknown => shown(ArchiveFiles.read(content, openRenderCache(path.join(dir, "other-cache/index.json"), "code")).siteArchive());
  return { cacheFile, cache, files, reimport, freshRead };
}

test("pages read before an import, updated with the files it wrote and deleted, make the archive a fresh read makes", async (t) => {
  const { cacheFile, cache, files: before, reimport, freshRead } = await importedAndRead(t);

  // Added, reordered, edited, retitled and removed comments: pages written, rewritten in place and deleted.
  const second = await reimport("a-prime.md");
  assert.ok(second.pages.changed.length > 0 && second.pages.removed > 0);
  const fresh = freshRead();
  assert.notDeepEqual(shown(before.siteArchive()), fresh, "the import changed what the site shows");
  before.update(second.pages.changed);
  const updated = before.siteArchive();
  assert.deepEqual(shown(updated), fresh);
  // The cache keeps the comments of this archive only, not those of deleted pages.
  cache.save();
  const index = JSON.parse(readFileSync(cacheFile, "utf8")) as { entries: [string, unknown][] };
  assert.deepEqual(index.entries.map(([file]) => file).sort(), updated.comments.map((c) => c.file).sort());
});

test("pages updated before the archive was first asked for, or by two imports in a row, make the archive a fresh read makes", async (t) => {
  const { files, reimport, freshRead } = await importedAndRead(t);

  // Updated before its first archive, as an update's Eleventy process does once the import is done.
  const second = await reimport("a-prime.md");
  files.update(second.pages.changed);
  assert.deepEqual(shown(files.siteArchive()), freshRead());

  // Two imports between archives (back and forth): each changed page dropped once and loaded again.
  const third = await reimport("a.md");
  files.update(third.pages.changed);
  const fourth = await reimport("a-prime.md");
  files.update(fourth.pages.changed);
  assert.deepEqual(shown(files.siteArchive()), freshRead());
});
