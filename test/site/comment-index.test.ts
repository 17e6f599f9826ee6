// /comments.json: every comment once, sorted by URL, with its facts; rendered again when those change, not its text.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CommentPage } from "../../scripts/lib/content/pages.ts";
import { commentPermalink, commentStamp } from "../../scripts/lib/permalinks.ts";
import { commentIndexJson, CommentIndexLines } from "../../scripts/lib/site/comment-index.ts";
import { commentDigest } from "../../scripts/lib/site/load-archive.ts";
import { sitePages } from "../../scripts/lib/site/page-model.ts";
import { pageDigest } from "../../scripts/lib/site/render-plan.ts";
import { buildSiteArchive, type LoadedComment } from "../../scripts/lib/site/site-archive.ts";

/** A comment by `slug` (username and slug alike) at `date`; `suffix` makes the id of a second text with the same identity. */
function comment(slug: string, date: string, body: string, { suffix = "", name = slug, thread = "One" } = {}): LoadedComment {
  const stamp = `${commentStamp(date)}${suffix}`;
  const page: CommentPage = {
    id: `${slug}/${stamp}`,
    author: { username: slug, name, slug },
    thread: { title: thread, slug: thread.toLowerCase() },
    date,
    permalink: commentPermalink(slug, stamp),
    source: { file: "export.md" },
  };
  return { page, file: `content/archive/comments/${slug}/${stamp}.md`, digest: commentDigest(page, body), html: `<p>${body}</p>`, text: body };
}

const indexPage = (comments: LoadedComment[]) => {
  const [page] = sitePages(buildSiteArchive(comments, [])).commentIndex;
  assert.ok(page !== undefined);
  return page;
};
const indexJson = (comments: LoadedComment[]): string => commentIndexJson(indexPage(comments).data.lines);
const urls = (json: string): string[] => (JSON.parse(json) as { url: string }[]).map((entry) => entry.url);

// Slugs where one is another's prefix, and an id with a digest suffix: where URL order and the authors' or dates' orders part.
const comments = [
  comment("a", "2021-01-03T00:00:00.000Z", "Third by a."),
  comment("a", "2021-01-01T00:00:00.000Z", "First by a."),
  comment("a", "2021-01-01T00:00:00.000Z", "First by a, other text.", { suffix: "-0a1b2c3d" }),
  comment("a-b", "2021-01-02T00:00:00.000Z", "By a-b.", { thread: "Two" }),
  comment("ab", "2021-01-01T12:00:00.000Z", "By ab."),
  comment("a_b", "2020-12-31T00:00:00.000Z", "By a_b.", { thread: "Two" }),
];

describe("comment index", () => {
  test("a forum comment's line carries its ids, scores and flags; an export's comment has none", () => {
    const plain = comment("f", "2021-02-01T00:00:00.000Z", "From an export.");
    const forum = { id: "c1", postId: "p1", parentCommentId: "c0", baseScore: 7, retracted: false, deleted: false, af: true };
    const fromApi = comment("f", "2021-02-02T00:00:00.000Z", "From the API.");
    const withForum = { ...fromApi, page: { ...fromApi.page, forum } };
    const lines = JSON.parse(indexJson([plain, { ...withForum, digest: commentDigest(withForum.page, "From the API.") }])) as { date: string; forum?: unknown }[];
    assert.deepEqual(lines.map((l) => [l.date, l.forum]), [["2021-02-01T00:00:00.000Z", undefined], ["2021-02-02T00:00:00.000Z", forum]]);
  });

  test("lists every comment once, sorted by URL, with its facts", () => {
    const json = indexJson(comments);
    const expected = comments.map((c) => c.page.permalink).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    assert.deepEqual(urls(json), expected);
    assert.ok(json.startsWith("[\n{") && json.endsWith("}\n]\n"), "one entry per line");
    const entries = JSON.parse(json) as { id: string; markdown: string; author: { name: string; url: string }; thread: { title: string; url: string }; date: string }[];
    const ab = entries.find((e) => e.id === "a-b/20210102-000000-000");
    assert.deepEqual(ab, {
      id: "a-b/20210102-000000-000",
      url: "/comments/a-b/20210102-000000-000/",
      markdown: "/comments/a-b/20210102-000000-000/index.md",
      author: { username: "a-b", name: "a-b", url: "/authors/a-b/" },
      thread: { title: "Two", url: "/threads/two/" },
      date: "2021-01-02T00:00:00.000Z",
    });
  });

  test("without slugs that begin with another, lists the authors' lines one after the other, each sorted by URL", () => {
    // The authors' lists are oldest first: the digest-suffixed id of a's first instant sorts before its plain one.
    const apart = comments.filter((c) => c.page.author.slug !== "a-b");
    const json = indexJson(apart);
    assert.deepEqual(urls(json), apart.map((c) => c.page.permalink).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    assert.equal(urls(json)[0], "/comments/a/20210101-000000-000-0a1b2c3d/");
  });

  test("its page's digest follows the set of comments' facts, not their order or text", () => {
    const digest = (list: LoadedComment[]): string => pageDigest(indexPage(list));
    const first = digest(comments);
    assert.equal(digest([...comments].reverse()), first, "any input order");
    const [c0, ...rest] = comments as [LoadedComment, ...LoadedComment[]];
    assert.equal(digest([comment("a", c0.page.date, "Third by a, edited."), ...rest]), first, "an edited text");
    assert.notEqual(digest([comment("a", c0.page.date, "Third by a.", { name: "A. Person" }), ...rest]), first, "a display name");
    assert.notEqual(digest(rest), first, "a comment less");
    assert.notEqual(digest([...comments, comment("ab", "2022-01-01T00:00:00.000Z", "New.")]), first, "a comment more");
  });
});

describe("comment index lines kept between builds", () => {
  test("give what lines made afresh give, and are made again for a comment whose facts changed", () => {
    const kept = new CommentIndexLines();
    const renamed = comment("ab", "2021-01-01T12:00:00.000Z", "By ab.", { name: "A. B." });
    const builds = [comments, comments.slice(2), [...comments.slice(0, 4), renamed, ...comments.slice(5)], comments];
    for (const list of builds) {
      const archive = buildSiteArchive(list, []);
      const text = (lines: readonly { text: string }[]) => lines.map((l) => l.text);
      assert.deepEqual(text(kept.lines(archive.comments)), text(new CommentIndexLines().lines(archive.comments)));
    }
  });
});
