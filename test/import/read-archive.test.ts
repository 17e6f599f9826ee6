// Reading export files: what is not a readable UTF-8 text is refused with file and line.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { ParsedExports, readArchive } from "../../scripts/lib/archive/read-archive.ts";
import { tempDir } from "./helpers.ts";

const GOOD = "## Comments\r\n\r\n**u**on T · 2021-01-01T00:00:00.000Z\r\n\r\nCafé ☕ 日本\r\n";

async function refusal(file: string): Promise<ArchiveError> {
  try {
    await readArchive(file);
  } catch (error) {
    assert.ok(error instanceof ArchiveError, String(error));
    return error;
  }
  assert.fail(`${file} was accepted`);
}

describe("readArchive", () => {
  test("UTF-8 with a BOM and CRLF is read", async (t) => {
    const file = path.join(tempDir(t), "ok.md");
    writeFileSync(file, `\uFEFF${GOOD}`);
    const parsed = await readArchive(file);
    assert.deepEqual(parsed.comments.map((c) => [c.body, c.source]), [["Café ☕ 日本", { file, line: 3 }]]);
  });

  const bad: [string, Buffer, RegExp, number | undefined][] = [
    ["empty", Buffer.alloc(0), /file is empty/, 1],
    ["only blank lines", Buffer.from("\r\n \r\n\t\r\n"), /file is empty/, 1],
    ["only a BOM", Buffer.from("\uFEFF"), /file is empty/, 1],
    ["NUL on line 1", Buffer.from("\0## Comments\n"), /not a UTF-8 text file/, 1],
    ["NUL on line 5", Buffer.concat([Buffer.from(GOOD), Buffer.from("more\0")]), /not a UTF-8 text file/, 6],
    ["Latin-1 on line 6", Buffer.concat([Buffer.from(GOOD), Buffer.from("Caf\u00e9\n", "latin1")]), /not a UTF-8 text file/, 6],
    ["a lone continuation byte", Buffer.concat([Buffer.from("## Comments\n\n"), Buffer.from([0x80])]), /not a UTF-8 text file/, 3],
    ["an overlong encoding", Buffer.concat([Buffer.from("## Comments\n"), Buffer.from([0xc0, 0xaf])]), /not a UTF-8 text file/, 2],
    // The first bad byte is on line 1, before the first NUL (line 3).
    ["a PNG", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), /not a UTF-8 text file/, 1],
  ];
  for (const [name, bytes, message, line] of bad) {
    test(`refuses ${name}, naming file and line`, async (t) => {
      const file = path.join(tempDir(t), "bad.md");
      writeFileSync(file, bytes);
      const error = await refusal(file);
      assert.match(error.message, message);
      assert.equal(error.file, file);
      assert.equal(error.line, line);
      assert.ok(error.message.startsWith(`${file}:${line}: `), error.message);
    });
  }

  test("a missing file or a directory is refused, naming it", async (t) => {
    const dir = tempDir(t);
    const missing = await refusal(path.join(dir, "missing.md"));
    assert.equal(missing.file, path.join(dir, "missing.md"));
    assert.match(missing.message, /file not found/);
    mkdirSync(path.join(dir, "folder.md"));
    assert.match((await refusal(path.join(dir, "folder.md"))).message, /is a directory/);
  });
});

describe("ParsedExports (the dev server's imports)", () => {
  test("gives back the earlier parse of an unchanged export, and parses a changed one again", async (t) => {
    const dir = tempDir(t);
    const [a, b] = [path.join(dir, "a.md"), path.join(dir, "b.md")];
    writeFileSync(a, GOOD);
    writeFileSync(b, GOOD.replace("Café", "Tea"));
    const exports = new ParsedExports();
    const [firstA, firstB] = [await exports.read(a), await exports.read(b)];
    assert.equal(await exports.read(a), firstA, "unchanged: the same records, not read again");
    assert.equal(await exports.read(b), firstB);

    writeFileSync(a, GOOD.replace("Café", "Cafés"));
    const changed = await exports.read(a);
    assert.notEqual(changed, firstA);
    assert.equal(changed.comments[0]?.body, "Cafés ☕ 日本");
    assert.equal(await exports.read(b), firstB, "the other export is still not read again");
  });

  test("a bad or missing export is refused each time, not remembered", async (t) => {
    const file = path.join(tempDir(t), "export.md");
    const exports = new ParsedExports();
    writeFileSync(file, GOOD);
    await exports.read(file);
    writeFileSync(file, "");
    await assert.rejects(exports.read(file), /file is empty/);
    await assert.rejects(exports.read(file), /file is empty/);
    rmSync(file);
    await assert.rejects(exports.read(file), /file not found/);
    writeFileSync(file, GOOD);
    assert.equal((await exports.read(file)).comments.length, 1);
  });
});
