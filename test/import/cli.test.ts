// The real command, `tsx scripts/import.ts --archive X`, run in a temp dir: content/archive is relative to the working directory.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { listFiles, REPO_ROOT, snapshot, tempDir } from "./helpers.ts";

const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
const IMPORT = path.join(REPO_ROOT, "scripts", "import.ts");

function runImport(cwd: string, ...archives: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(TSX, [IMPORT, ...archives.flatMap((a) => ["--archive", a])], { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const GOOD = `## Posts

My Post 2021-01-01T00:00:00.000Z · score: 5 (2 votes)

## Comments

**interstice**on My Post · 2021-06-19T15:54:32.790Z · LW · GW

A reply on my own post^{[1]}.

The note. ↩︎

**Wei Dai (wei_dai)** on Another Post · 2021-06-18T00:00:00.000Z · LW · GW

Unmatched^{[1]} footnote.
`;

const BAD_TIMESTAMP = `## Comments

**interstice**on My Post · 2021-06-20T00:00:00.000Z · LW · GW

Fine.

**interstice**on My Post · 2021-13-45T99:00:00.000Z · LW · GW

Corrupt header.
`;

describe("the import command", () => {
  test("imports, then leaves the content byte-identical when re-run or given bad input", (t) => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, "export.md"), GOOD);
    const first = runImport(dir, "export.md");
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /import: 2 comments, 2 threads, 2 authors from 1 file\(s\); pages 4 written, 0 unchanged, 0 removed/);
    assert.equal(first.stdout.trim().split("\n").length, 1, "a small import prints its summary and no progress");
    assert.match(first.stderr, /warning: export\.md:13: footnotes left as plain text/);
    const content = path.join(dir, "content", "archive");
    assert.deepEqual(listFiles(content), ["comments/interstice/20210619-155432-790.md", "comments/wei_dai/20210618-000000-000.md", "manifest.tsv", "threads/another-post.md", "threads/my-post.md"]);
    const before = snapshot(content);

    const again = runImport(dir, "export.md");
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /pages 0 written, 4 unchanged, 0 removed/);
    assert.deepEqual(snapshot(content), before, "a re-run touches nothing");

    const bad: [string, string | Buffer, RegExp][] = [
      ["bad-timestamp.md", BAD_TIMESTAMP, /^error: bad-timestamp\.md:7: timestamp "2021-13-45T99:00:00\.000Z" is not a real instant/m],
      ["empty.md", "", /^error: empty\.md:1: file is empty/m],
      ["binary.md", Buffer.from([0x23, 0x23, 0x20, 0x0a, 0x00, 0xff, 0x0a]), /^error: binary\.md:2: not a UTF-8 text file/m],
      ["no-comments.md", "## Posts\n\n## Comments\n", /^error: no-comments\.md:1: no comments found/m],
    ];
    for (const [name, text, message] of bad) {
      writeFileSync(path.join(dir, name), text);
      const failed = runImport(dir, "export.md", name);
      assert.notEqual(failed.status, 0, `${name}: non-zero exit`);
      assert.match(failed.stderr, message, name);
      assert.deepEqual(snapshot(content), before, `${name}: the previous content is left byte-identical`);
    }
    const missing = runImport(dir, "export.md", "missing.md");
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /^error: missing\.md: file not found/m);
    assert.deepEqual(snapshot(content), before);
    assert.deepEqual(listFiles(dir).filter((f) => !f.startsWith("content/archive/")).sort(), ["binary.md", "bad-timestamp.md", "empty.md", "export.md", "no-comments.md"].sort(), "no staging dirs left");
  });

  test("a bad file given first fails the same way, before anything is written", (t) => {
    const dir = tempDir(t);
    mkdirSync(path.join(dir, "in"));
    writeFileSync(path.join(dir, "in", "bad.md"), BAD_TIMESTAMP);
    writeFileSync(path.join(dir, "in", "good.md"), GOOD);
    const run = runImport(dir, "in/bad.md", "in/good.md");
    assert.equal(run.status, 1);
    assert.match(run.stderr, /in\/bad\.md:7: /);
    assert.deepEqual(listFiles(dir), ["in/bad.md", "in/good.md"], "no content dir created");
  });
});
