// Permanent URLs: /comments/<author-slug>/<yyyymmdd-hhmmss-mmm>/ from username and postedAt only; never a path outside the content dir.
import assert from "node:assert/strict";
import { realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { mergeArchives } from "../../scripts/lib/archive/merge.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import { renderArchive, type RenderableComment } from "../../scripts/lib/archive/render-archive.ts";
import { importArchives } from "../../scripts/lib/import-archives.ts";
import { authorSlug, commentPermalink, commentStamp, threadPermalink, threadSlugBase } from "../../scripts/lib/permalinks.ts";
import { assignThreadSlugs, publishArchive } from "../../scripts/lib/published.ts";
import { listFiles, listPages, tempDir } from "./helpers.ts";

/** What a URL path segment (and a file name under the content dir) may be. */
const SEGMENT = /^[a-z0-9_][a-z0-9_-]*$/;
const COMMENT_URL = /^\/comments\/[a-z0-9_][a-z0-9_-]*\/\d{8}-\d{6}-\d{3}\/$/;

const NASTY_USERNAMES = ["_/x", "_-y", "../../etc/passwd", "..", ".", "/", "/etc/passwd", "a/../../b", "C:\\Windows\\System32", "\\\\server\\share", "~root", "-rf", "_", "__proto__", "constructor", "CON", "日本", "🎉", " padded ", "Alice", "alice", "ALICE", "a.b", "a-b", "a_b", "a--b"];

function publishComments(comments: RenderableComment[]) {
  return publishArchive(mergeArchives([parseArchive(renderArchive(comments), "x.md")]));
}

describe("comment URLs", () => {
  test("the stamp is the postedAt instant, to the millisecond", () => {
    assert.equal(commentStamp("2021-06-19T15:54:32.790Z"), "20210619-155432-790");
    assert.equal(commentStamp("1999-01-02T03:04:05.006Z"), "19990102-030405-006");
    assert.throws(() => commentStamp("2021-06-19T15:54:32Z"));
    assert.equal(commentPermalink("interstice", "20210619-155432-790"), "/comments/interstice/20210619-155432-790/");
  });

  test("depend only on username and postedAt: not on thread, text, display name or other comments", () => {
    const base = { author: { username: "wei_dai", name: "wei_dai" }, postedAt: "2020-08-22T02:10:11.001Z", threadTitle: "One", body: "x" };
    const variants: RenderableComment[] = [
      base,
      { ...base, threadTitle: "Another thread" },
      { ...base, body: "Completely different text." },
      { ...base, author: { username: "wei_dai", name: "Wei Dai" }, header: "comment-by", links: false },
    ];
    for (const v of variants) {
      const page = publishComments([v, { ...base, author: { username: "other", name: "other" }, postedAt: "2020-01-01T00:00:00.000Z" }]).comments.find((c) => c.page.author.username === "wei_dai")?.page;
      assert.equal(page?.permalink, "/comments/wei_dai/20200822-021011-001/");
      assert.equal(page?.id, "wei_dai/20200822-021011-001");
    }
  });

  test("usernames that read alike (Alice, alice, ALICE) get distinct, deterministic URLs", () => {
    const at = "2021-07-01T00:00:00.000Z";
    const comments = ["Alice", "alice", "ALICE"].map((u): RenderableComment => ({ author: { username: u, name: u }, postedAt: at, threadTitle: "T", body: u }));
    const urls = (cs: RenderableComment[]): Record<string, string> => Object.fromEntries(publishComments(cs).comments.map((c) => [c.page.author.username, c.page.permalink]));
    const forward = urls(comments);
    assert.equal(new Set(Object.values(forward)).size, 3);
    assert.equal(forward.alice, "/comments/alice/20210701-000000-000/", "an already-slug username is its own slug");
    assert.match(forward.Alice ?? "", /^\/comments\/alice-[0-9a-f]{6}\/20210701-000000-000\/$/);
    assert.deepEqual(urls([...comments].reverse()), forward);
    assert.deepEqual(urls(comments.slice(0, 1)), { Alice: forward.Alice }, "the same URL whether or not a look-alike exists");
  });

  test("nasty usernames become safe slugs, never paths", () => {
    const slugs = NASTY_USERNAMES.map(authorSlug);
    for (const [i, slug] of slugs.entries()) {
      assert.match(slug, SEGMENT, `${JSON.stringify(NASTY_USERNAMES[i])} -> ${slug}`);
      assert.match(commentPermalink(slug, "20210101-000000-000"), COMMENT_URL);
    }
    assert.equal(new Set(slugs).size, slugs.length, "all distinct");
  });

  test("property: any username gives a safe slug, and distinct usernames distinct slugs", () => {
    const username = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: fc.constantFrom("a", "A", "_", "-", ".", "/", " ", "é", "1"), minLength: 1, maxLength: 5 }));
    fc.assert(
      fc.property(fc.uniqueArray(username, { minLength: 1, maxLength: 20 }), (usernames) => {
        const slugs = usernames.map(authorSlug);
        for (const slug of slugs) assert.match(slug, SEGMENT);
        assert.equal(new Set(slugs).size, usernames.length);
      }),
      { numRuns: 300 },
    );
  });

  test("every written page lies under the content dir, whatever the usernames and titles", async (t) => {
    const root = tempDir(t);
    const input = path.join(root, "input", "export.md");
    const contentDir = path.join(root, "site", "content", "archive");
    const comments = NASTY_USERNAMES.map(
      (u, i): RenderableComment => ({
        author: { username: u.trim(), name: u.trim() },
        postedAt: `2021-01-01T00:00:${String(i).padStart(2, "0")}.000Z`,
        threadTitle: ["../../../../tmp/evil", "/etc/passwd", "..", "a\\b", "_ Intro", "_-_"][i % 6] ?? "",
        body: "x",
      }),
    );
    await import("node:fs/promises").then((fs) => fs.mkdir(path.dirname(input), { recursive: true }));
    writeFileSync(input, renderArchive(comments));
    const result = await importArchives([input], contentDir);
    assert.equal(result.archive.comments.length, NASTY_USERNAMES.length);
    const everything = listFiles(root);
    const inside = listPages(contentDir).map((f) => path.relative(root, path.join(contentDir, f)));
    assert.deepEqual(everything, ["input/export.md", "site/content/archive/manifest.tsv", ...inside].sort(), "nothing written outside the content dir");
    for (const f of inside) {
      assert.ok(realpathSync(path.join(root, f)).startsWith(realpathSync(contentDir) + path.sep), f);
      assert.match(f, /^site\/content\/archive\/(comments\/[a-z0-9_][a-z0-9_-]*\/\d{8}-\d{6}-\d{3}(-[0-9a-f]{8})?|threads\/[a-z0-9_][a-z0-9_-]*)\.md$/);
    }
  });
});

describe("thread URLs", () => {
  test("/threads/<slug>/ from the title", () => {
    assert.equal(threadSlugBase("NTK/GP Models of Neural Nets Can't Learn Features"), "ntk-gp-models-of-neural-nets-cant-learn-features");
    assert.equal(threadPermalink("a-post"), "/threads/a-post/");
    assert.match(threadSlugBase("日本語"), /^thread-[0-9a-f]{6}$/);
    assert.ok(threadSlugBase("x".repeat(300)).length <= 80);
  });

  test("titles that slug the same get distinct, deterministic slugs", () => {
    const titles = ["C++", "C#", "C", "c", "Hello World", "hello world!", "🎉", "🎉🎉", "???"];
    const slugs = assignThreadSlugs(titles);
    assert.equal(new Set(slugs.values()).size, titles.length);
    assert.deepEqual(assignThreadSlugs([...titles].reverse()), slugs);
    assert.equal(slugs.get("C"), "c", "the first title in code-point order keeps the plain slug");
  });

  test("property: distinct titles get distinct safe slugs, whatever their order", () => {
    const title = fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ unit: fc.constantFrom("a", "A", "!", " ", "-", "é", "日"), minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(fc.uniqueArray(title, { minLength: 1, maxLength: 15 }), fc.infiniteStream(fc.nat()), (titles, randoms) => {
        const slugs = assignThreadSlugs(titles);
        assert.equal(new Set(slugs.values()).size, titles.length);
        for (const slug of slugs.values()) assert.match(slug, SEGMENT);
        const shuffled = titles.map((t) => ({ t, k: randoms.next().value as number })).sort((a, b) => a.k - b.k).map((x) => x.t);
        assert.deepEqual(new Map([...assignThreadSlugs(shuffled)].sort()), new Map([...slugs].sort()));
      }),
      { numRuns: 300 },
    );
  });
});
