// A line shaped like a comment header that does not parse is refused wherever it is: as body text it would hide a comment.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { isHeaderShaped, parseCommentHeader } from "../../scripts/lib/archive/header.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import { copyProject } from "../support/project-copy.ts";
import { SAMPLE_ARCHIVE, snapshot } from "./helpers.ts";

const FIRST = "**interstice**on Good · 2021-06-22T10:00:00.000Z · LW · GW";

/** Malformed header lines and the reason the error must give. */
const MALFORMED: readonly (readonly [line: string, reason: string])[] = [
  ["**interstice**on Typo · 2021-06-21 10:00:00 · LW · GW", 'timestamp "2021-06-21 10:00:00" is not ISO 8601 UTC'],
  ["**interstice**on Typo · 2021-06-21 10:00:00", 'timestamp "2021-06-21 10:00:00" is not ISO 8601 UTC'],
  ["Comment by **interstice** on Typo · 2021-06-21", 'timestamp "2021-06-21" is not ISO 8601 UTC'],
  ["**interstice** on Typo · 2021-06-21T10:00:00.000+02:00 · LW · GW", 'timestamp "2021-06-21T10:00:00.000+02:00" is not ISO 8601 UTC'],
  ["**interstice**on  · 2021-06-20T10:00:00.000Z · LW · GW", 'no post title between "on " and " · 2021-06-20T10:00:00.000Z"'],
  ["**interstice**on    · 2021-06-20T10:00:00.000Z", 'no post title between "on " and " · 2021-06-20T10:00:00.000Z"'],
  ["**interstice on A Post · 2021-01-01T00:00:00.000Z · LW · GW", 'the author is not bold text followed by "on "'],
  ["**interstice**on Typo ·2021-06-21T10:00:00.000Z", 'timestamp "2021-06-21T10:00:00.000Z" is not set off by " · " (space, middle dot, space)'],
  ["**interstice**on No Timestamp · LW · GW", 'no timestamp before " · LW · GW"'],
];

/** Body lines that start like a header but are prose, quotes or code: kept as text. */
const BODY_TEXT: readonly string[] = [
  "**Bold** prose at the start of a line.",
  "**Edit:** fixed on 2021-06-21",
  "**Edit** · 2021-06-21",
  "**Note** on the plan · not a date",
  "> **interstice**on Quoted · 2021-06-21 10:00:00 · LW · GW",
  "    **interstice**on Indented Code · 2021-06-21 10:00:00 · LW · GW",
  "Comment by someone on Post · 2021-06-21",
];

function archiveError(text: string): ArchiveError {
  try {
    parseArchive(text, "export.md");
  } catch (error) {
    assert.ok(error instanceof ArchiveError, String(error));
    return error;
  }
  assert.fail("the archive was accepted");
}

describe("malformed comment headers", () => {
  for (const [line, reason] of MALFORMED) {
    test(`refused after the first comment: ${line}`, () => {
      assert.ok(isHeaderShaped(line) && parseCommentHeader(line) === undefined, "a malformed header");
      const error = archiveError(`## Comments\n\n${FIRST}\n\nFirst body.\n\n${line}\n\nLost body.\n`);
      assert.equal(error.file, "export.md");
      assert.equal(error.line, 7);
      assert.ok(error.message.startsWith(`export.md:7: malformed comment header: ${reason}; found "${line}"`), error.message);
    });
  }

  test("refused as the last line, right after a body line, and after a closed fence, with CRLF", () => {
    const [line] = MALFORMED[0] ?? [""];
    assert.equal(archiveError(`${FIRST}\n\nbody\n${line}`).line, 4);
    assert.equal(archiveError(`${FIRST}\r\n\r\n\`\`\`\r\ncode\r\n\`\`\`\r\n${line}\r\n`).line, 6);
  });

  test("before the first comment the message says what is wrong with the header too", () => {
    const [line, reason] = MALFORMED[0] ?? ["", ""];
    const cases: readonly (readonly [text: string, lineNumber: number, expected: string])[] = [
      [`${line}\n\n${FIRST}\n`, 1, `expected "## Posts", "## Comments" or a comment header`],
      [`## Comments\n\n${line}\n\n${FIRST}\n`, 3, "expected a comment header"],
      [`## Posts\n\n${line}\n\n## Comments\n\n${FIRST}\n`, 3, "expected a post item"],
    ];
    for (const [text, lineNumber, expected] of cases) {
      const error = archiveError(text);
      assert.equal(error.line, lineNumber);
      assert.ok(error.message.startsWith(`export.md:${lineNumber}: malformed comment header: ${reason}; ${expected}`), error.message);
    }
  });

  test("inside a fenced code block a malformed header is body text, and a fence left open counts it", () => {
    const [line] = MALFORMED[0] ?? [""];
    const closed = parseArchive(`${FIRST}\n\n~~~\n${line}\n~~~\n`, "export.md");
    assert.deepEqual(closed.comments.map((c) => c.body), [`~~~\n${line}\n~~~`]);
    assert.deepEqual(closed.warnings, []);
    const open = parseArchive(`${FIRST}\n\n\`\`\`\n${line}\n`, "export.md");
    assert.deepEqual(open.comments.map((c) => c.body), [`\`\`\`\n${line}`]);
    assert.deepEqual(open.warnings, [
      { source: { file: "export.md", line: 3 }, message: "code fence never closed: 1 header-shaped line(s) after it were read as code, not as comments" },
    ]);
  });

  test("prose, quotes and indented code that start like a header stay body text", () => {
    const body = BODY_TEXT.join("\n\n");
    const parsed = parseArchive(`${FIRST}\n\n${body}\n`, "export.md");
    assert.deepEqual(parsed.comments.map((c) => c.body), [body]);
    for (const line of BODY_TEXT) assert.equal(isHeaderShaped(line), false, line);
  });

  test("the sample's header lines are all readable headers", async () => {
    const sample = await readFile(SAMPLE_ARCHIVE, "utf8");
    const shaped = sample.split(/\r?\n/).filter((line) => isHeaderShaped(line) || parseCommentHeader(line) !== undefined);
    assert.equal(shaped.length, 50);
    for (const line of shaped) assert.notEqual(parseCommentHeader(line), undefined, line);
  });
});

describe("the import command", () => {
  test("exits non-zero on a malformed header after the first comment, naming file and line, and leaves content/ as it was", async (t) => {
    const project = await copyProject();
    t.after(() => project.remove());
    const first = await project.run("import", ["--archive", "archives/interstice.md"]);
    assert.equal(first.code, 0, first.stderr);
    const content = path.join(project.dir, "content");
    const before = snapshot(content);

    await writeFile(path.join(project.dir, "export.md"), `## Comments\n\n${FIRST}\n\nFirst body.\n\n**interstice**on Typo · 2021-06-21 10:00:00 · LW · GW\n\nLost body.\n`);
    const bad = await project.run("import", ["--archive", "export.md"]);
    assert.notEqual(bad.code, 0, bad.stdout);
    assert.match(bad.stderr, /export\.md:7: malformed comment header: timestamp "2021-06-21 10:00:00" is not ISO 8601 UTC/);
    assert.deepEqual(snapshot(content), before, "content/ is untouched");
  });
});
