// The groupings the templates list: here, the threads an author's own page names.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CommentPage } from "../../scripts/lib/content/pages.ts";
import { commentPermalink, commentStamp, threadPermalink } from "../../scripts/lib/permalinks.ts";
import { AUTHOR_RECENT_THREADS, buildSiteArchive, type LoadedComment } from "../../scripts/lib/site/site-archive.ts";

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
    assert.equal(ann?.threads.length, 150);
    assert.equal(ann?.recentThreads.length, AUTHOR_RECENT_THREADS);
    assert.deepEqual(
      ann?.recentThreads.slice(0, 3).map((t) => t.slug),
      ["thread-0", "thread-149", "thread-148"],
    );
    assert.equal(ann?.recentThreads.at(-1)?.slug, "thread-51");
  });
});
