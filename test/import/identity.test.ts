// Comment identity is (author username, postedAt): one comment across files, the file named last winning.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { mergeArchives } from "../../scripts/lib/archive/merge.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import { importArchives } from "../../scripts/lib/import-archives.ts";
import { publishArchive } from "../../scripts/lib/published.ts";
import { tempDir } from "./helpers.ts";

const header = (author: string, title: string, at: string): string => `**${author}**on ${title} · ${at} · LW · GW`;
const file = (...comments: [string, string, string, string][]): string =>
  `## Posts\n\n## Comments\n\n${comments.map(([a, t, at, body]) => `${header(a, t, at)}\n\n${body}\n`).join("\n")}`;

const T1 = "2021-01-01T00:00:00.000Z";
const T2 = "2021-01-02T00:00:00.000Z";

function publish(...texts: string[]) {
  const merged = mergeArchives(texts.map((text, i) => parseArchive(text, `f${i + 1}.md`)));
  return { merged, published: publishArchive(merged) };
}

describe("across files", () => {
  test("the same comment in several files is one comment", () => {
    const a = file(["alice", "T", T1, "Hello."], ["alice", "T", T2, "Only in a."]);
    const b = file(["alice", "T", T1, "Hello."]);
    const { merged, published } = publish(a, b, a);
    assert.deepEqual(merged.comments.map((c) => [c.postedAt, c.body]), [[T1, "Hello."], [T2, "Only in a."]]);
    assert.deepEqual(merged.updated, []);
    assert.deepEqual(published.comments.map((c) => c.page.permalink), ["/comments/alice/20210101-000000-000/", "/comments/alice/20210102-000000-000/"]);
  });

  for (const order of ["old, new", "new, old"] as const) {
    test(`texts differ (${order}): the file named last wins and is reported`, () => {
      const oldText = file(["alice", "T", T1, "Old text."]);
      const newText = file(["alice", "T", T1, "New text."]);
      const texts = order === "old, new" ? [oldText, newText] : [newText, oldText];
      const { merged, published } = publish(...texts);
      const winner = order === "old, new" ? "New text." : "Old text.";
      assert.deepEqual(merged.comments.map((c) => [c.body, c.source.file]), [[winner, "f2.md"]]);
      assert.deepEqual(merged.updated.map((c) => [c.body, c.source.file, c.source.line]), [[winner, "f2.md", 5]]);
      assert.equal(published.comments.length, 1);
      assert.equal(published.comments[0]?.page.permalink, "/comments/alice/20210101-000000-000/");
    });
  }

  test("a changed thread title or display name is an update of the same comment", () => {
    const { merged } = publish(file(["alice", "Old Title", T1, "x"]), file(["Alice Liddell (alice)", "New Title", T1, "x"]));
    assert.equal(merged.comments.length, 1);
    assert.deepEqual(merged.comments[0]?.author, { username: "alice", name: "Alice Liddell" });
    assert.equal(merged.comments[0]?.threadTitle, "New Title");
    assert.equal(merged.updated.length, 1);
  });

  test("different usernames at the same instant are different comments", () => {
    const { merged } = publish(file(["alice", "T", T1, "a"], ["bob", "T", T1, "b"]));
    assert.deepEqual(merged.comments.map((c) => c.author.username), ["alice", "bob"]);
  });

  test("importArchives reports updates as file:line of the winning text", async (t) => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, "1.md"), file(["alice", "T", T1, "Old text."], ["alice", "T", T2, "Same."]));
    writeFileSync(path.join(dir, "2.md"), file(["alice", "T", T2, "Same."], ["alice", "T", T1, "New text."]));
    const result = await importArchives([path.join(dir, "1.md"), path.join(dir, "2.md")], path.join(dir, "content"));
    assert.deepEqual(result.updated, [`${path.join(dir, "2.md")}:9`]);
    assert.deepEqual(result.archive.comments.map((c) => c.body), ["New text.", "Same."]);
  });
});

describe("within one file", () => {
  test("same identity and same text: one comment", () => {
    const { merged } = publish(file(["bob", "T", T1, "Twice."], ["bob", "T", T1, "Twice."]));
    assert.equal(merged.comments.length, 1);
    assert.equal(merged.comments[0]?.source.line, 5);
  });

  test("same identity, different texts: both kept, with distinct ids that do not depend on their order", () => {
    const first = publish(file(["bob", "T", T1, "First text."], ["bob", "T", T1, "Second text."])).published;
    const swapped = publish(file(["bob", "T", T1, "Second text."], ["bob", "T", T1, "First text."])).published;
    const ids = (p: typeof first): Record<string, string> => Object.fromEntries(p.comments.map((c) => [c.body, c.page.id]));
    assert.equal(first.comments.length, 2);
    const byBody = ids(first);
    assert.notEqual(byBody["First text."], byBody["Second text."]);
    assert.deepEqual(ids(swapped), byBody);
    for (const id of Object.values(byBody)) assert.match(id, /^bob\/20210101-000000-000(-[0-9a-f]{8})?$/);
    assert.equal(new Set(first.comments.map((c) => c.page.permalink)).size, 2);
  });

  test("the same identity in another thread is a different text", () => {
    const { merged } = publish(file(["bob", "One", T1, "Same words."], ["bob", "Two", T1, "Same words."]));
    assert.deepEqual(merged.comments.map((c) => c.threadTitle), ["One", "Two"]);
  });
});
