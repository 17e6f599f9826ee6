// A dev server's rebuilds reuse what the last archive and plan made: the result is what a fresh build makes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { CommentPage, ThreadPage } from "../../scripts/lib/content/pages.ts";
import { commentPermalink, commentStamp, threadPermalink } from "../../scripts/lib/permalinks.ts";
import { commentDigest } from "../../scripts/lib/site/load-archive.ts";
import type { Paged } from "../../scripts/lib/site/paginate.ts";
import { PlanMemory, planRender, type RenderPlan } from "../../scripts/lib/site/render-plan.ts";
import { buildSiteArchive, SiteArchiveMemory, type LoadedComment, type SiteArchive, type SiteComment, type SitePeriod, type SiteThread } from "../../scripts/lib/site/site-archive.ts";

const CODE = "code-1";
const AUTHORS = ["ann", "bob", "cy"];
const THREADS = 4;

/** Comment `i` of the pool: most in thread 0 and by ann, so that their lists run to several pages; a day apart, over two years. */
function pooled(i: number, text = `Comment ${i}.`): LoadedComment {
  const username = AUTHORS[i % 5 === 0 ? 1 + (i % 2) : 0] ?? "ann";
  const thread = i % 3 === 0 ? 1 + (i % THREADS === 0 ? 0 : i % (THREADS - 1)) : 0;
  const date = new Date(Date.UTC(2020, 10, 1) + i * 3 * 86_400_000).toISOString();
  const stamp = commentStamp(date);
  const page: CommentPage = {
    id: `${username}/${stamp}`,
    author: { username, name: username.toUpperCase(), slug: username },
    thread: { title: `Thread ${thread}`, slug: `thread-${thread}` },
    date,
    permalink: commentPermalink(username, stamp),
    source: { file: "export.md" },
  };
  return { page, file: `content/archive/comments/${username}/${stamp}.md`, digest: commentDigest(page, text), html: `<p>${text}</p>`, text };
}

const POOL = Array.from({ length: 330 }, (_, i) => pooled(i));
const EDITED = POOL.map((_, i) => pooled(i, `Comment ${i}, edited.`));

function threadPage(n: number, post: boolean): ThreadPage {
  const page: ThreadPage = { title: `Thread ${n}`, slug: `thread-${n}`, permalink: threadPermalink(`thread-${n}`) };
  return post ? { ...page, post: { date: "2020-10-01T00:00:00.000Z", author: { username: "dee", name: "DEE", slug: "dee" }, source: { file: "export.md" } } } : page;
}

/** Thread pages as a build reads them: the same objects while their files are unchanged, new ones when read again. Dee wrote posts only. */
const THREAD_PAGES = [threadPage(0, true), threadPage(1, false), threadPage(2, true)];

const id = (c: SiteComment | undefined): string | undefined => c?.id;
const ids = (cs: SiteComment[]): string[] => cs.map((c) => c.id);
const paged = <T>(page: Paged<T>, key: (item: T) => string | undefined): unknown => ({ ...page, items: page.items.map(key) });
const period = (p: SitePeriod): unknown => ({ ...p, comments: ids(p.comments), months: p.months.map((m) => m.key), pages: p.pages.map((pg) => paged(pg, id)) });

/** Everything the templates are given, objects named by their ids and slugs; a thread listed anywhere must be the archive's own. */
function shown(archive: SiteArchive): unknown {
  const own = new Set(archive.threads);
  const slug = (t: SiteThread): string => (own.has(t) ? t.slug : `another object for ${t.slug}`);
  return {
    comments: archive.comments.map((c) => ({
      id: c.id,
      digest: c.digest,
      threadPageUrl: c.threadPageUrl,
      links: [id(c.previousInThread), id(c.nextInThread), id(c.previousByAuthor), id(c.nextByAuthor)],
    })),
    threads: archive.threads.map((t) => ({ ...t, comments: ids(t.comments), pages: t.pages.map((p) => paged(p, id)) })),
    authors: archive.authors.map((a) => ({
      ...a,
      comments: ids(a.comments),
      recentThreads: a.recentThreads.map(slug),
      posts: a.posts.map(slug),
      pages: a.pages.map((p) => paged(p, id)),
    })),
    busiest: archive.busiestThreads.map(slug),
    years: archive.years.map(period),
    months: archive.months.map(period),
    threadPages: archive.threadPages.map((p) => p.page.url),
    authorPages: archive.authorPages.map((p) => p.page.url),
    periodPages: archive.periodPages.map((p) => p.page.url),
    threadIndexPages: archive.threadIndexPages.map((p) => paged(p, (t) => t.slug)),
    authorIndexPages: archive.authorIndexPages.map((p) => paged(p, (a) => a.slug)),
    sitemapFiles: archive.sitemapFiles,
  };
}

/** What a plan renders, by output URL or file. */
function rendered(plan: RenderPlan): unknown {
  const { render } = plan;
  return {
    comments: ids(render.comments),
    pages: [...render.threadPages, ...render.authorPages, ...render.periodPages].map((p) => p.page.url),
    feeds: [...render.threadFeeds, ...render.authorFeeds].map((f) => f.permalink),
    sitemaps: render.sitemapFiles.map((f) => f.url),
    commentIndex: render.commentIndex,
  };
}

/** One build's input: the pool less some comments, some of them edited, and thread pages read again or changed. */
const buildInput = fc.record({
  left: fc.uniqueArray(fc.nat(POOL.length - 1), { maxLength: 6 }),
  edited: fc.uniqueArray(fc.nat(POOL.length - 1), { maxLength: 3 }),
  reread: fc.uniqueArray(fc.nat(THREAD_PAGES.length - 1), { maxLength: 2 }),
  post: fc.boolean(),
});

describe("site archive memory", () => {
  test("rebuilds that reuse the last archive's threads, authors and periods, and the last plan's digests, give what fresh builds give", () => {
    fc.assert(
      fc.property(fc.array(buildInput, { minLength: 2, maxLength: 5 }), (builds) => {
        const archiveMemory = new SiteArchiveMemory();
        const planMemory = new PlanMemory();
        let kept: RenderPlan | undefined;
        let fresh: RenderPlan | undefined;
        for (const { left, edited, reread, post } of builds) {
          const comments = POOL.flatMap((c, i) => (left.includes(i) ? [] : [edited.includes(i) ? (EDITED[i] as LoadedComment) : c]));
          const threads = THREAD_PAGES.map((t, n) => (reread.includes(n) ? threadPage(n, n === 1 ? post : t.post !== undefined) : t));
          // Sitemap files of 97 URLs: a change moves the URLs after it from one file to the next.
          const reused = buildSiteArchive(comments, threads, undefined, { sitemapSize: 97 }, archiveMemory);
          const made = buildSiteArchive(comments, threads, undefined, { sitemapSize: 97 });
          assert.deepEqual(shown(reused), shown(made));
          kept = planRender(reused, CODE, kept?.manifest, planMemory);
          fresh = planRender(made, CODE, fresh?.manifest);
          assert.deepEqual(kept.manifest, fresh.manifest);
          assert.deepEqual(rendered(kept), rendered(fresh));
        }
      }),
      { numRuns: 60 },
    );
  });

  test("an unchanged rebuild hands out the same threads, authors and periods, and renders no listed page", () => {
    const memory = new SiteArchiveMemory();
    const planMemory = new PlanMemory();
    const first = buildSiteArchive(POOL, THREAD_PAGES, undefined, {}, memory);
    const again = buildSiteArchive(POOL, THREAD_PAGES, undefined, {}, memory);
    assert.ok(again.threads.every((t, i) => t === first.threads[i]));
    assert.ok(again.authors.every((a, i) => a === first.authors[i]));
    assert.ok([...again.years, ...again.months].every((p, i) => p === [...first.years, ...first.months][i]));
    const plan = planRender(again, CODE, planRender(first, CODE, undefined, planMemory).manifest, planMemory);
    assert.deepEqual(rendered(plan), { comments: [], pages: [], feeds: [], sitemaps: [], commentIndex: [] });
  });
});
