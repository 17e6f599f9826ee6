// The groupings the templates list: the threads an author's own page names, and the busiest threads the home page names.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { CommentPage } from "../../scripts/lib/content/pages.ts";
import { commentPermalink, commentStamp, threadPermalink } from "../../scripts/lib/permalinks.ts";
import { busiest } from "../../scripts/lib/site/page-model.ts";
import { AUTHOR_RECENT_THREADS, buildSiteArchive, type LoadedComment, type SiteThread } from "../../scripts/lib/site/site-archive.ts";

/** Ann's comment number `i`, a minute after the one before, in thread `thread`. */
function comment(i: number, thread: number): LoadedComment {
  const date = new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString();
  const stamp = commentStamp(date);
  const page: CommentPage = {
    id: `ann/${stamp}`,
    author: { username: "ann", name: "Ann", slug: "ann" },
    thread: { title: `Thread ${thread}`, slug: `thread-${thread}` },
    date,
    permalink: commentPermalink("ann", stamp),
    source: { file: "export.md" },
  };
  return { page, file: `content/archive/comments/ann/${stamp}.md`, digest: `d${i}`, html: "", text: "" };
}

describe("an author's threads", () => {
  test("their own page names the threads of their latest comments, most recent first, at most a hundred", () => {
    // 150 threads, one comment each, then one more comment in thread 0.
    const comments = [...Array.from({ length: 150 }, (_, i) => comment(i, i)), comment(150, 0)];
    const threads = Array.from({ length: 150 }, (_, i) => ({ title: `Thread ${i}`, slug: `thread-${i}`, permalink: threadPermalink(`thread-${i}`) }));
    const [ann] = buildSiteArchive(comments, threads).authors;
    assert.equal(ann?.threadCount, 150);
    assert.equal(ann?.recentThreads.length, AUTHOR_RECENT_THREADS);
    assert.deepEqual(
      ann?.recentThreads.slice(0, 3).map((t) => t.slug),
      ["thread-0", "thread-149", "thread-148"],
    );
    assert.equal(ann?.recentThreads.at(-1)?.slug, "thread-51");
  });
});

describe("the busiest threads", () => {
  test("are the first of all threads sorted by comments, then newest comment, then slug", () => {
    // Few counts and dates, so that ties are common; a thread without comments dates from its post, if any.
    const thread = fc.record({ slug: fc.string({ minLength: 1, maxLength: 3 }), comments: fc.nat(4), last: fc.nat(3), post: fc.option(fc.nat(3)) });
    const threads = fc.uniqueArray(thread, { selector: (t) => t.slug, maxLength: 40 });
    fc.assert(
      fc.property(threads, fc.integer({ min: 1, max: 12 }), (specs, count) => {
        const made = specs.map(
          (t) =>
            ({
              slug: t.slug,
              comments: Array.from({ length: t.comments }, () => ({ date: `2021-01-0${t.last + 1}T00:00:00.000Z` })),
              ...(t.post === null ? {} : { post: { date: `2021-01-0${t.post + 1}T00:00:00.000Z` } }),
            }) as unknown as SiteThread,
        );
        const last = (t: SiteThread): string => t.comments.at(-1)?.date ?? t.post?.date ?? "";
        const sorted = [...made].sort((a, b) => b.comments.length - a.comments.length || (last(a) > last(b) ? -1 : last(a) < last(b) ? 1 : 0) || (a.slug < b.slug ? -1 : 1));
        assert.deepEqual(busiest(made, count).map((t) => t.slug), sorted.slice(0, count).map((t) => t.slug));
      }),
      { numRuns: 300 },
    );
  });
});
