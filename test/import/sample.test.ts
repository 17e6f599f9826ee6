// The real sample export: every comment imported exactly once, every word of every body kept, its footnotes resolved.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { importArchives, type ImportResult } from "../../scripts/lib/import-archives.ts";
import { readPages, SAMPLE_ARCHIVE, tempDir, wordMultiset, type Page } from "./helpers.ts";

/** The sample's comments, read with a deliberately simple rule of our own rather than the parser under test. */
function rawComments(): { title: string; postedAt: string; line: number; body: string }[] {
  const lines = readFileSync(SAMPLE_ARCHIVE, "utf8").split("\n");
  const header = /^\*\*interstice\*\*on (.+) · (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) · LW · GW$/;
  const starts = lines.flatMap((l, i) => (header.test(l) ? [i] : []));
  return starts.map((start, k) => {
    const [, title = "", postedAt = ""] = header.exec(lines[start] ?? "") ?? [];
    return { title, postedAt, line: start + 1, body: lines.slice(start + 1, starts[k + 1] ?? lines.length).join("\n") };
  });
}

/** Words with the footnote syntax of either form taken out: the import may change only that. */
function words(text: string): string[] {
  return wordMultiset(text.replace(/\^\{\[\d+\]\}/g, "").replace(/\[\^\d+\]:?/g, "").replace(/\u21A9\uFE0E?/g, ""));
}

describe("the sample archive (archives/interstice.md)", () => {
  const raw = rawComments();
  let result: ImportResult;
  let pages: Record<string, Page>;
  let comments: [string, Page][];

  const dir = tempDir({ after });
  before(async () => {
    const content = path.join(dir, "content", "archive");
    result = await importArchives([SAMPLE_ARCHIVE], content, { ledgerFile: path.join(dir, "no-ledger.json") });
    pages = readPages(content);
    comments = Object.entries(pages).filter(([p]) => p.startsWith("comments/"));
  });

  test("our own reading finds 50 comments on 23 threads", () => {
    assert.equal(raw.length, 50);
    assert.equal(new Set(raw.map((c) => c.title)).size, 23);
  });

  test("all 50 comments imported, each exactly once, on its thread, at its URL", () => {
    assert.equal(result.archive.comments.length, 50);
    assert.equal(comments.length, 50);
    const byDate = new Map(comments.map(([p, page]) => [page.frontMatter.date, [p, page] as const]));
    assert.equal(byDate.size, 50, "no two pages for one comment");
    for (const c of raw) {
      const found = byDate.get(c.postedAt);
      assert.ok(found, `comment ${c.postedAt} (line ${c.line}) has a page`);
      const [file, page] = found;
      const stamp = c.postedAt.replace(/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z$/, "$1$2$3-$4$5$6-$7");
      assert.equal(file, `comments/interstice/${stamp}.md`);
      assert.equal(page.frontMatter.permalink, `/comments/interstice/${stamp}/`);
      assert.deepEqual((page.frontMatter.thread as { title: string }).title, c.title);
      assert.deepEqual(page.frontMatter.source, { file: SAMPLE_ARCHIVE });
      assert.deepEqual(page.frontMatter.author, { username: "interstice", name: "interstice", slug: "interstice" });
    }
  });

  test("23 thread pages, one per title", () => {
    const threads = Object.entries(pages).filter(([p]) => p.startsWith("threads/"));
    assert.equal(threads.length, 23);
    assert.deepEqual(new Set(threads.map(([, t]) => t.frontMatter.title)), new Set(raw.map((c) => c.title)));
    for (const [file, t] of threads) assert.equal(file, `threads/${String(t.frontMatter.slug)}.md`);
  });

  test("every word of every body is on its page, and nothing else", () => {
    const byDate = new Map(comments.map(([, page]) => [page.frontMatter.date, page]));
    for (const c of raw) {
      const body = byDate.get(c.postedAt)?.body;
      assert.ok(body !== undefined && body.trim() !== "", `${c.postedAt} has a body`);
      assert.deepEqual(words(body), words(c.body), `words of the comment at line ${c.line}`);
    }
  });

  test("the footnoted comment (2021-05-07T00:24:10.619Z) has both footnotes resolved", () => {
    const page = pages["comments/interstice/20210507-002410-619.md"];
    const body = page?.body ?? "";
    assert.match(body, /important distinction\[\^1\] to be made/);
    assert.match(body, /I strongly suspect\[\^2\] that/);
    assert.match(body, /\n\n\[\^1\]: I actually posted basically the same thing .* not the alignment forum\n\n\[\^2\]: Basically, because in the NTK\/GP limit /);
    // The second note's last paragraph stays in the note: indented as its continuation.
    assert.ok(body.endsWith("\n\n    *is*a universal approximator for fixed input dimension)"), body.slice(-120));
    assert.doesNotMatch(body, /\^\{\[|\u21A9/, "no export footnote syntax left");
    assert.equal(body.match(/^\[\^\d\]: /gm)?.length, 2);
  });

  test("no warnings, no updates", () => {
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.updated, []);
  });
});
