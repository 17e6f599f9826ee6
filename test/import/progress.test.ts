// Progress: a large import says how far it has got; a small one prints only its summary.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { renderArchive, type RenderableComment } from "../../scripts/lib/archive/render-archive.ts";
import { importArchives, PROGRESS_STEP, type ImportProgress } from "../../scripts/lib/import-archives.ts";
import { reportProgress } from "../../scripts/lib/report.ts";
import { SAMPLE_ARCHIVE, tempDir } from "./helpers.ts";

/** `count` comments by `author`, one a minute from `start`, on ten threads. */
function comments(author: string, count: number, start: number): RenderableComment[] {
  return Array.from({ length: count }, (_, i) => ({
    author: { username: author, name: author },
    postedAt: new Date(start + i * 60_000).toISOString(),
    threadTitle: `Thread ${i % 10}`,
    body: `Comment ${i} by ${author}.`,
  }));
}

describe("import progress", () => {
  test("a small import reports none", async (t) => {
    const dir = tempDir(t);
    const events: ImportProgress[] = [];
    await importArchives([SAMPLE_ARCHIVE], path.join(dir, "content"), { ledgerFile: path.join(dir, "urls.json"), progress: (p) => events.push(p) });
    assert.deepEqual(events, []);
  });

  test(`a large import reports the file that takes the count past each ${PROGRESS_STEP} comments, and each ${PROGRESS_STEP} pages rendered`, async (t) => {
    const dir = tempDir(t);
    const files = [path.join(dir, "a.md"), path.join(dir, "b.md"), path.join(dir, "c.md")];
    writeFileSync(files[0] ?? "", renderArchive(comments("alice", 6000, Date.UTC(2020, 0, 1))));
    writeFileSync(files[1] ?? "", renderArchive(comments("bob", 5000, Date.UTC(2021, 0, 1))));
    writeFileSync(files[2] ?? "", renderArchive(comments("carol", 10, Date.UTC(2022, 0, 1))));
    const content = path.join(dir, "content");
    const events: ImportProgress[] = [];
    const progress = (p: ImportProgress): number => events.push(p);
    await importArchives(files, content, { progress });
    assert.deepEqual(events, [
      { stage: "read", file: files[1], comments: 5000, total: 11000, done: 2, files: 3 },
      { stage: "pages", rendered: 10000, written: 10000, total: 11020 },
    ]);

    events.length = 0;
    await importArchives(files, content, { progress });
    assert.deepEqual(events, [{ stage: "read", file: files[1], comments: 5000, total: 11000, done: 2, files: 3 }], "a re-run renders no page, so reports none");
  });

  test("is printed in the import's own style, one line each", (t) => {
    const log = t.mock.method(console, "log", () => undefined);
    reportProgress({ stage: "read", file: "exports/a.md", comments: 5000, total: 11000, done: 2, files: 3 });
    reportProgress({ stage: "pages", rendered: 10000, written: 9990, total: 11040 });
    assert.deepEqual(
      log.mock.calls.map((call) => call.arguments),
      [["import: 11000 comments read from 2 of 3 file(s) (exports/a.md: 5000)"], ["import: 10000 pages rendered, 9990 of them written (11040 pages in all)"]],
    );
  });
});
