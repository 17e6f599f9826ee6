// A comment from the forum's API and its text-export twin are one comment with one URL; the API's version wins.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { load } from "js-yaml";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { mergeArchives } from "../../scripts/lib/archive/merge.ts";
import { parseInput } from "../../scripts/lib/archive/read-archive.ts";
import { importArchives } from "../../scripts/lib/import-archives.ts";
import { publishArchive } from "../../scripts/lib/published.ts";
import { snapshot, tempDir } from "./helpers.ts";

const AT = "2021-05-27T20:36:01.829Z";
const exportText = (author: string, body: string, at = AT): string => `## Posts\n\n## Comments\n\n**${author}**on The Homunculus Problem · ${at} · LW · GW\n\n${body}\n`;

interface ApiComment {
  id?: string;
  username?: string;
  displayName?: string | null;
  postedAt?: string;
  markdown?: string | null;
  html?: string | null;
}
function apiComment({ id = "c1", username = "interstice", displayName = "interstice", postedAt = AT, markdown = "API text.", html = null }: ApiComment = {}): object {
  return { _id: id, postedAt, user: { username, displayName, slug: username.toLowerCase() }, post: { _id: "p1", title: "The Homunculus Problem", slug: "the-homunculus-problem" }, contents: { markdown, html } };
}
const page = (...results: object[]): string => JSON.stringify({ data: { comments: { results } } }, null, 2);

function merge(...files: [string, string][]) {
  return mergeArchives(files.map(([name, text]) => parseInput(text, name)));
}

describe("text export and API data", () => {
  test("an API comment has the username and postedAt of its text-export twin", () => {
    const [text] = parseInput(exportText("interstice", "Text."), "x.md").comments;
    const [api] = parseInput(page(apiComment()), "x.json").comments;
    assert.deepEqual([api?.author.username, api?.postedAt], [text?.author.username, text?.postedAt]);
  });

  for (const order of ["text first", "API first"] as const) {
    test(`the two merge into one comment, the API's (${order})`, () => {
      const files: [string, string][] = [
        ["export.md", exportText("interstice", "Export text.")],
        ["api.json", page(apiComment())],
      ];
      const merged = merge(...(order === "text first" ? files : files.reverse()));
      assert.equal(merged.comments.length, 1);
      assert.equal(merged.comments[0]?.body, "API text.");
      assert.equal(merged.comments[0]?.source.file, "api.json");
      assert.equal(merged.comments[0]?.forum?.id, "c1");
      // Reported as an update only when the API's text replaced the export's.
      assert.deepEqual(merged.updated.map((c) => c.source.file), order === "text first" ? ["api.json"] : []);
      const published = publishArchive(merged);
      assert.deepEqual(published.comments.map((c) => c.page.permalink), ["/comments/interstice/20210527-203601-829/"]);
    });
  }

  test("the display-name header form matches the API's username and display name", () => {
    const merged = merge(["export.md", exportText("Wei Dai (wei_dai)", "Same.")], ["api.json", page(apiComment({ username: "wei_dai", displayName: "Wei Dai", markdown: "Same." }))]);
    assert.equal(merged.comments.length, 1);
    assert.deepEqual(merged.comments[0]?.author, { username: "wei_dai", name: "Wei Dai" });
    assert.deepEqual(merged.updated, []);
  });

  test("between two files of one kind the last named still wins", () => {
    const older = page(apiComment({ markdown: "Old." }));
    const newer = page(apiComment({ markdown: "New." }));
    assert.equal(merge(["a.json", older], ["b.json", newer]).comments[0]?.body, "New.");
    assert.equal(merge(["b.json", newer], ["a.json", older]).comments[0]?.body, "Old.");
    assert.equal(merge(["a.md", exportText("interstice", "Old.")], ["b.md", exportText("interstice", "New.")]).comments[0]?.body, "New.");
  });

  test("an API file between two exports still wins; a later API file wins over it", () => {
    const merged = merge(["a.md", exportText("interstice", "A.")], ["b.json", page(apiComment({ markdown: "B." }))], ["c.md", exportText("interstice", "C.")]);
    assert.equal(merged.comments[0]?.body, "B.");
    const again = merge(["b.json", page(apiComment({ markdown: "B." }))], ["c.md", exportText("interstice", "C.")], ["d.json", page(apiComment({ markdown: "D." }))]);
    assert.equal(again.comments[0]?.body, "D.");
  });

  test("an export that named only the display name is warned about: its URL differs from the API's", () => {
    const merged = merge(["export.md", exportText("Wei Dai", "Text.")], ["api.json", page(apiComment({ username: "wei_dai", displayName: "Wei Dai" }))]);
    assert.equal(merged.comments.length, 2);
    assert.deepEqual(
      merged.warnings.map((w) => `${w.source.file}:${w.source.line}: ${w.message}`),
      ['export.md:5: the export names the author "Wei Dai", but the forum\'s comment at the same instant (api.json:5) is by username "wei_dai": kept as two comments with different URLs (identity is the username)'],
    );
  });

  test("a comment given twice in one file (overlapping pages) is kept once, the later", () => {
    const text = JSON.stringify([JSON.parse(page(apiComment({ markdown: "First fetch." }))), JSON.parse(page(apiComment({ markdown: "Edited since." })))]);
    const merged = merge(["pages.json", text]);
    assert.deepEqual(merged.comments.map((c) => c.body), ["Edited since."]);
  });

  test("two API comments at one instant by one author (two ids) stay two comments", () => {
    const merged = merge(["a.json", page(apiComment({ id: "x1", markdown: "One." }), apiComment({ id: "x2", markdown: "Two." }))]);
    assert.deepEqual(merged.comments.map((c) => c.body).sort(), ["One.", "Two."]);
  });

  test("an outside parent is dropped from reply context when the archive holds it as a comment", () => {
    const reply = { ...apiComment({ id: "r1", postedAt: "2021-06-01T00:00:00.000Z" }), parentCommentId: "c1", parentComment: { _id: "c1", user: { username: "interstice" } } };
    const outside = { ...apiComment({ id: "r2", postedAt: "2021-06-02T00:00:00.000Z" }), parentCommentId: "o1", parentComment: { _id: "o1", user: { username: "someone" } } };
    const merged = merge(["a.json", page(reply, outside)], ["b.json", page(apiComment())]);
    assert.deepEqual(merged.outsideParents.map((p) => p.id), ["o1"]);
    assert.deepEqual(merge(["a.json", page(reply)]).outsideParents.map((p) => p.id), ["c1"]);
  });
});

describe("the import into pages", () => {
  test("a site built from the export and one built from the API have the same comment URLs and pages", async (t) => {
    const dir = tempDir(t);
    const md = path.join(dir, "export.md");
    const json = path.join(dir, "api.json");
    writeFileSync(md, exportText("interstice", "Export text."));
    writeFileSync(json, page(apiComment({ html: "<p>API text.</p>" })));
    const fromExport = await importArchives([md], path.join(dir, "content-a"), { ledgerFile: path.join(dir, "urls-a.json") });
    const fromApi = await importArchives([json], path.join(dir, "content-b"), { ledgerFile: path.join(dir, "urls-b.json") });
    const both = await importArchives([json, md], path.join(dir, "content-c"), { ledgerFile: path.join(dir, "urls-c.json") });
    const urls = (r: typeof fromApi): string[] => r.archive.comments.map((c) => c.page.permalink);
    assert.deepEqual(urls(fromApi), urls(fromExport));
    assert.deepEqual(urls(both), urls(fromExport));
    assert.equal(both.archive.comments[0]?.body, "API text.");
    assert.ok(fromApi.pages.written > 0);
  });

  test("bad JSON in any file named fails the import before anything is written", async (t) => {
    const dir = tempDir(t);
    const json = path.join(dir, "api.json");
    const bad = path.join(dir, "bad.ndjson");
    const content = path.join(dir, "content");
    writeFileSync(json, page(apiComment()));
    await importArchives([json], content, { ledgerFile: path.join(dir, "urls.json") });
    const before = snapshot(content);
    writeFileSync(json, page(apiComment({ markdown: "Changed." })));
    writeFileSync(bad, `${JSON.stringify(apiComment({ id: "c2" }))}\n{"_id": "c3",\n`);
    await assert.rejects(importArchives([json, bad], content, { ledgerFile: path.join(dir, "urls.json") }), (error: unknown) => {
      assert.ok(error instanceof ArchiveError);
      assert.equal(error.message, `${bad}:2:14: not valid JSON: the JSON is cut short (expected double-quoted property name)`);
      return true;
    });
    assert.deepEqual(snapshot(content), before);
  });

  test("a deleted comment and one with only HTML import without errors", async (t) => {
    const dir = tempDir(t);
    const json = path.join(dir, "api.json");
    writeFileSync(json, page(apiComment({ markdown: null, html: null }), apiComment({ id: "h1", postedAt: "2021-05-28T00:00:00.000Z", markdown: null, html: "<p>Only HTML.</p>" })));
    const result = await importArchives([json], path.join(dir, "content"), { ledgerFile: path.join(dir, "urls.json") });
    assert.equal(result.archive.comments.length, 2);
  });

  test("a comment's forum ids, scores and flags are in its page's front matter; a text export's page has none", async (t) => {
    const dir = tempDir(t);
    const json = path.join(dir, "api.json");
    const md = path.join(dir, "export.md");
    const reply = { ...apiComment({ id: "r1" }), postId: "p1", parentCommentId: "c0", pageUrl: "https://www.lesswrong.com/posts/p1/x?commentId=r1", baseScore: 12, voteCount: 5, extendedScore: { agreement: -3, agreementVoteCount: 2 }, retracted: true, af: false };
    writeFileSync(json, page(reply));
    writeFileSync(md, exportText("alice", "From an export.", "2021-05-28T00:00:00.000Z"));
    const content = path.join(dir, "content");
    await importArchives([json, md], content, { ledgerFile: path.join(dir, "urls.json") });
    const read = (file: string): string => readFileSync(path.join(content, file), "utf8");
    const api = read("comments/interstice/20210527-203601-829.md");
    const text = read("comments/alice/20210528-000000-000.md");
    const front = (page: string): Record<string, unknown> => load(page.split("---\n")[1] ?? "") as Record<string, unknown>;
    assert.deepEqual(front(api).forum, { id: "r1", postId: "p1", parentCommentId: "c0", pageUrl: "https://www.lesswrong.com/posts/p1/x?commentId=r1", origin: "https://www.lesswrong.com", baseScore: 12, voteCount: 5, agreement: -3, agreementVoteCount: 2, retracted: true, deleted: false, af: false });
    assert.equal(front(text).forum, undefined);
  });

  test("a dev server's next publish takes a changed score, not the page it published before", () => {
    const earlier = new Map();
    const scored = (baseScore: number) => merge(["a.json", page({ ...apiComment(), baseScore })]);
    const first = publishArchive(scored(1), new Map(), earlier);
    const second = publishArchive(scored(2), new Map(), earlier);
    assert.equal(first.comments[0]?.page.forum?.baseScore, 1);
    assert.equal(second.comments[0]?.page.forum?.baseScore, 2);
  });
});
