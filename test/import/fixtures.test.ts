// Fixture tests: each folder of test/fixtures/import holds export file(s) and the pages (or the error) the import must give.
//
//   test/fixtures/import/<case>/input.md            one export, or input-1.md, input-2.md, ... (named in that order)
//   test/fixtures/import/<case>/files.json          optional: the file names to pass instead (e.g. a missing file)
//   test/fixtures/import/<case>/expected.json       { warnings, updated, pages } or { error: { message, file, line } }
//
// `UPDATE_FIXTURES=1 node --import tsx --test test/import/fixtures.test.ts` rewrites expected.json from
// what the code does now: read every change before committing it.
//
// Every case also runs with its inputs rewritten to LF without BOM and to CRLF with a BOM: both
// must give exactly the expected result. For error cases the previous content must be left as it was.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { importArchives } from "../../scripts/lib/import-archives.ts";
import { fixtureCases, inputNames, readPages, REPO_ROOT, rewrittenInputs, snapshot, tempDir, type Page } from "./helpers.ts";

const FIXTURES = path.join(REPO_ROOT, "test/fixtures/import");
const UPDATE = process.env.UPDATE_FIXTURES === "1";

type Outcome =
  | { warnings: string[]; updated: string[]; pages: Record<string, Page> }
  | { error: { message: string; file: string; line: number | null } };

/** Runs the import on `inputDir`'s files into a content dir that already holds an earlier import's page. */
async function runImport(t: { after: (fn: () => void) => void }, inputDir: string, names: string[]): Promise<Outcome> {
  const contentDir = path.join(tempDir(t), "content", "archive");
  mkdirSync(path.join(contentDir, "threads"), { recursive: true });
  writeFileSync(path.join(contentDir, "threads", "earlier-import.md"), "---\ntitle: Earlier import\n---\n");
  const before = snapshot(contentDir);
  const files = names.map((name) => path.join(inputDir, name));
  const relative = (file: string): string => path.relative(inputDir, path.resolve(file));
  try {
    const result = await importArchives(files, contentDir);
    const pages = readPages(contentDir);
    for (const page of Object.values(pages)) {
      const source = (page.frontMatter.source ?? (page.frontMatter.post as { source?: unknown } | undefined)?.source) as { file: string } | undefined;
      if (source !== undefined) source.file = relative(source.file);
    }
    return {
      warnings: result.warnings.map((w) => `${relative(w.source.file)}:${w.source.line}: ${w.message}`),
      updated: result.updated.map((u) => {
        const at = u.lastIndexOf(":");
        return `${relative(u.slice(0, at))}${u.slice(at)}`;
      }),
      pages,
    };
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    assert.deepEqual(snapshot(contentDir), before, "bad input leaves the previous content exactly as it was");
    const prefix = `${error.file}${error.line === undefined ? "" : `:${error.line}`}: `;
    assert.ok(error.message.startsWith(prefix), `the message names file and line: ${error.message}`);
    return { error: { message: error.message.slice(prefix.length), file: relative(error.file), line: error.line ?? null } };
  }
}

function compare(actual: Outcome, expected: Outcome, variant: string): void {
  if ("error" in expected && "error" in actual) {
    assert.ok(
      actual.error.message.includes(expected.error.message),
      `${variant}: error message ${JSON.stringify(actual.error.message)} includes ${JSON.stringify(expected.error.message)}`,
    );
    assert.equal(actual.error.file, expected.error.file, `${variant}: error names the file`);
    assert.equal(actual.error.line, expected.error.line, `${variant}: error names the line`);
    return;
  }
  assert.deepEqual(actual, expected, variant);
}

const cases = fixtureCases(FIXTURES);

describe("import fixtures", () => {
  test("there are fixture cases", () => assert.ok(cases.length >= 10, `found ${cases.length}`));

  for (const name of cases) {
    test(name, async (t) => {
      const dir = path.join(FIXTURES, name);
      const names = inputNames(dir);
      assert.ok(names.length > 0, "the case names at least one input");
      const expectedFile = path.join(dir, "expected.json");
      const actual = await runImport(t, dir, names);
      if (UPDATE) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      assert.ok(existsSync(expectedFile), `${expectedFile} exists (UPDATE_FIXTURES=1 writes it)`);
      const expected = JSON.parse(readFileSync(expectedFile, "utf8")) as Outcome;
      compare(actual, expected, "as committed");
      for (const style of ["lf", "crlf-bom"] as const) {
        compare(await runImport(t, rewrittenInputs(t, dir, names, style), names), expected, style);
      }
    });
  }
});
