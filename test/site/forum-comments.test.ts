// A site built from the forum API's JSON: karma, agreement, links to the original, retracted and deleted comments.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { originalLinks } from "../../scripts/lib/site/original-links.ts";
import { buildSite, htmlProblems, type BuiltSite } from "./helpers.ts";

const POST = { _id: "p1Abc", title: "On Archives", slug: "on-archives" };
const pageUrl = (id: string): string => `https://www.lesswrong.com/posts/${POST._id}/${POST.slug}?commentId=${id}`;

function comment(id: string, postedAt: string, fields: Record<string, unknown>): object {
  return { _id: id, postedAt, user: { username: "ada", displayName: "Ada", slug: "ada" }, post: POST, postId: POST._id, pageUrl: pageUrl(id), ...fields };
}

const COMMENTS = [
  comment("c1", "2021-03-01T10:00:00.000Z", { contents: { markdown: "A scored comment." }, baseScore: 12, voteCount: 4, extendedScore: { agreement: -3, agreementVoteCount: 2 } }),
  comment("c2", "2021-03-02T10:00:00.000Z", { contents: { markdown: "A retracted comment." }, baseScore: 0, retracted: true }),
  comment("c3", "2021-03-03T10:00:00.000Z", { contents: null, deleted: true, baseScore: null }),
  comment("c4", "2021-03-04T10:00:00.000Z", { contents: { markdown: "Its pageUrl is hostile." }, pageUrl: "javascript:alert(1)", baseScore: null, extendedScore: null }),
  comment("c5", "2021-03-05T10:00:00.000Z", { contents: { markdown: "Euler: $e^{i\\pi} + 1 = 0$, and [a post](/posts/xyz/other) and [elsewhere](https://example.org/)." } }),
  // Replies: to c1, to a comment the archive lacks, and to the first reply; listed last, but c6's reply comes first in time.
  comment("c6", "2021-03-07T10:00:00.000Z", { contents: { markdown: "A first reply." }, parentCommentId: "c1" }),
  comment("c7", "2021-03-08T10:00:00.000Z", { contents: { markdown: "A reply to an outside comment." }, parentCommentId: "zz9" }),
  comment("c8", "2021-03-06T12:00:00.000Z", { contents: { markdown: "A reply to a reply." }, parentCommentId: "c6" }),
  // Links to a comment the archive has (by the forum's URL and by GreaterWrong's) and to one it has not.
  comment("c9", "2021-03-09T10:00:00.000Z", { contents: { markdown: `As [I said](${pageUrl("c1")}), [again](https://www.greaterwrong.com/posts/${POST._id}/${POST.slug}/comment/c1), unlike [them](${pageUrl("zz9")}).` } }),
];

const commentFile = (postedAt: string): string => `comments/ada/${postedAt.replace(/[-:]/g, "").replace("T", "-").replace(".", "-").replace("Z", "")}/index.html`;

describe("comments from the forum's API", () => {
  let site: BuiltSite;
  let dir: string;
  const page = (i: number): string => {
    const c = COMMENTS[i] as { postedAt: string };
    const html = site.html.get(commentFile(c.postedAt));
    assert.ok(html !== undefined, `${commentFile(c.postedAt)} was built`);
    return html;
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "commentarium-forum-"));
    const file = path.join(dir, "ada.json");
    await writeFile(file, JSON.stringify({ data: { comments: { results: COMMENTS } } }));
    site = await buildSite(file);
  });
  after(async () => {
    await site?.copy.remove();
    await rm(dir, { recursive: true, force: true });
  });

  test("a comment shows its karma and agreement, and links to itself on LessWrong and GreaterWrong with names a screen reader reads", () => {
    const html = page(0);
    assert.match(html, /<span class="byline__score">12 karma<\/span> · <span class="byline__score">-3 agreement<\/span>/);
    assert.ok(html.includes(`<a href="${pageUrl("c1")}" rel="external">LW<span class="visually-hidden"> (this comment on LessWrong)</span></a>`));
    assert.ok(html.includes(`<a href="https://www.greaterwrong.com/posts/${POST._id}/${POST.slug}/comment/c1" rel="external">GW<span class="visually-hidden"> (this comment on GreaterWrong)</span></a>`));
    assert.match(html, /A scored comment\./);
  });

  test("the thread page's cards show the same", () => {
    const thread = site.html.get(`threads/${POST.slug}/index.html`);
    assert.ok(thread !== undefined);
    assert.match(thread, /12 karma/);
    assert.equal(thread.match(/>GW<span class="visually-hidden"> \(this comment on GreaterWrong\)/g)?.length, 8, "each comment with a forum page but the hostile one");
    assert.match(thread, /<a href="https:\/\/www\.lesswrong\.com\/posts\/[A-Za-z0-9]+\/[a-z0-9-]+" rel="external">LW<span class="visually-hidden"> \(this post on LessWrong\)<\/span><\/a>/, "the post on its forum");
    assert.match(thread, />GW<span class="visually-hidden"> \(this post on GreaterWrong\)/, "the post on GreaterWrong");
  });

  test("a retracted comment is struck through, with a note; a deleted one keeps its page, with a note", () => {
    assert.match(page(1), /<p class="comment-note">Its author retracted this comment on the forum/);
    assert.match(page(1), /<div class="comment-body comment-body--retracted e-content">\s*<p>A retracted comment\.<\/p>/);
    assert.match(page(2), /<p class="comment-note">This comment was deleted on the forum\. Its address here is kept\.<\/p>/);
    assert.doesNotMatch(page(0), /comment-note|comment-body--retracted/);
  });

  test("a pageUrl that is not the forum's makes no link, and nothing shows null or undefined", () => {
    assert.doesNotMatch(page(3), /javascript:|rel="external"/);
    for (const [file, html] of site.html) assert.doesNotMatch(html.replace(/<script[\s\S]*?<\/script>/g, ""), /\bnull\b|\bundefined\b|NaN/, file);
  });

  test("its Markdown's math is MathML, and a link relative to the forum leads to the forum", () => {
    const html = page(4);
    assert.match(html, /Euler: <span class="katex"><math[^>]*>[\s\S]*?<\/math><\/span>, and/);
    assert.ok(html.includes('href="https://www.lesswrong.com/posts/xyz/other"'), "relative to the forum");
    assert.ok(html.includes('href="https://example.org/"'));
    assert.doesNotMatch(html, /\$e\^/, "no TeX left as text in the body");
  });

  test("a reply says what it replies to, with its author, date and first words, linked to its page", () => {
    const reply = page(5);
    const parent = `/${commentFile("2021-03-01T10:00:00.000Z").replace(/index\.html$/, "")}`;
    assert.match(reply, new RegExp(`In reply to <a class="u-in-reply-to" href="${parent}"><bdi>Ada</bdi>, <time datetime="2021-03-01T10:00:00.000Z">1 March 2021, 10:00 UTC</time></a>:</p>\\s*<blockquote class="reply-context__excerpt">A scored comment\\.</blockquote>`));
    const outside = page(6);
    assert.ok(outside.includes(`In reply to a comment not in this archive: <a class="u-in-reply-to" href="${pageUrl("zz9")}" rel="external">LW<span class="visually-hidden"> (the comment it replies to on LessWrong)</span></a>`));
    assert.ok(outside.includes(`<a href="https://www.greaterwrong.com/posts/${POST._id}/${POST.slug}/comment/zz9" rel="external">GW`));
  });

  test("a comment's page lists its replies in the archive, oldest first", () => {
    const replies = /<ol class="replies__list">([\s\S]*?)<\/ol>/.exec(page(0))?.[1] ?? "";
    assert.deepEqual([...replies.matchAll(/href="([^"]+)"/g)].map((m) => m[1]), [`/${commentFile("2021-03-07T10:00:00.000Z").replace(/index\.html$/, "")}`]);
    assert.match(page(0), /1 reply in the archive/);
    assert.doesNotMatch(page(1), /replies__list/, "a comment without replies lists none");
  });

  test("the thread page nests each reply under the comment it replies to, and links it there", () => {
    const thread = site.html.get(`threads/${POST.slug}/index.html`) ?? "";
    const order = [...thread.matchAll(/<li(?: class="card-list__reply card-list__reply--(\d)")?><article class="comment-card h-entry" id="([^"]+)">/g)].map((m) => `${m[2]}:${m[1] ?? 0}`);
    assert.deepEqual(order, ["c-ada-20210301-100000-000:0", "c-ada-20210307-100000-000:1", "c-ada-20210306-120000-000:2", "c-ada-20210302-100000-000:0", "c-ada-20210303-100000-000:0", "c-ada-20210304-100000-000:0", "c-ada-20210305-100000-000:0", "c-ada-20210308-100000-000:0", "c-ada-20210309-100000-000:0"]);
    assert.ok(thread.includes(`In reply to <a href="/threads/${POST.slug}/#c-ada-20210307-100000-000"><bdi>Ada</bdi>`), "the reply to a reply links its parent's card");
  });

  test("a link to a comment the archive has leads to its page here, on the comment's page, its thread page and in its feeds; others to the forum", () => {
    const own = `/${commentFile("2021-03-01T10:00:00.000Z").replace(/index\.html$/, "")}`;
    const local = new RegExp(`<a data-comment-id="c1" href="${own}"`, "g");
    const html = page(8);
    assert.equal(html.match(local)?.length, 2, "both links to c1");
    assert.ok(html.includes(`<a data-comment-id="zz9" href="${pageUrl("zz9")}"`), "the comment the archive lacks stays on the forum");
    assert.equal(site.html.get(`threads/${POST.slug}/index.html`)?.match(local)?.length, 2, "on the thread page");
    const feed = site.files.get("feed.xml")?.toString("utf8") ?? "";
    assert.ok(feed.includes(`data-comment-id=&quot;c1&quot; href=&quot;https://commentarium.example${own}&quot;`), "in the feed, absolute");
  });

  test("a text export's dollars stay dollars", async () => {
    assert.doesNotMatch(site.html.get("index.html") ?? "", /<math/);
  });

  test("the pages are valid HTML", async () => {
    assert.deepEqual(await htmlProblems(site), []);
  });
});

describe("originalLinks", () => {
  test("maps each forum to its GreaterWrong mirror, and refuses anything but an https URL of a known forum", () => {
    assert.deepEqual(
      originalLinks("https://forum.effectivealtruism.org/posts/abc/some-post?commentId=xyz").map((l) => l.href),
      ["https://forum.effectivealtruism.org/posts/abc/some-post?commentId=xyz", "https://ea.greaterwrong.com/posts/abc/some-post/comment/xyz"],
    );
    assert.deepEqual(originalLinks("https://www.alignmentforum.org/posts/abc/p").map((l) => l.label), ["AF"], "no comment id: no GreaterWrong link");
    for (const refused of ["http://www.lesswrong.com/posts/a/b?commentId=c", "https://evil.example/posts/a/b?commentId=c", "javascript:alert(1)", "not a url", undefined]) {
      assert.deepEqual(originalLinks(refused), [], String(refused));
    }
  });
});
