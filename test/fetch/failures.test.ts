// How the fetch command fails: clearly, once, and without harming what earlier runs saved; and how it paces itself.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { KILL_AT_SAVE_VARIABLE } from "../../scripts/lib/fetch/fetched-file.ts";
import { FakeForum, type Fault, generateForum } from "./forum-server.ts";
import { FAST, runFetch, tempDir } from "./run-fetch.ts";

const SLUG = "small";
const COUNT = 120;

describe("npm run fetch when things go wrong", () => {
  let forum: FakeForum;
  let dir: string;
  let removeDir: () => void;
  let runs = 0;
  const ids = (file: string): string[] => (JSON.parse(readFileSync(file, "utf8")) as { data: { comments: { results: { _id: string }[] } } }).data.comments.results.map((c) => c._id);
  /** A fresh output file per test, so that each starts from nothing. */
  const freshOut = (): string => path.join(dir, `run-${++runs}`, `${SLUG}.json`);
  const args = (out: string, ...more: string[]): string[] => ["--user", SLUG, "--forum", forum.url, "--out", out, "--page-size", "50", ...FAST, ...more];

  before(async () => {
    forum = await FakeForum.start(generateForum({ slug: SLUG, count: COUNT, seed: 7 }));
    ({ dir, remove: removeDir } = tempDir());
  });
  after(async () => {
    await forum.close();
    removeDir();
  });

  test("an unknown user is an error that names the slug, after both documented lookups, and writes nothing", async () => {
    const out = freshOut();
    const before = forum.requests.length;
    const run = await runFetch(dir, ["--user", "nobody-here", "--forum", forum.url, "--out", out, ...FAST]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^error: no user with the slug "nobody-here" on http:\/\/127\.0\.0\.1:\d+\/graphql/m);
    assert.match(run.stderr, /caused by: .*app\.missing_document/);
    const lookups = forum.requests.slice(before);
    assert.deepEqual(lookups.map((r) => r.operation), ["user", "user"]);
    assert.match(lookups[0]!.query, /user\(input: \{selector: \{slug: \$slug\}\}\)/);
    assert.match(lookups[1]!.query, /GetUserBySlug/);
    assert.equal(existsSync(path.dirname(out)) ? readdirSync(path.dirname(out)).length : 0, 0, "no file, no lock left");
  });

  test("a 403, a malformed body or an unexpected shape is an error at once, not retried; the next run completes what the failed ones saved", async () => {
    const out = freshOut();
    const attempts: [string, number, Fault, RegExp][] = [
      ["HTTP 403", 0, { kind: "status", status: 403, body: '{"errors":[{"message":"Forbidden for robots"}]}' }, /^error: fetching 50 comments of "small" posted from the first: the forum answered HTTP 403 Forbidden: Forbidden for robots$/m],
      ["a malformed body", 1, { kind: "malformed" }, /^error: fetching 50 comments of "small" posted at or after .*: the forum's response is not JSON \(\d+ bytes starting "\{\\"data\\"/m],
      ["an unexpected shape", 1, { kind: "wrong-shape" }, /^error: fetching 50 comments of "small" posted at or after .*: the forum's response has no data\.comments\.results list/m],
    ];
    let saved = 0;
    for (const [what, pagesFirst, fault, message] of attempts) {
      forum.failCommentPages(forum.commentPagesServed + pagesFirst, fault);
      const requestsBefore = forum.commentRequests().length;
      const failed = await runFetch(dir, args(out));
      assert.equal(failed.status, 1, `${what}: ${failed.stderr}`);
      assert.match(failed.stderr, message, what);
      assert.equal(forum.commentRequests().length - requestsBefore, pagesFirst + 1, `${what}: not retried`);
      assert.ok(!existsSync(`${out}.lock`), `${what}: the lock is released`);
      if (pagesFirst === 0) continue;
      const kept = ids(out);
      assert.ok(kept.length > saved, `${what}: the page saved before the failure is kept`);
      saved = kept.length;
    }
    const again = await runFetch(dir, args(out));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /continued an interrupted fetch/);
    const all = ids(out);
    assert.equal(all.length, COUNT);
    assert.equal(new Set(all).size, COUNT);
  });

  test("it pauses --delay between requests, shows progress with an estimate, and --quiet prints nothing", async () => {
    const before = forum.requests.length;
    const out = freshOut();
    const paced = await runFetch(dir, args(out, "--delay", "0.3", "--contact", "https://example.org/me"));
    assert.equal(paced.status, 0, paced.stderr);
    const times = forum.requests.slice(before).map((r) => r.at);
    assert.ok(times.length >= 4);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 295, `request ${i} came ${times[i]! - times[i - 1]!} ms after the one before`);
    assert.match(forum.requests.at(-1)!.headers["user-agent"] ?? "", /^Commentarium\/0\.1\.0 \(forum comment archiver; contact: https:\/\/example\.org\/me\)$/);
    assert.match(paced.stderr, /^fetch: 50 of ~120 comments, 1 page, 41%/m);
    assert.match(paced.stdout, /^fetch: 120 comments of small in .* \(read all comments: 120 new, 0 edited, 4 pages, 5 requests\)\n$/);

    const quiet = await runFetch(dir, args(freshOut(), "--quiet"));
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.equal(quiet.stdout + quiet.stderr, "");

    // Run again, it checks every comment for edits and says so in its progress.
    const again = await runFetch(dir, args(out));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /^fetch: 120 of ~120 comments checked for edits, 1 page, 100%$/m);
    assert.match(again.stdout, /\(checked every comment for edits: 0 new, 0 edited, 2 pages, 3 requests\)/);
  });


  test("a forum without the comment count still answers the lookup, and progress goes without the estimate", async () => {
    forum.knowsCommentCount = false;
    try {
      const before = forum.requests.length;
      const run = await runFetch(dir, args(freshOut()));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(forum.requests.slice(before, before + 3).map((r) => r.operation), ["user", "user", "comments"]);
      assert.match(run.stderr, /^fetch: 50 comments, 1 page$/m);
    } finally {
      forum.knowsCommentCount = true;
    }
  });

  test("a file that this command did not write, or for another user, is left alone", async () => {
    const out = freshOut();
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, '[{"_id": "abc"}]\n');
    const refused = await runFetch(dir, args(out));
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^error: .*small\.json was not written by this command/m);
    assert.equal(readFileSync(out, "utf8"), '[{"_id": "abc"}]\n');

    const mine = path.join(dir, "mine.json");
    const fetched = await runFetch(dir, args(mine, "--quiet"));
    assert.equal(fetched.status, 0, fetched.stderr);
    const saved = readFileSync(mine, "utf8");
    const wrongUser = await runFetch(dir, ["--user", "outside-author", "--forum", forum.url, "--out", mine, ...FAST]);
    assert.equal(wrongUser.status, 1);
    assert.match(wrongUser.stderr, /^error: .*mine\.json holds the comments of "small" \(id \w+\), not of "outside-author"/m);
    assert.equal(readFileSync(mine, "utf8"), saved);
  });

  test("killed half-way through writing a page's file, the file stays the one the page before saved, and the next run completes", async () => {
    const out = freshOut();
    const killed = await runFetch(dir, args(out), undefined, { [KILL_AT_SAVE_VARIABLE]: "2" });
    assert.notEqual(killed.status, 0, killed.stderr);
    assert.equal(ids(out).length, 50, "the first page, whole");
    const partial = readFileSync(`${out}.tmp`, "utf8");
    assert.ok(partial.length > 1_000);
    assert.throws(() => JSON.parse(partial), SyntaxError, "the kill came while the second page's file was half written");
    assert.ok(existsSync(`${out}.lock`), "the killed run's lock is left behind");

    const next = await runFetch(dir, args(out));
    assert.equal(next.status, 0, next.stderr);
    assert.match(next.stdout, /continued an interrupted fetch: 70 new/);
    const all = ids(out);
    assert.equal(all.length, COUNT);
    assert.equal(new Set(all).size, COUNT);
    assert.deepEqual(readdirSync(path.dirname(out)), [`${SLUG}.json`], "no temp file or lock left");
  });

  test("Ctrl-C stops it with a message, releases the lock and keeps the pages saved; the next run continues", async () => {
    const out = freshOut();
    const served = forum.commentPagesServed;
    const stopped = await runFetch(dir, args(out), (kill) => {
      forum.onRequest = (request) => {
        if (request.operation === "comments" && forum.commentPagesServed === served + 2) kill("SIGINT");
      };
    });
    forum.onRequest = undefined;
    assert.equal(stopped.status, 130, stopped.stderr);
    assert.match(stopped.stderr, /^fetch: stopped by SIGINT; what was fetched is saved in .*small\.json: run the same command again to continue$/m);
    assert.ok(!existsSync(`${out}.lock`));
    assert.ok(ids(out).length >= 50);
    const next = await runFetch(dir, args(out));
    assert.equal(next.status, 0, next.stderr);
    assert.match(next.stdout, /continued an interrupted fetch/);
    assert.equal(new Set(ids(out)).size, COUNT);
  });

  test("a second fetch into the same file while one runs is refused, and touches nothing", async () => {
    const out = freshOut();
    mkdirSync(path.dirname(out), { recursive: true });
    // This test's own process stands in for a fetch that is running.
    writeFileSync(`${out}.lock`, `${process.pid}\n`);
    const before = forum.requests.length;
    const refused = await runFetch(dir, args(out));
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`^error: another fetch \\(process ${process.pid}\\) is writing .*small\\.json; wait for it to finish`, "m"));
    assert.equal(forum.requests.length, before, "no request sent");
    assert.deepEqual(readdirSync(path.dirname(out)), [`${SLUG}.json.lock`]);
  });

  test("a missing --user is an error that shows the usage", async () => {
    const run = await runFetch(dir, ["--forum", forum.url]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^error: --user is required/m);
    assert.match(run.stderr, /^usage: npm run fetch -- --user SLUG/m);
  });
});
