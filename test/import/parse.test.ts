// parseArchive on whole texts: sections, line endings, fences, and input it must refuse rather than guess at.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import { SAMPLE_ARCHIVE } from "./helpers.ts";

const sample = readFileSync(SAMPLE_ARCHIVE, "utf8");

function archiveError(text: string): ArchiveError {
  try {
    parseArchive(text, "x.md");
  } catch (error) {
    assert.ok(error instanceof ArchiveError, `an ArchiveError, not ${String(error)}`);
    return error;
  }
  assert.fail("parseArchive accepted the text");
}

describe("line endings and byte-order mark", () => {
  test("the sample gives the same records with LF, CRLF, CR, and with a BOM", () => {
    const lf = parseArchive(sample, "x.md");
    assert.equal(lf.comments.length, 50);
    for (const variant of [sample.replace(/\n/g, "\r\n"), `\uFEFF${sample}`, `\uFEFF${sample.replace(/\n/g, "\r\n")}`, sample.replace(/\n/g, "\r")]) {
      assert.deepEqual(parseArchive(variant, "x.md"), lf);
    }
  });

  test("no carriage return survives in a CRLF body", () => {
    const parsed = parseArchive("**u**on T · 2021-01-01T00:00:00.000Z\r\n\r\none\r\ntwo\r\n\r\nthree^{[1]}\r\n\r\nnote ↩︎\r\n", "x.md");
    assert.equal(parsed.comments[0]?.body, "one\ntwo\n\nthree[^1]\n\n[^1]: note");
  });
});

describe("sections", () => {
  test("a file may hold only a ## Comments section, or no headings at all", () => {
    const withHeading = parseArchive("## Comments\n\n**u**on T · 2021-01-01T00:00:00.000Z\n\nx\n", "x.md");
    const without = parseArchive("**u**on T · 2021-01-01T00:00:00.000Z\n\nx\n", "x.md");
    assert.deepEqual(without.comments.map((c) => c.body), ["x"]);
    assert.deepEqual(withHeading.comments.map((c) => [c.body, c.source.line]), [["x", 3]]);
  });

  test("## Posts and ## Comments after the first comment are body text", () => {
    const parsed = parseArchive("**u**on T · 2021-01-01T00:00:00.000Z\n\n## Posts\n\nA 2020-01-01T00:00:00.000Z\n\n## Comments\n", "x.md");
    assert.equal(parsed.comments[0]?.body, "## Posts\n\nA 2020-01-01T00:00:00.000Z\n\n## Comments");
    assert.deepEqual(parsed.posts, []);
  });

  test("each post becomes a record with its date, score and votes, its author the file's main commenter", () => {
    const parsed = parseArchive(
      "## Posts\n\nMine 2020-01-15T10:00:00Z\n\nScored 2020-02-01T00:00:00.000Z · score: 7 (3 votes)\n\n## Comments\n\n**bob**on X · 2021-01-01T00:00:00.000Z\n\nx\n\n**me**on Y · 2021-01-02T00:00:00.000Z\n\ny\n\n**me**on Z · 2021-01-03T00:00:00.000Z\n\nz\n",
      "x.md",
    );
    assert.deepEqual(parsed.posts, [
      { title: "Mine", postedAt: "2020-01-15T10:00:00.000Z", source: { file: "x.md", line: 3 }, author: { username: "me", name: "me" } },
      { title: "Scored", postedAt: "2020-02-01T00:00:00.000Z", score: 7, votes: 3, source: { file: "x.md", line: 5 }, author: { username: "me", name: "me" } },
    ]);
  });

  test("text before the first section or comment is refused, not silently dropped", () => {
    // A first header the parser cannot read (its bold text never closes) must not vanish with its body.
    const error = archiveError("**bad name on T · 2021-01-01T00:00:00.000Z\n\nA whole comment.\n\n**u**on T · 2021-01-02T00:00:00.000Z\n\nx\n");
    assert.equal(error.file, "x.md");
    assert.equal(error.line, 1);
    assert.match(error.message, /^x\.md:1: /);
    assert.equal(archiveError("\n\nstray words\n## Posts\n").line, 3);
  });

  test("text between ## Comments and the first comment is refused", () => {
    assert.equal(archiveError("## Comments\n\nstray\n\n**u**on T · 2021-01-01T00:00:00.000Z\n\nx\n").line, 3);
  });

  test("a line in ## Posts that is not a post item is refused", () => {
    const error = archiveError("## Posts\n\nA 2020-01-01T00:00:00.000Z\nnot a post\n\n**u**on T · 2021-01-01T00:00:00.000Z\n\nx\n");
    assert.equal(error.line, 4);
    assert.match(error.message, /expected a post item/);
  });
});

describe("timestamps", () => {
  for (const bad of ["2021-13-45T99:00:00.000Z", "2021-02-30T00:00:00.000Z", "2021-01-01T24:00:00.000Z", "2021-01-01T23:60:00.000Z", "2021-01-01T23:59:60.000Z"]) {
    test(`${bad} is reported with file and line`, () => {
      const error = archiveError(`## Comments\n\n**u**on Fine · 2021-01-01T00:00:00.000Z\n\nok\n\n**u**on T · ${bad} · LW · GW\n\nbody\n`);
      assert.equal(error.line, 7);
      assert.ok(error.message.startsWith("x.md:7: ") && error.message.includes(bad), error.message);
    });
  }
  test("a valid timestamp is canonicalised to milliseconds", () => {
    const parsed = parseArchive("**u**on T · 2020-02-29T23:59:59Z\n\nx\n**u**on T · 2020-02-29T23:59:59.5Z\n\ny\n", "x.md");
    assert.deepEqual(parsed.comments.map((c) => c.postedAt), ["2020-02-29T23:59:59.000Z", "2020-02-29T23:59:59.500Z"]);
  });
});

describe("bodies", () => {
  test("kept exactly, blank lines around them trimmed, header-shaped lines in fences kept as text", () => {
    const body = [
      "First line",
      "second line",
      "",
      "",
      "    indented code",
      "",
      "```js",
      "**u**on Inside · 2021-01-02T00:00:00.000Z · LW · GW",
      "~~~",
      "**u**on Still Inside · 2021-01-03T00:00:00.000Z · LW · GW",
      "```",
      "",
      "~~~~",
      "Comment by **u** on Inside · 2021-01-04T00:00:00.000Z",
      "~~~~",
      "",
      "<script>alert(1)</script> and *is*a",
    ].join("\n");
    const parsed = parseArchive(`**u**on T · 2021-01-01T00:00:00.000Z · LW · GW\n\n\n${body}\n\n\n**u**on Next · 2021-01-05T00:00:00.000Z\n\nnext\n`, "x.md");
    assert.deepEqual(
      parsed.comments.map((c) => [c.threadTitle, c.body, c.source.line]),
      [
        ["T", body, 1],
        ["Next", "next", 23],
      ],
    );
  });

  test("a fence opened in one comment does not hide the next comment's header once closed", () => {
    const parsed = parseArchive("**u**on A · 2021-01-01T00:00:00.000Z\n\n```\ncode\n```\n**u**on B · 2021-01-02T00:00:00.000Z\n\nb\n", "x.md");
    assert.deepEqual(parsed.comments.map((c) => c.threadTitle), ["A", "B"]);
  });

  test("a fence never closed hides the headers after it: kept as text, with a warning at the fence", () => {
    const parsed = parseArchive("**u**on A · 2021-01-01T00:00:00.000Z\n\n~~~\n**u**on B · 2021-01-02T00:00:00.000Z\n\nb\n", "x.md");
    assert.deepEqual(parsed.comments.map((c) => c.body), ["~~~\n**u**on B · 2021-01-02T00:00:00.000Z\n\nb"]);
    assert.deepEqual(parsed.warnings, [
      { source: { file: "x.md", line: 3 }, message: "code fence never closed: 1 header-shaped line(s) after it were read as code, not as comments" },
    ]);
    // Closed fences, or an open one hiding no header, are not worth a warning.
    assert.deepEqual(parseArchive("**u**on A · 2021-01-01T00:00:00.000Z\n\n```\n**u**on B · 2021-01-02T00:00:00.000Z\n```\n", "x.md").warnings, []);
    assert.deepEqual(parseArchive("**u**on A · 2021-01-01T00:00:00.000Z\n\n```\ncode\n", "x.md").warnings, []);
  });

  test("no comments: refused with file and line", () => {
    const error = archiveError("## Posts\n\nA Post 2020-01-01T00:00:00.000Z\n\n## Comments\n");
    assert.equal(error.file, "x.md");
    assert.equal(error.line, 1);
    assert.match(error.message, /no comments found/);
  });
});
