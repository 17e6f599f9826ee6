// Fixture tests for JSON input: each folder of test/fixtures/forum-json holds input file(s) and the merged records (or the error) they must give.
//
//   test/fixtures/forum-json/<case>/input.<ext>        one input, or input-1.<ext>, input-2.<ext>, ... (named in that order)
//   test/fixtures/forum-json/<case>/files.json         optional: the file names to pass instead
//   test/fixtures/forum-json/<case>/expected.json      { comments, outsideParents, warnings, updated } or { error: { message, file, line, column } }
//
// `UPDATE_FIXTURES=1 node --import tsx --test test/import/forum-fixtures.test.ts` rewrites expected.json from what
// the code does now: read every change before committing it. Every case also runs with its inputs rewritten to LF
// without BOM and to CRLF with a BOM, which must give exactly the expected result.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { mergeArchives } from "../../scripts/lib/archive/merge.ts";
import { readArchive } from "../../scripts/lib/archive/read-archive.ts";
import { fixtureCases, inputNames, REPO_ROOT, rewrittenInputs } from "./helpers.ts";

const FIXTURES = path.join(REPO_ROOT, "test/fixtures/forum-json");
const UPDATE = process.env.UPDATE_FIXTURES === "1";

type Outcome =
  | { comments: unknown[]; outsideParents: unknown[]; warnings: string[]; updated: string[] }
  | { error: { message: string; file: string; line: number | null; column: number | null } };

/** Nothing downstream may see a null, an undefined field or the text "null"/"undefined". */
function assertClean(value: unknown, at = "records"): void {
  assert.notEqual(value, null, `${at} is null`);
  assert.notEqual(value, undefined, `${at} is undefined`);
  if (typeof value === "string") assert.ok(value !== "null" && value !== "undefined", `${at} is ${JSON.stringify(value)}`);
  if (typeof value === "object" && value !== null) for (const [key, inner] of Object.entries(value)) assertClean(inner, `${at}.${key}`);
}

/** Reads and merges the files, with every `file` made relative to the case's folder. */
async function run(dir: string, names: string[]): Promise<Outcome> {
  const relative = (file: string): string => path.relative(dir, file);
  const withRelativeFile = <T extends { source: { file: string } }>(record: T): T => ({ ...record, source: { ...record.source, file: relative(record.source.file) } });
  try {
    const archives = [];
    for (const name of names) archives.push(await readArchive(path.join(dir, name)));
    const merged = mergeArchives(archives);
    assertClean(merged.comments, "comments");
    assertClean(merged.outsideParents, "outsideParents");
    return {
      comments: merged.comments.map(withRelativeFile),
      outsideParents: merged.outsideParents.map(withRelativeFile),
      warnings: merged.warnings.map((w) => `${relative(w.source.file)}:${w.source.line}: ${w.message.replaceAll(`${dir}${path.sep}`, "")}`),
      updated: merged.updated.map((c) => `${relative(c.source.file)}:${c.source.line}`),
    };
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    const prefix = `${error.file}${error.line === undefined ? "" : `:${error.line}`}${error.column === undefined ? "" : `:${error.column}`}: `;
    assert.ok(error.message.startsWith(prefix), `the message names file, line and column: ${error.message}`);
    return { error: { message: error.message.slice(prefix.length), file: relative(error.file), line: error.line ?? null, column: error.column ?? null } };
  }
}

const cases = fixtureCases(FIXTURES);

describe("JSON input fixtures", () => {
  test("there are fixture cases, of every input kind and error", () => assert.ok(cases.length >= 15, `found ${cases.length}`));

  for (const name of cases) {
    test(name, async (t) => {
      const dir = path.join(FIXTURES, name);
      const names = inputNames(dir);
      assert.ok(names.length > 0, "the case names at least one input");
      const expectedFile = path.join(dir, "expected.json");
      const actual = await run(dir, names);
      if (UPDATE) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      assert.ok(existsSync(expectedFile), `${expectedFile} exists (UPDATE_FIXTURES=1 writes it)`);
      const expected = JSON.parse(readFileSync(expectedFile, "utf8")) as Outcome;
      assert.deepEqual(actual, expected, "as committed");
      for (const style of ["lf", "crlf-bom"] as const) {
        assert.deepEqual(await run(rewrittenInputs(t, dir, names, style), names), expected, style);
      }
    });
  }
});
