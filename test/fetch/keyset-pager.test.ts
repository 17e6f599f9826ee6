// Keyset paging against a simulated forum with the documented semantics: `after` inclusive, ties in any order.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { ForumComment } from "../../scripts/lib/fetch/comment-shape.ts";
import { KeysetPager } from "../../scripts/lib/fetch/keyset-pager.ts";
import { randomSource } from "./forum-server.ts";

/** Pages through `comments` as the fetcher does, answering each request as the forum would. */
function pageThrough(comments: readonly ForumComment[], pageSize: number, maxPageSize: number, seed: number, start: string | null = null): { ids: string[]; requests: number } {
  const random = randomSource(seed);
  const pager = new KeysetPager(start, pageSize, maxPageSize);
  const ids: string[] = [];
  for (let requests = 1; requests < 10_000; requests++) {
    const { after, limit } = pager.request;
    const page = comments
      .filter((c) => after === null || Date.parse(c.postedAt) >= Date.parse(after))
      .map((c) => ({ c, tie: random() }))
      .sort((a, b) => Date.parse(a.c.postedAt) - Date.parse(b.c.postedAt) || a.tie - b.tie)
      .slice(0, limit)
      .map(({ c }) => c);
    const { fresh, done } = pager.take(page);
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
});
