// Which pages a build renders again, and which of them the search must index again.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { CommentPage } from "../../scripts/lib/content/pages.ts";
import { commentPermalink, commentStamp, threadPermalink } from "../../scripts/lib/permalinks.ts";
import { commentDigest } from "../../scripts/lib/site/load-archive.ts";
import { renderComment } from "../../scripts/lib/site/markdown/index.ts";
import { sitePages, TEMPLATES, type SitePage, type SitePages } from "../../scripts/lib/site/page-model.ts";
import { PageParts } from "../../scripts/lib/site/page-parts.ts";
import { outputFile, PageDigests, planRender, retiredFiles, searchChanges, siteChanges, type RenderPlan } from "../../scripts/lib/site/render-plan.ts";
import { buildSiteArchive, type LoadedComment, type SiteArchive } from "../../scripts/lib/site/site-archive.ts";

const CODE = "code-1";

function comment(stamp: string, body: string): LoadedComment {
  const id = `ann/${stamp}`;
  const page: CommentPage = {
    id,
    author: { username: "ann", name: "Ann", slug: "ann" },
    thread: { title: "A thread", slug: "a-thread" },
    date: `2021-01-0${stamp.slice(7, 8)}T00:00:00.000Z`,
    permalink: commentPermalink("ann", stamp),
    source: { file: "export.md" },
  };
  return { page, file: `content/archive/comments/${id}.md`, digest: commentDigest(page, body), ...renderComment(body, `c-ann-${stamp}`) };
}

function plan(comments: LoadedComment[], previous?: RenderPlan, sitemapSize?: number): RenderPlan {
  const options = sitemapSize === undefined ? {} : { sitemapSize };
  const archive = buildSiteArchive(comments, [{ title: "A thread", slug: "a-thread", permalink: threadPermalink("a-thread") }]);
  return planRender(sitePages(archive, options), CODE, previous?.manifest);
}

const pagesOf = (archive: SiteArchive): SitePages => sitePages(archive);
const urls = (pages: readonly SitePage[]): string[] => pages.map((p) => p.url);

const page = (stamp: string): string => outputFile(commentPermalink("ann", stamp));
const renderedComments = (planned: RenderPlan): string[] => planned.render.comment.map((p) => outputFile(p.url)).sort();
const renderedSitemaps = (planned: RenderPlan): string[] => urls(planned.render.sitemap);

/** Ann's comment number `i`, a minute after the one before, all in one thread. */
function numbered(i: number): LoadedComment {
  const date = new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString();
  const stamp = commentStamp(date);
  const page: CommentPage = {
    id: `ann/${stamp}`,
    author: { username: "ann", name: "Ann", slug: "ann" },
    thread: { title: "A thread", slug: "a-thread" },
    date,
    permalink: commentPermalink("ann", stamp),
    source: { file: "export.md" },
  };
  return { page, file: `content/archive/comments/ann/${stamp}.md`, digest: commentDigest(page, `Number ${i}.`), html: `<p>Number ${i}.</p>`, text: `Number ${i}.` };
}

describe("render plan", () => {
  const a = comment("20210101-000000-000", "First.");
  const b = comment("20210102-000000-000", "Second.");
  const c = comment("20210103-000000-000", "Third.");
  const first = plan([a, b, c]);

  test("a first build renders every page and indexes every comment", () => {
    assert.equal(first.rendering, first.listed);
    assert.deepEqual(searchChanges(undefined, first.manifest).sort(), [page("20210101-000000-000"), page("20210102-000000-000"), page("20210103-000000-000")]);
  });

  test("an added comment re-renders its neighbour's page, but only the new comment is indexed again", () => {
    const d = comment("20210104-000000-000", "Fourth.");
    const next = plan([a, b, { ...c, page: { ...c.page, source: { file: "export-2021.md" } } }, d], first);
    assert.deepEqual(renderedComments(next), [page("20210103-000000-000"), page("20210104-000000-000")]);
    assert.deepEqual(searchChanges(first.manifest, next.manifest), [page("20210104-000000-000")]);
  });

  test("an edited comment is indexed again; its neighbours are re-rendered, not re-indexed", () => {
    const edited = comment("20210102-000000-000", "Second, edited.");
    const next = plan([a, edited, c], first);
    assert.deepEqual(renderedComments(next), [page("20210101-000000-000"), page("20210102-000000-000"), page("20210103-000000-000")]);
    assert.deepEqual(searchChanges(first.manifest, next.manifest), [page("20210102-000000-000")]);
  });

  test("a comment that left is retired and indexed again (out of its shard)", () => {
    const next = plan([a, b], first);
    assert.ok(retiredFiles(first.manifest, next.manifest).includes(page("20210103-000000-000")));
    assert.deepEqual(searchChanges(first.manifest, next.manifest), [page("20210103-000000-000")]);
  });

  test("a URL that changes kind keeps its page: a comment that moved leaves a redirect, a removed one that comes back is a comment again", () => {
    const movedPage = { url: c.page.permalink, to: b.page.permalink, kind: "comment" as const, title: "Ann on A thread" };
    const thread = [{ title: "A thread", slug: "a-thread", permalink: threadPermalink("a-thread") }];
    const moved = planRender(pagesOf(buildSiteArchive([a, b], thread, { moved: [movedPage], removed: [] })), CODE, first.manifest);
    const html = page("20210103-000000-000");
    assert.deepEqual(retiredFiles(first.manifest, moved.manifest), [html.replace(/index\.html$/, "index.md")], "only the Markdown leaves");
    const back = planRender(pagesOf(buildSiteArchive([a, b, c], thread)), CODE, moved.manifest);
    assert.deepEqual(retiredFiles(moved.manifest, back.manifest), [], "the redirect's file is the comment's again");
  });

  test("a new comment renders an author's own page and the first and last pages of its thread and periods, not the pages between", () => {
    const comments = Array.from({ length: 250 }, (_, i) => numbered(i));
    const before = plan(comments);
    const after = plan([...comments, numbered(250)], before);
    assert.deepEqual(urls(before.render.author), ["/authors/ann/", "/authors/ann/page/1/"]);
    assert.deepEqual(urls(after.render.author), ["/authors/ann/"]);
    assert.deepEqual(urls(after.render.thread), ["/threads/a-thread/", "/threads/a-thread/page/3/"]);
    assert.deepEqual(urls(after.render.period).sort(), ["/archive/2021/", "/archive/2021/01/", "/archive/2021/01/page/3/", "/archive/2021/page/3/"]);
    assert.deepEqual(urls(after.render.threadIndex), ["/threads/"], "the thread's line gives its count");
    const edited = plan([...comments.slice(0, 10), { ...numbered(10), digest: "edited" }, ...comments.slice(11)], before);
    assert.deepEqual(edited.render.threadIndex, [], "an edit leaves the thread index as it was");
    assert.deepEqual(urls(edited.render.search), [], "an edit leaves the search page's count as it was");
  });

  test("sitemap files are rendered again only when their URLs or dates changed", () => {
    // Two URLs a file: the list pages fill the first files, the comments (oldest first) the last two.
    const before = plan([a, b, c], undefined, 2);
    const files = renderedSitemaps(before);
    const [lastFile] = files.slice(-1);
    assert.ok(files.length >= 3 && lastFile !== undefined, `${files.length} sitemap files`);
    const edited = plan([a, comment("20210102-000000-000", "Second, edited."), c], before, 2);
    assert.deepEqual(renderedSitemaps(edited), [], "an edit changes no URL and no date");
    const added = plan([a, b, c, comment("20210104-000000-000", "Fourth.")], before, 2);
    // Whether it joins the last file or starts one depends on how many list pages come first.
    const holdsNew = (p: SitePage<"sitemap">): boolean => p.data.entries.some((e) => e.url.includes("/20210104-000000-000/"));
    assert.ok(added.render.sitemap.some(holdsNew), "the new comment's file");
    const olderOnly = (p: SitePage<"sitemap">): boolean => !holdsNew(p) && p.data.entries.every((e) => e.url.startsWith("/comments/"));
    assert.ok(before.render.sitemap.some(olderOnly), "some file holds older comments only");
    assert.deepEqual(added.render.sitemap.filter(olderOnly).map((p) => p.url), [], "a file of older comments only is kept");
  });

  test("comments.json is rendered again when a comment's facts change", () => {
    assert.deepEqual(urls(first.render.commentIndex), ["/comments.json"]);
    assert.deepEqual(urls(plan([a, b, c, comment("20210104-000000-000", "Fourth.")], first).render.commentIndex), ["/comments.json"], "an added comment");
    const renamed: CommentPage = { ...c.page, author: { ...c.page.author, name: "Ann B." } };
    assert.deepEqual(urls(plan([a, b, { ...c, page: renamed, digest: commentDigest(renamed, "Third.") }], first).render.commentIndex), ["/comments.json"], "a new display name");
    assert.ok(!retiredFiles(first.manifest, plan([a, b, c], first).manifest).includes("comments.json"), "kept when not rendered");
  });

  test("property: an update renders exactly the pages whose data changed, and publishes what a whole build would", () => {
    // Comment `i` of a pool: two authors, two threads, dates over two months; `variant` edits its text.
    // Forum comments reply to an earlier one of their thread and link to another, which the archive may lack.
    const pooled = (i: number, variant: number): LoadedComment => {
      const [username, title] = [["ann", "bob"][i % 2] ?? "ann", ["One", "Two"][Math.floor(i / 3) % 2] ?? "One"];
      const date = new Date(Date.UTC(2021, 0, 20) + i * 3 * 86_400_000).toISOString();
      const stamp = commentStamp(date);
      const slug = title.toLowerCase();
      const forum = i % 4 === 3 ? {} : { forum: { id: `f${i}`, retracted: false, deleted: false, af: false, ...(i >= 6 ? { parentCommentId: `f${i - 6}` } : {}) } };
      const page: CommentPage = { id: `${username}/${stamp}`, author: { username, name: username, slug: username }, thread: { title, slug }, date, permalink: commentPermalink(username, stamp), source: { file: "export.md" }, ...forum };
      const body = `Comment ${i}, version ${variant}.`;
      const linkedComments = i % 5 === 0 ? [`f${(i * 7) % 14}`] : [];
      return { page, file: `content/archive/comments/${username}/${stamp}.md`, digest: commentDigest(page, body), html: `<p>${body}</p>`, text: body, linkedComments };
    };
    const pagesFor = (comments: LoadedComment[], parts?: { archive: PageParts; pages: PageParts }) =>
      sitePages(buildSiteArchive(comments, [], undefined, undefined, parts?.archive), { sitemapSize: 7, ...(parts === undefined ? {} : { parts: parts.pages }) });
    // The data of every page by URL, as text: what a template receives, compared without the digest.
    const dataByUrl = (pages: SitePages) => new Map(TEMPLATES.flatMap((t) => pages[t].map((p): [string, string] => [p.url, JSON.stringify([p.template, p.data])])));
    // Each archive: which of the 14 comments it has, and which version of each.
    const archives = fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 14, maxLength: 14 }), { minLength: 2, maxLength: 5 });
    fc.assert(
      fc.property(archives, (steps) => {
        let updated: RenderPlan | undefined;
        let before: Map<string, string> | undefined;
        // As a dev server plans: the last model's parts and the last plan's digests reused for what is the same.
        const digests = new PageDigests();
        const parts = { archive: new PageParts(), pages: new PageParts() };
        for (const step of steps) {
          const comments = step.flatMap((choice, i) => (choice === 0 ? [] : [pooled(i, choice)]));
          const pages = pagesFor(comments, parts);
          const data = dataByUrl(pages);
          assert.deepEqual(data, dataByUrl(pagesFor(comments)), "a model made with the last one's parts is the model made afresh");
          updated = planRender(pages, CODE, updated?.manifest, digests);
          const whole = planRender(pages, CODE);
          assert.deepEqual([...updated.manifest.files].sort(), [...whole.manifest.files].sort());
          assert.deepEqual([...updated.manifest.indexed].sort(), [...whole.manifest.indexed].sort());
          const rendered = new Set(TEMPLATES.flatMap((t) => urls(updated?.render[t] ?? [])));
          const changed = [...data].filter(([url, shown]) => before?.get(url) !== shown).map(([url]) => url);
          assert.deepEqual([...rendered].sort(), changed.sort());
          before = data;
        }
      }),
      { numRuns: 60 },
    );
  });

  test("other rendering code makes every page and every comment new", () => {
    const archive = pagesOf(buildSiteArchive([a, b, c], []));
    const next = planRender(archive, "code-2", first.manifest);
    assert.equal(next.rendering, next.listed);
    assert.equal(searchChanges(first.manifest, next.manifest).length, 3);
    // The build then publishes the rendered site whole rather than moving it into place page by page.
    assert.equal(next.whole, true);
    assert.equal(siteChanges(first.manifest, next.manifest).updated, false);
    const same = planRender(archive, CODE, first.manifest);
    assert.equal(same.whole, false);
    assert.equal(siteChanges(first.manifest, same.manifest).updated, true);
  });
});
