// Reading the URL ledger the import starts from: as written, as edited by hand, and damaged.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { formatLedger, LedgerError, readLedger, type LedgerEntry } from "../../scripts/lib/ledger/ledger.ts";
import { tempDir } from "./helpers.ts";

const ENTRIES: LedgerEntry[] = [
  { url: "/authors/alice/", kind: "author", author: "alice", authorName: "Alice" },
  { url: "/comments/alice/20210101-000000-000/", kind: "comment", author: "alice", postedAt: "2021-01-01T00:00:00.000Z", authorName: "Alice", authorUrl: "/authors/alice/", thread: "T, \"quoted\"", threadUrl: "/threads/t-quoted/" },
  { url: "/threads/t-quoted/", kind: "thread", title: "T, \"quoted\"" },
];

describe("readLedger", () => {
  test("reads back what formatLedger wrote, and a missing file as no entries", async (t) => {
    const file = path.join(tempDir(t), "urls.json");
    assert.deepEqual(await readLedger(file), []);
    writeFileSync(file, formatLedger(ENTRIES));
    assert.deepEqual(await readLedger(file), ENTRIES);
    writeFileSync(file, formatLedger([]));
    assert.deepEqual(await readLedger(file), []);
  });

  test("reads a ledger edited by hand line by line: blank lines, spaces, a missing or extra comma", async (t) => {
    const file = path.join(tempDir(t), "urls.json");
    const [a, b, c] = ENTRIES.map((e) => JSON.stringify(e));
    writeFileSync(file, `[\n\n  ${a},\n${b}\n${c},\n]\n`);
    assert.deepEqual(await readLedger(file), ENTRIES);
  });

  test("names the line of a damaged entry, even when the file is otherwise valid JSON", async (t) => {
    const file = path.join(tempDir(t), "urls.json");
    const damaged = formatLedger(ENTRIES).replace('"kind":"thread"', '"kind":"thread-typo"');
    writeFileSync(file, damaged);
    await assert.rejects(readLedger(file), (error: unknown) => error instanceof LedgerError && /urls\.json:4: damaged URL ledger entry/.test(error.message));
    writeFileSync(file, formatLedger(ENTRIES).replace("[\n", "[\n{not json},\n"));
    await assert.rejects(readLedger(file), (error: unknown) => error instanceof LedgerError && /urls\.json:2: /.test(error.message));
  });
});
