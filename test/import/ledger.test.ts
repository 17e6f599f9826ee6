// Reading the URL ledger the import starts from: as written, as edited by hand, and damaged.
import assert from "node:assert/strict";
import { linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { formatLedger, LedgerError, readLedger, siteUrlProblem, writeLedger, type LedgerEntry } from "../../scripts/lib/ledger/ledger.ts";
import { tempDir } from "./helpers.ts";

const ENTRIES: readonly LedgerEntry[] = [
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

describe("readLedger refuses a ledger that would lose URLs", () => {
  const restore = /git checkout -- .*urls\.json.*git log -p -- .*urls\.json/;
  const refuses = (pattern: RegExp) => (error: unknown) => error instanceof LedgerError && pattern.test(error.message) && restore.test(error.message);

  test("empty, blank, or cut short at a line boundary or mid-line", async (t) => {
    const file = path.join(tempDir(t), "urls.json");
    const text = formatLedger(ENTRIES);
    for (const damaged of ["", "\n  \n"]) {
      writeFileSync(file, damaged);
      await assert.rejects(readLedger(file), refuses(/urls\.json: the URL ledger is empty/));
    }
    writeFileSync(file, text.split("\n").slice(0, 3).join("\n") + "\n");
    await assert.rejects(readLedger(file), refuses(/urls\.json:3: damaged URL ledger: it ends without the closing \]/));
    writeFileSync(file, text.slice(0, text.indexOf('"kind":"thread"')));
    await assert.rejects(readLedger(file), refuses(/urls\.json:4: damaged URL ledger/));
    writeFileSync(file, "[\n");
    await assert.rejects(readLedger(file), refuses(/urls\.json:1: .*closing \]/));
  });

  test("an empty JSON array is an empty ledger", async (t) => {
    const file = path.join(tempDir(t), "urls.json");
    writeFileSync(file, "[]\n");
    assert.deepEqual(await readLedger(file), []);
  });

  test("the same URL twice, or a field no entry has", async (t) => {
    const file = path.join(tempDir(t), "urls.json");
    const [a, b] = ENTRIES.map((e) => JSON.stringify(e));
    writeFileSync(file, `[\n${a},\n${b},\n${a}\n]\n`);
    await assert.rejects(readLedger(file), (error: unknown) => error instanceof LedgerError && /urls\.json:4: .*\/authors\/alice\/ is already the entry of line 2/.test(error.message));
    writeFileSync(file, formatLedger([{ ...ENTRIES[0], href: "/x/" } as unknown as LedgerEntry]));
    await assert.rejects(readLedger(file), (error: unknown) => error instanceof LedgerError && /urls\.json:2: .*no field "href"/.test(error.message));
    for (const field of ["constructor", "__proto__", "toString"]) {
      writeFileSync(file, `[\n${JSON.stringify(ENTRIES[0]).replace("{", `{"${field}":"x",`)}\n]\n`);
      await assert.rejects(readLedger(file), (error: unknown) => error instanceof LedgerError && new RegExp(`urls\\.json:2: .*no field "${field}"`).test(error.message));
    }
    writeFileSync(file, formatLedger([{ url: "/authors/alice/", kind: "author" } as unknown as LedgerEntry]));
    await assert.rejects(readLedger(file), (error: unknown) => error instanceof LedgerError && /urls\.json:2: .*an author entry needs author, authorName/.test(error.message));
  });

  test("fewer entries than the last write recorded, until the record is deleted", async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, "urls.json");
    const record = path.join(dir, ".cache/ledger-record.json");
    writeFileSync(file, formatLedger(ENTRIES.slice(0, 1)));
    assert.equal(await writeLedger(file, ENTRIES, { record }), true);
    assert.deepEqual(await readLedger(file, { record }), ENTRIES);
    writeFileSync(file, formatLedger(ENTRIES.slice(1)));
    await assert.rejects(readLedger(file, { record }), refuses(/urls\.json: the URL ledger holds 2 entries, but the last build wrote 3 .*delete .*ledger-record\.json/));
    rmSync(file);
    await assert.rejects(readLedger(file, { record }), refuses(/holds 0 entries, but the last build wrote 3/));
    // More entries (added by hand) are fine; an unreadable record is no record.
    writeFileSync(file, formatLedger([...ENTRIES, { url: "/authors/bob/", kind: "author", author: "bob", authorName: "Bob" }]));
    assert.equal((await readLedger(file, { record })).length, 4);
    writeFileSync(file, formatLedger(ENTRIES.slice(1)));
    writeFileSync(record, "{");
    assert.equal((await readLedger(file, { record })).length, 2);
    rmSync(record);
    assert.equal((await readLedger(file, { record })).length, 2);
  });

  test("the ledger the last write replaced, as a failed build puts it back, is no loss", async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, "urls.json");
    const record = path.join(dir, "ledger-record.json");
    await writeLedger(file, ENTRIES.slice(0, 2), { record });
    await writeLedger(file, ENTRIES, { record });
    writeFileSync(file, formatLedger(ENTRIES.slice(0, 2)));
    assert.equal((await readLedger(file, { record })).length, 2);
    writeFileSync(file, formatLedger(ENTRIES.slice(1)));
    await assert.rejects(readLedger(file, { record }), /holds 2 entries, but the last build wrote 3/);
    // The first write replaced no file: its rollback deletes the ledger.
    rmSync(record);
    rmSync(file);
    await writeLedger(file, ENTRIES, { record });
    rmSync(file);
    assert.deepEqual(await readLedger(file, { record }), []);
    // A ledger no write of this record changed (a fresh clone's first build) names itself.
    rmSync(record);
    writeFileSync(file, formatLedger(ENTRIES));
    assert.equal(await writeLedger(file, ENTRIES, { record }), false);
    writeFileSync(file, formatLedger(ENTRIES.slice(1)));
    await assert.rejects(readLedger(file, { record }), /holds 2 entries, but the last build wrote 3/);
  });
});

describe("every URL a ledger entry holds is one of the site's own", () => {
  const comment = ENTRIES[1] as LedgerEntry & { kind: "comment" };
  const bad = ["javascript:alert(1)", "JavaScript:alert(1)", "https://example.com/", "//example.com/authors/x/", "/authors/../x/", "/authors/./", "/authors/a\\b/", "/authors/a\u0000/", "/authors/a\n/", "/authors/A/", "authors/alice/", "/authors/alice", "/threads/t/", "/authors/a%2f/"];

  test("siteUrlProblem accepts the shapes the site makes and nothing else", () => {
    assert.equal(siteUrlProblem("/comments/alice/20210101-000000-000/", "comment"), undefined);
    assert.equal(siteUrlProblem("/comments/user-abc123/20210101-000000-000-0a1b2c3d/", "comment"), undefined);
    assert.equal(siteUrlProblem("/threads/thread-0a1b2c/", "thread"), undefined);
    assert.equal(siteUrlProblem("/authors/under_score/", "author"), undefined);
    for (const url of bad) assert.notEqual(siteUrlProblem(url, "author"), undefined, url);
    assert.match(siteUrlProblem("javascript:alert(1)", "author") ?? "", /not a site-relative path/);
    assert.match(siteUrlProblem("/authors/a\u0000/", "author") ?? "", /control character/);
    assert.match(siteUrlProblem("/authors/../x/", "author") ?? "", /\.\. segment/);
  });

  for (const field of ["url", "authorUrl", "threadUrl", "movedTo"] as const) {
    test(`${field}: a LedgerError naming the line`, async (t) => {
      const file = path.join(tempDir(t), "urls.json");
      writeFileSync(file, formatLedger([ENTRIES[0] as LedgerEntry, { ...comment, [field]: "javascript:alert(1)" }]));
      await assert.rejects(readLedger(file), (error: unknown) => error instanceof LedgerError && new RegExp(`urls\\.json:3: damaged URL ledger entry: ${field} "javascript:alert\\(1\\)"`).test(error.message));
    });
  }
});

describe("writeLedger", () => {
  test("replaces the file whole, through a file beside it, and leaves nothing else there", async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, "urls.json");
    const record = path.join(dir, "state/record.json");
    writeFileSync(file, formatLedger(ENTRIES.slice(0, 1)));
    // A plain write changes the file's bytes in place, which a reader holding it (a second link here) sees half-done.
    linkSync(file, path.join(dir, "before.json"));
    await writeLedger(file, ENTRIES, { record });
    assert.equal(readFileSync(path.join(dir, "before.json"), "utf8"), formatLedger(ENTRIES.slice(0, 1)));
    assert.equal(readFileSync(file, "utf8"), formatLedger(ENTRIES));
    assert.deepEqual(readdirSync(dir).sort(), ["before.json", "state", "urls.json"]);
    assert.equal(await writeLedger(file, formatLedger(ENTRIES), { record }), false, "unchanged");
    const recorded = JSON.parse(readFileSync(record, "utf8")) as { ledgers: Record<string, { entries: number }> };
    assert.equal(recorded.ledgers[path.resolve(file)]?.entries, 3);
  });
});
