// The progress line: what it says in each phase, the time left it extrapolates, and how it is written to a terminal or a log.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type FetchProgress, progressLine, terminalProgress } from "../../scripts/lib/fetch/progress.ts";

/** A stream that records what is written, as a terminal (`isTTY`) or as a log file. */
function recorder(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, text: "", write: (chunk: string) => ((stream.text += chunk), true) };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

const read = (position: number, pages: number, more: Partial<FetchProgress> = {}): FetchProgress => ({ phase: "read", position, total: 2_600, pages, changes: undefined, ...more });

describe("fetch progress", () => {
  test("each phase's line, with the share done and the time left at the rate since the phase's first page", () => {
    assert.equal(progressLine(read(100, 1), 100, 0), "fetch: 100 of ~2,600 comments, 1 page, 3%");
    assert.equal(progressLine(read(1_100, 11), 100, 10_000), "fetch: 1,100 of ~2,600 comments, 11 pages, 42%, about 15 s left");
    assert.equal(progressLine(read(1_100, 11), 100, 600_000), "fetch: 1,100 of ~2,600 comments, 11 pages, 42%, about 15 min left");
    assert.equal(progressLine(read(1_100, 11), 100, 6_000_000), "fetch: 1,100 of ~2,600 comments, 11 pages, 42%, about 2 h 30 min left");
    assert.equal(progressLine(read(50, 1, { total: undefined }), 50, 0), "fetch: 50 comments, 1 page");
    assert.equal(progressLine(read(2_700, 30), 100, 1_000), "fetch: 2,700 of ~2,700 comments, 30 pages, 100%", "more than the forum counted");
    assert.equal(progressLine(read(300, 3, { changes: { added: 2, edited: 1 } }), 100, 100), "fetch: 300 of ~2,600 comments, 3 pages (2 new, 1 edited), 11%, about 2 s left");
    assert.equal(progressLine({ phase: "check", position: 1_000, total: 2_600, pages: 1, changes: undefined }, 1_000, 0), "fetch: 1,000 of ~2,600 comments checked for edits, 1 page, 38%");
    assert.equal(
      progressLine({ phase: "changed", position: 3, total: 4, pages: 6, changes: { added: 1, edited: 2 } }, 1, 2_000),
      "fetch: 3 of 4 new or edited comments fetched, 6 pages (1 new, 2 edited), 75%, about 1 s left",
    );
  });

  test("on a terminal the line is rewritten and a new phase starts a new line; a retry is a line of its own", () => {
    const stream = recorder(true);
    const progress = terminalProgress(stream);
    progress.page(read(100, 1));
    progress.page(read(200, 2));
    progress.page({ phase: "check", position: 1_000, total: 2_600, pages: 3, changes: undefined });
    progress.retry({ attempt: 1, waitMs: 2_000, reason: "HTTP 503 Service Unavailable" });
    progress.page({ phase: "changed", position: 1, total: 1, pages: 4, changes: { added: 1, edited: 0 } });
    progress.finish();
    progress.finish();
    // The second page's estimate depends on how fast the test ran, so only its form is checked.
    const line = (text: string): string => `\r\x1b\\[2K${text.replace(/[().~]/g, "\\$&")}`;
    assert.match(
      stream.text,
      new RegExp(
        `^${line("fetch: 100 of ~2,600 comments, 1 page, 3%")}${line("fetch: 200 of ~2,600 comments, 2 pages, 7%")}(, about [^\n]+ left)?\n` +
          `${line("fetch: 1,000 of ~2,600 comments checked for edits, 3 pages, 38%")}\n` +
          `fetch: HTTP 503 Service Unavailable; retrying in 2\\.0 s \\(retry 1\\)\n` +
          `${line("fetch: 1 of 1 new or edited comments fetched, 4 pages (1 new, 0 edited), 100%")}\n$`,
      ),
    );
  });

  test("in a log, one line at most every few seconds, and the first of each phase", () => {
    const stream = recorder(false);
    const progress = terminalProgress(stream, 60_000);
    progress.page(read(100, 1));
    progress.page(read(200, 2));
    progress.page({ phase: "check", position: 1_000, total: 2_600, pages: 3, changes: undefined });
    progress.page({ phase: "check", position: 2_000, total: 2_600, pages: 4, changes: undefined });
    progress.finish();
    assert.equal(stream.text, "fetch: 100 of ~2,600 comments, 1 page, 3%\nfetch: 1,000 of ~2,600 comments checked for edits, 3 pages, 38%\n");
  });
});
