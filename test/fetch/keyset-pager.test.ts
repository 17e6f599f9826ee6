// Keyset paging against a simulated forum with the documented semantics: `after` inclusive, ties in any order.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { ForumComment } from "../../scripts/lib/fetch/comment-shape.ts";
import { changeWindows } from "../../scripts/lib/fetch/fetch-user-comments.ts";
import { KeysetPager } from "../../scripts/lib/fetch/keyset-pager.ts";
import { randomSource } from "./forum-server.ts";

/** The page the forum answers: comments at or after `after`, oldest first, ties in an order of `random`'s choosing. */
function forumPage(comments: readonly ForumComment[], after: string | null, limit: number, random: () => number): ForumComment[] {
  return comments
    .filter((c) => after === null || Date.parse(c.postedAt) >= Date.parse(after))
    .map((c) => ({ c, tie: random() }))
    .sort((a, b) => Date.parse(a.c.postedAt) - Date.parse(b.c.postedAt) || a.tie - b.tie)
    .slice(0, limit)
    .map(({ c }) => c);
}

/** Pages through `comments` as the fetcher does, answering each request as the forum would. */
function pageThrough(comments: readonly ForumComment[], pageSize: number, maxPageSize: number, seed: number, start: string | null = null): { ids: string[]; requests: number } {
  const random = randomSource(seed);
  const pager = new KeysetPager(start, pageSize, maxPageSize);
  const ids: string[] = [];
  for (let requests = 1; requests < 10_000; requests++) {
    const { after, limit } = pager.request;
    const { fresh, done } = pager.take(forumPage(comments, after, limit, random));
    ids.push(...fresh.map((c) => c._id));
    if (done) return { ids, requests };
  }
  throw new Error("paging did not end");
}

const commentsAt = (instants: readonly number[]): ForumComment[] => instants.map((t, i) => ({ _id: `c${i}`, postedAt: new Date(Date.UTC(2020, 0, 1) + t).toISOString() }));

describe("keyset paging", () => {
  test("every comment exactly once, whatever the ties, page size and tie order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (instants, pageSize, seed) => {
        const comments = commentsAt(instants);
        const { ids } = pageThrough(comments, pageSize, 1_000, seed);
        assert.deepEqual([...ids].sort(), comments.map((c) => c._id).sort());
      }),
      { numRuns: 300 },
    );
  });

  test("a page that is all one instant is asked for again, wider, and then the cursor moves on", () => {
    const comments = commentsAt([1, 2, ...Array<number>(25).fill(3), 4, 5]);
    const pager = new KeysetPager(null, 10, 1_000);
    const first = comments.slice(0, 10);
    assert.deepEqual(pager.take(first), { fresh: first, done: false });
    assert.deepEqual(pager.request, { after: comments[2]!.postedAt, limit: 10 });
    const sameInstant = comments.slice(2, 12);
    assert.equal(pager.take(sameInstant).fresh.length, 2);
    assert.deepEqual(pager.request, { after: comments[2]!.postedAt, limit: 20 }, "widened");
    pager.take(comments.slice(2, 22));
    assert.deepEqual(pager.request, { after: comments[2]!.postedAt, limit: 40 }, "widened again");
    assert.equal(pager.take(comments.slice(2)).fresh.length, 7);
    assert.deepEqual(pager.request, { after: comments[28]!.postedAt, limit: 10 }, "moved on, page size back to normal");
  });

  test("more comments at one instant than the largest page is an error, not a loop", () => {
    const comments = commentsAt(Array<number>(50).fill(7));
    assert.throws(() => pageThrough(comments, 10, 40, 1), /more than 40 comments from 2020-01-01T00:00:00\.007Z on share one instant/);
  });

  test("resumed from an instant, it continues with the comments at that instant", () => {
    const comments = commentsAt([1, 2, 3, 3, 3, 4, 5]);
    const { ids, requests } = pageThrough(comments, 3, 100, 9, comments[2]!.postedAt);
    assert.deepEqual([...ids].sort(), ["c2", "c3", "c4", "c5", "c6"]);
    assert.ok(requests <= 4);
  });

  test("the pages that fetch changed comments hold every one of them, whatever the ties, and stay within the page size", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 60 }), changed: fc.boolean() }), { maxLength: 150 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (specs, pageSize, seed) => {
          const comments = commentsAt(specs.map((s) => s.at));
          const changed = new Set(comments.filter((_, i) => specs[i]!.changed).map((c) => c._id));
          const order = randomSource(seed ^ 0x5bd1e995);
          const shuffled = comments.map((c) => ({ c, key: order() })).sort((a, b) => a.key - b.key).map(({ c }) => c);
          const windows = changeWindows(shuffled, changed, pageSize);
          const random = randomSource(seed);
          const fetched = new Set<string>();
          for (const window of windows) {
            const atStart = comments.filter((c) => c.postedAt === window.after).length;
            assert.ok(window.limit <= Math.max(pageSize, atStart), `limit ${window.limit} for page size ${pageSize}`);
            const page = new Set(forumPage(comments, window.after, window.limit, random).map((c) => c._id));
            for (const id of window.ids) {
              assert.ok(page.has(id), `${id} is in its window's page`);
              fetched.add(id);
            }
          }
          assert.deepEqual([...fetched].sort(), [...changed].sort());
          assert.equal(windows.flatMap((w) => w.ids).length, changed.size, "each changed comment in one page");
        },
      ),
      { numRuns: 300 },
    );
  });

  test("changed comments near each other share a page; far apart, each has its own", () => {
    const comments = commentsAt([1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const changed = new Set(["c1", "c4", "c10"]);
    assert.deepEqual(changeWindows(comments, changed, 5), [
      { after: comments[1]!.postedAt, limit: 4, ids: ["c1", "c4"] },
      { after: comments[10]!.postedAt, limit: 1, ids: ["c10"] },
    ]);
    assert.deepEqual(changeWindows(comments, changed, 3), [
      { after: comments[1]!.postedAt, limit: 2, ids: ["c1"] },
      { after: comments[4]!.postedAt, limit: 1, ids: ["c4"] },
      { after: comments[10]!.postedAt, limit: 1, ids: ["c10"] },
    ]);
    assert.deepEqual(changeWindows(comments, new Set(), 5), []);
  });
});
