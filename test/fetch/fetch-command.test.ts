// The fetch command end to end against a fake forum: killed mid-run, resumed through 429s, 5xx and a dropped
// connection, then run again later for an edit and a new comment. The output file must be whole JSON throughout.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { COMMENT_FIELDS } from "../../scripts/lib/fetch/queries.ts";
import { DELETED_POST_INDEX, type FakeComment, FakeForum, generateForum, OUTSIDE_AUTHOR_SLUG } from "./forum-server.ts";
import { FAST, runFetch, tempDir } from "./run-fetch.ts";
import { copyProject } from "../support/project-copy.ts";

const SLUG = "prolific";
const COUNT = 2_600;
const PAGE = 50;
const BURST = { at: 1_010, size: 75 };

interface SavedFile {
  data: { comments: { results: Record<string, unknown>[] } };
  errors?: { message: string; path: (string | number)[] }[];
  extensions: { commentarium: { format: string; user: { _id: string; slug: string }; outsideParents: Record<string, unknown>[]; fetch: { complete: boolean; pass: string; after: string | null } } };
}

/** The comment as the file should hold it: the fields asked for, the parent moved out, a failed pageUrl null. */
function expectedSaved(comment: FakeComment): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...comment, pageUrl: comment.pageUrl instanceof Error ? null : comment.pageUrl };
  delete fields.userId;
  delete fields.parentComment;
  return fields;
}

describe("npm run fetch against a fake forum", () => {
  let forum: FakeForum;
  let dir: string;
  let out: string;
  const invalidSnapshots: string[] = [];
  const args = (): string[] => ["--user", SLUG, "--forum", forum.url, "--out", out, "--page-size", String(PAGE), "--contact", "archivist@example.org", ...FAST];
  const readSaved = (): SavedFile => JSON.parse(readFileSync(out, "utf8")) as SavedFile;
  // Whenever the fetcher sends a request, the file it has saved so far must parse.
  const checkFile = (): void => {
    if (!existsSync(out)) return;
    const text = readFileSync(out, "utf8");
    try {
      JSON.parse(text);
    } catch {
      invalidSnapshots.push(text.slice(-200));
    }
  };

  let removeDir: () => void;
  before(async () => {
    forum = await FakeForum.start(generateForum({ slug: SLUG, count: COUNT, burst: BURST }));
    ({ dir, remove: removeDir } = tempDir());
    out = path.join(dir, "archives", `${SLUG}.json`);
    forum.onRequest = checkFile;
  });
  after(async () => {
    await forum.close();
    removeDir();
  });

  test("a run killed after some pages leaves a whole file that the next run completes, each comment once", async () => {
    const killed = await runFetch(dir, args(), (kill) => {
      const previous = forum.onRequest;
      forum.onRequest = (request) => {
        previous?.(request);
        if (forum.commentPagesServed === 8 && request.operation === "comments") kill();
      };
    });
    assert.equal(killed.signal, "SIGKILL", killed.stderr);
    const partial = readSaved();
    const partialIds = partial.data.comments.results.map((c) => c._id);
    assert.equal(new Set(partialIds).size, partialIds.length, "no comment twice");
    assert.ok(partialIds.length >= 7 * PAGE && partialIds.length < COUNT, `${partialIds.length} comments saved by 8 pages`);
    assert.equal(partial.extensions.commentarium.fetch.complete, false);

    // A second run, killed again mid-page (at some moment while it saves or waits), must not lose the first's pages.
    const killedAgain = await runFetch(dir, args(), (kill) => {
      const previous = forum.onRequest;
      const served = forum.commentPagesServed;
      forum.onRequest = (request) => {
        previous?.(request);
        if (forum.commentPagesServed === served + 12) void sleep(15).then(() => kill());
      };
    });
    assert.equal(killedAgain.signal, "SIGKILL", killedAgain.stderr);
    const stillPartial = readSaved().data.comments.results.map((c) => c._id);
    assert.ok(stillPartial.length > partialIds.length, "the second run added pages");
    assert.ok(partialIds.every((id) => stillPartial.includes(id)), "nothing the first run saved is lost");

    const savedAfter = readSaved().extensions.commentarium.fetch.after;
    assert.ok(savedAfter !== null);
    const pagesBefore = forum.commentPagesServed;
    const requestsBefore = forum.requests.length;
    forum.failCommentPages(pagesBefore + 2, { kind: "status", status: 429, retryAfter: "1" });
    forum.failCommentPages(pagesBefore + 5, { kind: "status", status: 503 }, { kind: "status", status: 502 }, { kind: "status", status: 503 });
    forum.failCommentPages(pagesBefore + 8, { kind: "drop" });
    forum.onRequest = checkFile;
    const resumed = await runFetch(dir, args());
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, /^fetch: 2,600 comments of prolific in .*prolific\.json \(continued an interrupted fetch: [\d,]+ new, 0 edited/);
    assert.match(resumed.stderr, /HTTP 429 Too Many Requests; retrying in 1\.0 s/);
    assert.match(resumed.stderr, /HTTP 503 Service Unavailable; retrying in/);
    assert.match(resumed.stderr, /connection to .* failed/);

    assert.equal(forum.requests.slice(requestsBefore).find((r) => r.operation === "comments")!.variables.after, savedAfter, "continued where the saved state says");
    const saved = readSaved();
    const own = forum.commentsOf(SLUG);
    const ids = saved.data.comments.results.map((c) => c._id);
    assert.equal(ids.length, COUNT);
    assert.deepEqual([...ids].sort(), own.map((c) => c._id).sort(), "every comment exactly once");
    const times = saved.data.comments.results.map((c) => Date.parse(c.postedAt as string));
    assert.ok(times.every((time, i) => i === 0 || time >= times[i - 1]!), "oldest first");
    const burstInstant = own[BURST.at + 1]!.postedAt;
    assert.equal(saved.data.comments.results.filter((c) => c.postedAt === burstInstant).length, BURST.size, "every comment of the one-instant burst");
    assert.ok(forum.commentRequests().some((r) => (r.variables.limit as number) > PAGE), "a page that was all one instant was asked for again, wider");

    // Every documented field is asked for and kept as the forum sent it.
    const byId = new Map(saved.data.comments.results.map((c) => [c._id, c]));
    for (const comment of own) assert.deepEqual(byId.get(comment._id), expectedSaved(comment), comment._id);
    const fieldNames = COMMENT_FIELDS.map((f) => f.split(" ")[0]!).filter((f) => f !== "parentComment");
    assert.deepEqual(Object.keys(saved.data.comments.results[0]!).sort(), fieldNames.sort());

    // A failed field's error is kept and still points at its comment.
    const deleted = own[DELETED_POST_INDEX]!;
    assert.deepEqual(saved.errors, [{ message: "The post of this comment is gone", path: ["comments", "results", ids.indexOf(deleted._id), "pageUrl"] }]);

    // Replies to someone else keep their parent's context beside the comments; replies to the user's own comments do not.
    const outsideParentIds = new Set(own.filter((c) => (c.parentComment as FakeComment | null)?.userId === forum.user(OUTSIDE_AUTHOR_SLUG)._id).map((c) => c.parentCommentId));
    assert.ok(outsideParentIds.size > 5);
    const parents = saved.extensions.commentarium.outsideParents;
    assert.deepEqual(new Set(parents.map((p) => p._id)), outsideParentIds);
    for (const parent of parents) {
      assert.equal((parent.user as { slug: string }).slug, OUTSIDE_AUTHOR_SLUG);
      assert.match(parent.excerpt as string, /^Outside comment \d+, which someone replied to\. .*…$/);
      assert.ok((parent.excerpt as string).length <= 281);
      assert.match(parent.pageUrl as string, new RegExp(`\\?commentId=${parent._id as string}$`));
    }
    assert.equal(saved.extensions.commentarium.fetch.complete, true);

    // Politeness: the 429's Retry-After was waited out; 5xx bursts and a dropped connection were retried; all requests named us.
    const requests = forum.requests.slice(requestsBefore);
    const tooMany = requests.findIndex((r) => r.outcome === "status 429");
    assert.ok(tooMany >= 0 && requests[tooMany + 1] !== undefined);
    assert.ok(requests[tooMany + 1]!.at - requests[tooMany]!.at >= 1_000, `Retry-After: 1 honoured (${requests[tooMany + 1]!.at - requests[tooMany]!.at} ms)`);
    assert.deepEqual(
      requests.filter((r) => r.operation === "comments").map((r) => r.outcome).filter((o, i, all) => o !== "ok" || all[i - 1] !== "ok"),
      ["ok", "status 429", "ok", "status 503", "status 502", "status 503", "ok", "drop", "ok"],
    );
    for (const request of forum.requests) assert.match(request.headers["user-agent"] ?? "", /^Commentarium\/0\.1\.0 \(.*; contact: archivist@example\.org\)$/);
    assert.deepEqual(invalidSnapshots, [], "the file parsed at every request");
  });

  test("run again later, it fetches in full only the new and the edited comments, and takes new scores from the check", async () => {
    // The file's validity at every request was checked through the kills and faults above; here it costs too much time.
    forum.onRequest = undefined;
    const own = forum.commentsOf(SLUG);
    const edited = own[40]!;
    forum.edit(edited._id, "Edited: second thoughts.", new Date("2030-01-01T00:00:00.000Z"));
    own[100]!.baseScore = 999;
    own[100]!.voteCount = 77;
    forum.post(SLUG, "newcomment0000001", new Date("2030-01-02T00:00:00.000Z"), "A new comment.");
    const requestsBefore = forum.requests.length;
    const later = await runFetch(dir, args());
    assert.equal(later.status, 0, later.stderr);
    assert.match(later.stdout, /^fetch: 2,601 comments of prolific in .* \(checked every comment for edits: 1 new, 1 edited, 6 pages, 7 requests\)\n$/);
    assert.match(later.stderr, /^fetch: 1,000 of ~2,601 comments checked for edits, 1 page, 38%/m);

    // The check asks for edit dates and counters in big pages; whole comments are asked for only around the changed two.
    const pages = forum.requests.slice(requestsBefore).filter((r) => r.operation === "comments");
    const [checks, whole] = [pages.filter((r) => !r.query.includes("contents")), pages.filter((r) => r.query.includes("contents"))];
    assert.deepEqual(checks.map((r) => r.variables.limit), [1000, 1000, 1000, 1000], "the last page, with only the newest instant, ends the check");
    assert.ok(checks.every((r) => !/\b(markdown|html|htmlBody|post|parentComment)\b/.test(r.query)), "no bodies in the check");
    assert.deepEqual(whole.map((r) => [r.variables.after, r.variables.limit]), [[edited.postedAt, 1], ["2030-01-02T00:00:00.000Z", 1]]);

    // The file is now what the forum holds, field for field.
    const saved = readSaved();
    assert.equal(saved.extensions.commentarium.fetch.complete, true);
    assert.equal(saved.extensions.commentarium.fetch.pass, "update");
    const byId = new Map(saved.data.comments.results.map((c) => [c._id, c]));
    assert.equal(byId.size, COUNT + 1);
    for (const comment of forum.commentsOf(SLUG)) assert.deepEqual(byId.get(comment._id), expectedSaved(comment), comment._id);
    assert.equal((byId.get(edited._id)!.contents as { markdown: string }).markdown, "Edited: second thoughts.");
    assert.equal(byId.get(own[100]!._id)!.baseScore, 999);
    assert.equal(saved.data.comments.results.at(-1)!._id, "newcomment0000001");
  });

  test("a later run killed while fetching edits is continued by the next, which asks only for what still differs", async () => {
    const own = forum.commentsOf(SLUG);
    const editedIds = own.filter((_, i) => i % 100 === 17).map((c) => c._id);
    for (const id of editedIds) forum.edit(id, `Edited ${id}.`, new Date("2030-03-01T00:00:00.000Z"));
    const wholePages = (): number => forum.commentRequests().filter((r) => r.query.includes("contents")).length;
    const wholeBefore = wholePages();
    const killed = await runFetch(dir, args(), (kill) => {
      forum.onRequest = () => {
        if (wholePages() - wholeBefore === 11) kill();
      };
    });
    forum.onRequest = undefined;
    assert.equal(killed.signal, "SIGKILL", killed.stderr);
    let saved = readSaved();
    assert.equal(saved.extensions.commentarium.fetch.complete, false);
    const editedSaved = (): number => readSaved().data.comments.results.filter((c) => editedIds.includes(c._id as string) && c.lastEditedAt === "2030-03-01T00:00:00.000Z").length;
    assert.equal(editedSaved(), 10, "the ten pages fetched before the kill are saved");

    const wholeBeforeRerun = wholePages();
    const rerun = await runFetch(dir, args());
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stdout, new RegExp(`\\(checked every comment for edits: 0 new, ${editedIds.length - 10} edited, `));
    assert.equal(wholePages() - wholeBeforeRerun, editedIds.length - 10, "only the edits the killed run did not save");
    assert.equal(editedSaved(), editedIds.length);
    saved = readSaved();
    const byId = new Map(saved.data.comments.results.map((c) => [c._id, c]));
    assert.equal(byId.size, saved.data.comments.results.length);
    for (const comment of forum.commentsOf(SLUG)) assert.deepEqual(byId.get(comment._id), expectedSaved(comment), comment._id);
  });

  test("--new-only fetches only what was posted since the newest saved comment; --full reads every comment again", async () => {
    const own = forum.commentsOf(SLUG);
    forum.edit(own[41]!._id, "An edit --new-only does not see.", new Date("2030-04-01T00:00:00.000Z"));
    forum.post(SLUG, "newcomment0000002", new Date("2030-04-02T00:00:00.000Z"), "Another new comment.");
    const pagesBefore = forum.commentPagesServed;
    const newOnly = await runFetch(dir, [...args(), "--new-only"]);
    assert.equal(newOnly.status, 0, newOnly.stderr);
    assert.match(newOnly.stdout, /^fetch: 2,602 comments .* \(fetched new comments: 1 new, 0 edited, 2 pages,/);
    assert.equal(forum.commentPagesServed - pagesBefore, 2, "from the newest saved comment on: it and the new one, then an empty step");
    let saved = readSaved();
    assert.equal(saved.data.comments.results.at(-1)!._id, "newcomment0000002");
    assert.notEqual(saved.data.comments.results.find((c) => c._id === own[41]!._id)!.lastEditedAt, "2030-04-01T00:00:00.000Z");

    const full = await runFetch(dir, [...args(), "--full", "--page-size", "500"]);
    assert.equal(full.status, 0, full.stderr);
    assert.match(full.stdout, /^fetch: 2,602 comments .* \(read all comments again: 0 new, 1 edited, \d+ pages,/);
    saved = readSaved();
    assert.equal(saved.data.comments.results.find((c) => c._id === own[41]!._id)!.lastEditedAt, "2030-04-01T00:00:00.000Z");
    assert.equal(saved.data.comments.results.length, new Set(saved.data.comments.results.map((c) => c._id)).size);
  });

  test("the saved file builds a site with every comment on it", { timeout: 300_000 }, async () => {
    const project = await copyProject();
    try {
      copyFileSync(out, path.join(project.dir, "archives", `${SLUG}.json`));
      const built = await project.run("build", ["--archive", `archives/${SLUG}.json`]);
      assert.equal(built.code, 0, built.stdout + built.stderr);
      const listed = JSON.parse(readFileSync(path.join(project.dir, "dist/comments.json"), "utf8")) as { id: string; url: string; author: { username: string }; date: string }[];
      const own = forum.commentsOf(SLUG);
      assert.deepEqual(listed.map((c) => c.date).sort(), own.map((c) => new Date(c.postedAt).toISOString()).sort(), "every comment once, by its instant");
      assert.ok(listed.every((c) => c.author.username === SLUG), "all by the fetched user");
      // A comment's page shows its text.
      const newest = own.find((c) => c._id === "newcomment0000002");
      assert.ok(newest !== undefined);
      const page = listed.find((c) => c.date === new Date(newest.postedAt).toISOString());
      assert.ok(page !== undefined);
      assert.match(readFileSync(path.join(project.dir, "dist", page.url, "index.html"), "utf8"), /Another new comment\./);
    } finally {
      await project.remove();
    }
  });
});
