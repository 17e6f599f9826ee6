// JSON input: its kind is told by content, every kind gives the same records, and bad input names file, line and column.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { instantOf, readComment } from "../../scripts/lib/archive/forum-record.ts";
import { parseInput, readArchive } from "../../scripts/lib/archive/read-archive.ts";
import { FetchedFile } from "../../scripts/lib/fetch/fetched-file.ts";
import { tempDir } from "./helpers.ts";

const comment = (id: string, at: string, extra: object = {}): Record<string, unknown> => ({
  _id: id,
  postedAt: at,
  user: { username: "olga", displayName: "Olga", slug: "olga" },
  post: { _id: "p1", title: "A Post" },
  contents: { markdown: `Comment ${id}.` },
  ...extra,
});
const T1 = "2021-01-01T00:00:00.000Z";
const T2 = "2021-01-02T00:00:00.000Z";

function refusal(text: string, file = "x.json"): ArchiveError {
  try {
    parseInput(text, file);
  } catch (error) {
    assert.ok(error instanceof ArchiveError, String(error));
    return error;
  }
  assert.fail("accepted");
}

/** A summary of what a kind gives: the same for every kind of the same comments. */
const summary = (text: string): string[] => parseInput(text, "x").comments.map((c) => `${c.author.username} ${c.postedAt} ${c.threadTitle} ${c.body} ${c.forum?.id ?? ""}`);

describe("kinds", () => {
  const comments = [comment("a", T1), comment("b", T2)];
  const expected = ["olga 2021-01-01T00:00:00.000Z A Post Comment a. a", "olga 2021-01-02T00:00:00.000Z A Post Comment b. b"];
  const kinds: [string, string][] = [
    ["a GraphQL response", JSON.stringify({ data: { comments: { results: comments } } })],
    ["a pretty-printed GraphQL response with a BOM", `\uFEFF${JSON.stringify({ data: { comments: { results: comments } } }, null, 2)}`],
    ["a list of GraphQL responses", JSON.stringify(comments.map((c) => ({ data: { comments: { results: [c] } } })))],
    ["a list of comments", `\n  ${JSON.stringify(comments, null, "\t")}`],
    ["NDJSON", `${comments.map((c) => JSON.stringify(c)).join("\n")}\n`],
    ["NDJSON with CRLF and blank lines", `\r\n${comments.map((c) => JSON.stringify(c)).join("\r\n\r\n")}\r\n`],
    ["NDJSON of GraphQL responses", comments.map((c) => JSON.stringify({ data: { comments: { results: [c] } } })).join("\n")],
    [
      "a data export",
      JSON.stringify({
        Users: [{ _id: "u1", username: "olga", displayName: "Olga" }],
        Posts: [{ _id: "p1", title: "A Post" }],
        Comments: comments.map((c) => ({ _id: c._id, postedAt: c.postedAt, userId: "u1", postId: "p1", contents: { originalContents: { type: "markdown", data: (c.contents as { markdown: string }).markdown } } })),
      }),
    ],
  ];
  for (const [name, text] of kinds) test(`${name} gives the comments`, () => assert.deepEqual(summary(text), expected));

  test("one comment object alone is a file of one comment", () => {
    assert.deepEqual(summary(JSON.stringify(comment("a", T1))), [expected[0]]);
  });

  test("the kind is the content's, not the file name's", async (t) => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, "comments.md"), JSON.stringify(comments));
    writeFileSync(path.join(dir, "export.json"), "## Comments\n\n**olga**on A Post · 2021-01-01T00:00:00.000Z · LW · GW\n\nText.\n");
    writeFileSync(path.join(dir, "no-extension"), JSON.stringify(comments));
    assert.equal((await readArchive(path.join(dir, "comments.md"))).comments[0]?.forum?.id, "a");
    assert.equal((await readArchive(path.join(dir, "export.json"))).comments[0]?.forum, undefined);
    assert.equal((await readArchive(path.join(dir, "no-extension"))).comments.length, 2);
  });

  test("records point at the line where their object starts", () => {
    const many = Array.from({ length: 300 }, (_, i) => comment(`id${i}`, new Date(Date.UTC(2020, 0, 1, 0, i)).toISOString()));
    const text = JSON.stringify({ data: { comments: { results: many } } }, null, 1);
    const lines = text.split("\n");
    for (const record of parseInput(text, "x.json").comments) {
      assert.equal(lines[record.source.line - 1]?.trim(), "{");
      assert.equal(lines[record.source.line]?.trim(), `"_id": "${record.forum?.id}",`);
    }
  });
});

describe("the fetcher's file", () => {
  test("what npm run fetch saves reads back: comments, per-comment errors as warnings, outside parents as reply context", async (t) => {
    const file = path.join(tempDir(t), "comments.json");
    const user = { _id: "u1", username: "olga", displayName: "Olga", slug: "olga" };
    const fetched = new FetchedFile(file, "lesswrong", user, { pass: "all", complete: true, after: null, passStartedAt: T1, lastCompletedAt: T2 });
    const reply = { ...comment("r1", T2), pageUrl: "https://www.lesswrong.com/posts/p1/a-post?commentId=r1", parentCommentId: "o1", parentComment: { _id: "o1", postedAt: T1, user: { _id: "u9", username: "pat", displayName: "Pat" }, contents: { plaintextMainText: "The question." } } };
    const own = { ...comment("r2", "2021-01-03T00:00:00.000Z"), parentCommentId: "r1", parentComment: { _id: "r1", postedAt: T2, user: { _id: "u1", username: "olga" } } };
    fetched.merge([reply as never, own as never], [{ message: "no post", path: ["comments", "results", 1, "pageUrl"] }], "u1");
    await fetched.save();

    const parsed = await readArchive(file);
    assert.deepEqual(parsed.comments.map((c) => c.forum?.id), ["r1", "r2"]);
    // r2 has no pageUrl: its forum's origin comes from the file's --forum.
    assert.deepEqual(parsed.comments.map((c) => c.forum?.origin), ["https://www.lesswrong.com", "https://www.lesswrong.com"]);
    assert.deepEqual(parsed.outsideParents?.map((p) => [p.id, p.author?.username, p.excerpt, p.pageUrl]), [["o1", "pat", "The question.", "https://www.lesswrong.com/posts/p1/a-post?commentId=o1"]]);
    const lines = readFileSync(file, "utf8").split("\n");
    const [warning] = parsed.warnings;
    assert.equal(warning?.message, "the forum could not give this comment's pageUrl: no post");
    assert.match(lines[(warning?.source.line ?? 0)] ?? "", /"_id": "r2"/);
  });
});

describe("nulls and missing fields", () => {
  const optional = ["lastEditedAt", "pageUrl", "postId", "post", "tagId", "tag", "parentCommentId", "topLevelCommentId", "parentComment", "contents", "htmlBody", "baseScore", "voteCount", "extendedScore", "retracted", "deleted", "deletedReason", "af", "shortform", "answer", "parentAnswerId", "descendentCount", "directChildrenCount"];
  const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.constant(""), fc.constant("null"), fc.constant({}), fc.constant([]), fc.integer(), fc.boolean(), fc.constant({ title: null, name: null, markdown: null, html: null, _id: null, agreement: null }));

  function assertClean(value: unknown, at: string): void {
    assert.ok(value !== null && value !== undefined, `${at} is ${String(value)}`);
    if (typeof value === "object") for (const [key, inner] of Object.entries(value as object)) assertClean(inner, `${at}.${key}`);
  }

  test("property: whatever the optional fields hold, a record has no null or undefined field", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...optional), junk), fc.constantFrom(null, "", "Olga", undefined), (fields, displayName) => {
        const raw = { _id: "x", postedAt: T1, user: { username: "olga", displayName }, ...fields };
        const read = readComment(raw, { file: "x.json", line: 1 });
        assert.equal(read.kind, "comment");
        if (read.kind !== "comment") return;
        assertClean(read.record, "record");
        if (read.parent) assertClean(read.parent, "parent");
        assert.equal(read.record.author.name, displayName === "Olga" ? "Olga" : "olga");
        // A string field is never the text of a missing value, unless the input said so itself.
        const strings = JSON.stringify(read.record).match(/"(?:null|undefined)"/g) ?? [];
        assert.ok(strings.length === 0 || JSON.stringify(fields).includes('"null"'), JSON.stringify(read.record));
      }),
      { numRuns: 500 },
    );
  });

  test("a comment the forum gave only as HTML has its text as Markdown, without its markup", () => {
    const html = '<p>Safe <a href="https://example.org/x" onclick="steal()">link</a> and <em>emphasis</em>.</p><script>steal()</script><p style="color:red"><a href="javascript:steal()">bad</a></p>';
    const read = readComment({ _id: "h", postedAt: T1, user: { username: "olga" }, contents: { html } }, { file: "x.json", line: 1 });
    assert.ok(read.kind === "comment");
    assert.equal(read.record.body.split("\n")[0], "Safe [link](<https://example.org/x>) and *emphasis*.");
    assert.match(read.record.body, /bad/, "the text of a refused link stays");
    assert.doesNotMatch(read.record.body, /steal|script|onclick|style|javascript/);
    assert.equal(read.record.forum?.html, html, "the forum's HTML is kept as it was");
  });

  test("a deleted comment is a record with the flag and no text", () => {
    const read = readComment({ _id: "d", postedAt: T1, user: { username: "olga" }, deleted: true, contents: { markdown: "Gone.", html: "<p>Gone.</p>" } }, { file: "x.json", line: 1 });
    assert.ok(read.kind === "comment");
    assert.equal(read.record.body, "");
    assert.deepEqual([read.record.forum?.deleted, read.record.forum?.markdown, read.record.forum?.html], [true, undefined, undefined]);
  });
});

describe("instants", () => {
  const cases: [unknown, string | undefined][] = [
    ["2021-05-27T20:36:01.829Z", "2021-05-27T20:36:01.829Z"],
    ["2021-05-27T20:36:01Z", "2021-05-27T20:36:01.000Z"],
    ["2021-05-27T20:36:01.8291234Z", "2021-05-27T20:36:01.829Z"],
    ["2021-05-27T22:36:01.829+02:00", "2021-05-27T20:36:01.829Z"],
    [{ $date: "2021-05-27T20:36:01.829Z" }, "2021-05-27T20:36:01.829Z"],
    [{ $date: 1622147761829 }, "2021-05-27T20:36:01.829Z"],
    [{ $date: { $numberLong: "1622147761829" } }, "2021-05-27T20:36:01.829Z"],
    ["2021-02-30T00:00:00.000Z", undefined],
    ["2021-05-27", undefined],
    ["May 27, 2021", undefined],
    [1622147761829, undefined],
    [null, undefined],
    [{ $date: 1e20 }, undefined],
  ];
  for (const [input, expected] of cases) test(`${JSON.stringify(input)} -> ${String(expected)}`, () => assert.equal(instantOf(input), expected));
});

describe("refused", () => {
  const cases: [string, string, string][] = [
    ["a list with something else in it", `[\n  ${JSON.stringify(comment("a", T1))},\n  42\n]`, "x.json:3:3: not a forum comment archive: element 2 of the list is not a comment object or a GraphQL response"],
    // Only `{` and `[` start JSON input: anything else is a text export's to refuse.
    ["a JSON string", '"just text"', 'x.json:1: expected "## Posts", "## Comments" or a comment header'],
    ["an object of no known shape", '{\n  "comments": []\n}', 'x.json:1:1: not a forum comment archive: the document is not a comment object or a GraphQL response (expected a GraphQL response ({"data":{"comments":{"results":[...]}}}), a list of them, a list of comment objects, one comment object per line (NDJSON), or a data export ({"Comments":[...],"Users":[...]})); found an object with keys "comments"'],
    ["an empty list", "[]", "x.json:1: no comments found (expected a GraphQL response"],
    ["an empty page", '{"data":{"comments":{"results":[]}}}', "x.json:1: no comments found"],
    ["a result that is not an object", '{"data":{"comments":{"results":[\n"text"]}}}', 'x.json:2:1: data.comments.results[0] is not a comment object: found a string'],
    ["a comment with no user", `[${JSON.stringify({ _id: "a", postedAt: T1 })}]`, 'x.json:1:2: comment "a": it has no author: expected "user": {"username": ...}'],
    ["a comment whose postedAt is no instant", `[\n${JSON.stringify({ _id: "a", postedAt: "2021-13-01T00:00:00.000Z", user: { username: "olga" } })}]`, 'x.json:2:1: comment "a": postedAt "2021-13-01T00:00:00.000Z" is not a real instant'],
    ["an NDJSON line that is no comment", `${JSON.stringify(comment("a", T1))}\n{"b": 1}\n`, 'x.json:2:1: not a forum comment archive: this line is not a comment object or a GraphQL response'],
    ["an NDJSON line that is no JSON", `${JSON.stringify(comment("a", T1))}\n  {"_id": "b", postedAt: 1}\n`, "x.json:2:16: not valid JSON: expected double-quoted property name"],
    ["a data export's comment that is no object", '{"Users": [], "Comments": [\n null]}', "x.json:2:2: Comments[0] is not a comment object: found null"],
    ["a file that starts like JSON but is a broken text export", "[link](https://example.com)\n\n**olga**on A Post · 2021-01-01T00:00:00.000Z\n", "x.json:1:2: not valid JSON: unexpected token 'l'"],
  ];
  for (const [name, text, message] of cases) {
    test(name, () => {
      const error = refusal(text);
      assert.ok(error.message.startsWith(message), `${error.message}\n  does not start with\n${message}`);
    });
  }

  test("a page with errors and no data is refused with the forum's errors, which are warnings when there is data", () => {
    const errors = [{ message: "Rate limited" }];
    assert.match(refusal(JSON.stringify({ data: null, errors })).message, /^x\.json:1: no comments found; the forum's errors: Rate limited$/);
    const pages = JSON.stringify([{ data: null, errors }, { data: { comments: { results: [comment("a", T1)] } } }], null, 1);
    const parsed = parseInput(pages, "x.json");
    assert.deepEqual(parsed.warnings.map((w) => `${w.source.line}: ${w.message}`), ["5: the forum reported an error: Rate limited"]);
  });

  test("bad JSON through readArchive: the error names file, line and column, as the text export's name file and line", async (t) => {
    const file = path.join(tempDir(t), "bad.json");
    writeFileSync(file, '{\r\n  "data": {\r\n    "comments": {"results": [}\r\n  }\r\n}\r\n');
    await assert.rejects(readArchive(file), (error: unknown) => {
      assert.ok(error instanceof ArchiveError);
      assert.equal(error.message, `${file}:3:30: not valid JSON: unexpected token '}'`);
      assert.deepEqual([error.file, error.line, error.column], [file, 3, 30]);
      return true;
    });
  });

  test("an ArchiveError without a column reads as before", () => {
    assert.equal(new ArchiveError("m", { file: "f", line: 2 }).message, "f:2: m");
    assert.equal(new ArchiveError("m", { file: "f", column: 3 }).message, "f: m");
    assert.equal(new ArchiveError("m", { file: "f", line: 2, column: 3 }).message, "f:2:3: m");
  });
});
