// The page model: every template renders exactly the pages listed for it, from their data alone, and a page's digest covers every value of that data.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { load } from "js-yaml";
import type { CommentPage, ThreadPage } from "../../scripts/lib/content/pages.ts";
import { commentPermalink, commentStamp, threadPermalink } from "../../scripts/lib/permalinks.ts";
import { commentDigest } from "../../scripts/lib/site/load-archive.ts";
import { sitePages, TEMPLATES, type SitePage } from "../../scripts/lib/site/page-model.ts";
import { pageDigest } from "../../scripts/lib/site/render-plan.ts";
import { buildSiteArchive, type LoadedComment } from "../../scripts/lib/site/site-archive.ts";
import { PROJECT_ROOT } from "../support/project-copy.ts";

const CONTENT = path.join(PROJECT_ROOT, "content");

/** The front matter of each template in content/. */
function templates(): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(CONTENT).filter((f) => f.endsWith(".njk"))) {
    const match = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(path.join(CONTENT, file), "utf8"));
    found.set(file, (match === null ? {} : load(match[1] ?? "")) as Record<string, unknown>);
  }
  return found;
}

/** An archive of `count` comments by three authors in four threads, some with a post, over a few months. */
function archiveOf(seeds: readonly { author: number; thread: number; minutes: number; words: string; name: boolean }[]) {
  const loaded: LoadedComment[] = [];
  const seen = new Set<string>();
  for (const seed of seeds) {
    const username = ["ann", "bob", "cy"][seed.author] ?? "ann";
    const date = new Date(Date.UTC(2021, 0, 1) + seed.minutes * 60_000).toISOString();
    const stamp = commentStamp(date);
    if (seen.has(`${username}/${stamp}`)) continue;
    seen.add(`${username}/${stamp}`);
    const page: CommentPage = {
      id: `${username}/${stamp}`,
      author: { username, name: seed.name ? `${username} the great` : username, slug: username },
      thread: { title: `Thread ${seed.thread}`, slug: `thread-${seed.thread}` },
      date,
      permalink: commentPermalink(username, stamp),
      source: { file: "export.md" },
    };
    loaded.push({ page, file: `content/archive/comments/${page.id}.md`, digest: commentDigest(page, seed.words), html: `<p>${seed.words}</p>`, text: seed.words });
  }
  const threads: ThreadPage[] = [{ title: "Thread 0", slug: "thread-0", permalink: threadPermalink("thread-0"), post: { date: "2020-12-01T00:00:00.000Z", author: { username: "dee", name: "Dee", slug: "dee" }, score: 3, source: { file: "export.md" } } }];
  return buildSiteArchive(loaded, threads);
}

const seeds = fc.array(
  fc.record({ author: fc.nat(2), thread: fc.nat(3), minutes: fc.nat(200_000), words: fc.lorem({ maxCount: 3 }), name: fc.boolean() }),
  { minLength: 1, maxLength: 40 },
);

/** Every path to a value in `data` as its digest sees it: plain objects and arrays are walked, anything else (a comment, a string) is a leaf. */
function leaves(data: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(data)) return data.flatMap((item, i) => leaves(item, [...at, i]));
  if (typeof data === "object" && data !== null && Object.getPrototypeOf(data) === Object.prototype) return Object.entries(data).flatMap(([key, value]) => leaves(value, [...at, key]));
  return [at];
}

/** `data` with the value at `at` replaced by `value`, copied along the way. */
function replaced(data: unknown, at: readonly (string | number)[], value: unknown): unknown {
  const [head, ...rest] = at;
  if (head === undefined) return value;
  if (Array.isArray(data)) return data.map((item, i) => (i === head ? replaced(item, rest, value) : item));
  const object = data as Record<string, unknown>;
  return { ...object, [head]: replaced(object[head], rest, value) };
}

describe("page model", () => {
  test("each template in content/ renders the pages listed for it and nothing else, and every kind of page has its template", () => {
    const found = templates();
    const listed = new Map<string, string>();
    for (const [file, front] of found) {
      const pagination = front.pagination as { data?: unknown; alias?: unknown } | undefined;
      assert.equal(front.permalink, "{{ view.url }}", `${file}: its URL is its page's`);
      assert.equal(pagination?.alias, "view", file);
      assert.match(String(pagination?.data), /^render\.\w+$/, file);
      listed.set(String(pagination?.data).slice("render.".length), file);
      // A template sees its page (`view`) and the site's configuration, and no other global data.
      const text = readFileSync(path.join(CONTENT, file), "utf8").replace(/^---\n[\s\S]*?\n---\n/, "");
      assert.doesNotMatch(text, /\b(archive|render|collections)\.\w/, `${file} reaches past its page`);
    }
    assert.deepEqual([...listed.keys()].sort(), [...TEMPLATES].sort());
    for (const file of readdirSync(path.join(PROJECT_ROOT, "_includes"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".njk"))) {
      assert.doesNotMatch(readFileSync(path.join(PROJECT_ROOT, "_includes", file), "utf8"), /\b(archive|render|collections)\.\w/, `_includes/${file} reaches past its page`);
    }
  });

  test("property: every page has its own URL, and changing any value a page's template receives changes the page's digest", () => {
    fc.assert(
      fc.property(seeds, fc.nat(), (list, pick) => {
        const pages = sitePages(archiveOf(list), { sitemapSize: 5 });
        const all = TEMPLATES.flatMap((t): SitePage[] => [...pages[t]]);
        const urls = all.map((p) => p.url);
        assert.equal(new Set(urls).size, urls.length, "two pages at one URL");
        // One page, and each of its values in turn.
        const page = all[pick % all.length] as SitePage;
        const digest = pageDigest(page);
        for (const at of leaves(page.data)) {
          const changed = { ...page, data: replaced(page.data, at, "another value") } as SitePage;
          assert.notEqual(pageDigest(changed), digest, `${page.url}: ${at.join(".")} is not in its digest`);
        }
      }),
      { numRuns: 150 },
    );
  });

  test("a comment in a page's data stands for its facts and text: a page showing it changes digest with either", () => {
    const list = [{ author: 0, thread: 0, minutes: 10, words: "First words", name: false }, { author: 1, thread: 0, minutes: 20, words: "Second words", name: false }];
    const before = sitePages(archiveOf(list));
    const edited = sitePages(archiveOf([list[0] as (typeof list)[0], { ...(list[1] as (typeof list)[0]), words: "Second words, edited" }]));
    const renamed = sitePages(archiveOf([list[0] as (typeof list)[0], { ...(list[1] as (typeof list)[0]), name: true }]));
    const firstCommentPage = (pages: typeof before) => pageDigest(pages.comment[0] as SitePage);
    assert.notEqual(firstCommentPage(edited), firstCommentPage(before), "its next neighbour's text");
    assert.notEqual(firstCommentPage(renamed), firstCommentPage(before), "its next neighbour's author name");
  });
});
