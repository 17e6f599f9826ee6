// Microformats2: every comment page is one h-entry of that comment, and thread, author, date and home pages list theirs as h-entries, in order.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { mf2 } from "microformats-parser";
import { PROJECT_ROOT } from "../support/project-copy.ts";
import { buildSite, exportedComments, FIXTURE, stampOf, textOf, wordsOf, type BuiltSite } from "./helpers.ts";

type Root = ReturnType<typeof mf2>["items"][number];
type Property = Root["properties"][string][number];

const FORUM_SAMPLE = path.join(PROJECT_ROOT, "archives/forum-sample/comments.json");

/** A comment as the test reads it from its input, apart from the importer. */
interface Expected {
  readonly username: string;
  readonly name: string;
  readonly authorSlug: string;
  /** The thread's identity in its input (a text export names threads by title). */
  readonly thread: string;
  readonly date: string;
  /** The words its page must show, in order. */
  readonly words: readonly string[];
  /** Every word its input holds (link targets too): its content shows no other. None for the forum's HTML, which the site sanitises in words of its own. */
  readonly allowed?: ReadonlySet<string>;
  readonly id?: string;
  readonly parentId?: string;
  readonly pageUrl?: string;
}

const wordsIn = (text: string): string[] => text.match(/[\p{L}\p{N}]{3,}/gu) ?? [];

/** The first of `words` that `text` lacks where it should be, if any (others may come between: a link's text stays, its target goes). */
function missingFrom(words: readonly string[], text: readonly string[]): string | undefined {
  let at = 0;
  for (const word of text) if (word === words[at]) at++;
  return at === words.length ? undefined : `"${words[at]}" (word ${at + 1} of ${words.length})`;
}

/** The content's words are the comment's: all its words in order, and none it does not hold. */
function assertContent(text: string, c: Expected, where: string): void {
  const shown = wordsIn(text);
  assert.equal(missingFrom(c.words, shown), undefined, `${where}: its content shows every word of ${permalink(c)} in order`);
  const { allowed } = c;
  if (allowed !== undefined) assert.deepEqual(shown.filter((w) => !allowed.has(w) && !/^\p{N}+$/u.test(w)), [], `${where}: its content shows nothing but ${permalink(c)}`);
}

const permalink = (c: Expected): string => `/comments/${c.username}/${stampOf(c.date)}/`;

function fromExport(text: string): Expected[] {
  return exportedComments(text).map((c) => ({ username: c.username, name: c.name, authorSlug: c.username, thread: c.title, date: c.date, words: wordsOf(c.body), allowed: new Set(wordsIn(c.body)) }));
}

interface ApiComment {
  _id: string;
  postedAt: string;
  pageUrl?: string;
  parentCommentId?: string | null;
  user: { username: string; displayName: string; slug: string };
  post: { _id: string };
  contents: { html: string; markdown: string } | null;
}

/** The forum's HTML without its MathJax markup (nested spans, whose text is glyphs, not TeX). */
function withoutMathJax(html: string): string {
  let out = html;
  const mathJax = /<span class="mjpage[ "]/;
  for (let start = out.search(mathJax); start >= 0; start = out.search(mathJax)) {
    let depth = 0;
    const tags = /<span\b|<\/span>/g;
    tags.lastIndex = start;
    let end = out.length;
    for (let m = tags.exec(out); m !== null; m = tags.exec(out)) {
      depth += m[0] === "</span>" ? -1 : 1;
      if (depth === 0) {
        end = m.index + m[0].length;
        break;
      }
    }
    out = `${out.slice(0, start)} ${out.slice(end)}`;
  }
  return out;
}

function fromApi(text: string): Expected[] {
  const { data } = JSON.parse(text) as { data: { comments: { results: ApiComment[] } } };
  return data.comments.results.map((c) => {
    // The site renders the Markdown when there is one, else shows the forum's HTML (never a <style>'s text). Its math is checked elsewhere: TeX is left out.
    const markdown = c.contents?.markdown;
    const source = markdown ?? textOf(withoutMathJax((c.contents?.html ?? "").replace(/<style[\s\S]*?<\/style>/gi, " ")));
    // A code fence's language is not shown either.
    const withoutTex = source.replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$/g, " ").replace(/^(```|~~~)\S+/gm, "$1");
    return {
      username: c.user.username,
      name: c.user.displayName,
      authorSlug: c.user.slug,
      thread: c.post._id,
      date: c.postedAt,
      words: markdown == null ? wordsIn(withoutTex) : wordsOf(withoutTex),
      ...(markdown == null ? {} : { allowed: new Set(wordsIn(source)) }),
      id: c._id,
      ...(c.parentCommentId ? { parentId: c.parentCommentId } : {}),
      ...(c.pageUrl === undefined ? {} : { pageUrl: c.pageUrl }),
    };
  });
}

const byDate = (a: Expected, b: Expected): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** A thread's comments as its pages list them: each comment followed by its replies, oldest first, and theirs. */
function readingOrder(comments: readonly Expected[]): Expected[] {
  const ids = new Set(comments.map((c) => c.id));
  const children = new Map<string, Expected[]>();
  for (const c of comments) if (c.parentId !== undefined && ids.has(c.parentId)) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c]);
  const out: Expected[] = [];
  const visit = (c: Expected): void => {
    out.push(c);
    for (const child of [...(children.get(c.id ?? "") ?? [])].sort(byDate)) visit(child);
  };
  for (const root of comments.filter((c) => c.parentId === undefined || !ids.has(c.parentId)).sort(byDate)) visit(root);
  return out;
}

const isRoot = (p: Property | undefined): p is Root => typeof p === "object" && "properties" in p;

/** Every h-entry of a parsed page, top level or a child of another microformat, in document order. */
function entries(items: readonly Root[]): Root[] {
  return items.flatMap((item) => [...(item.type?.includes("h-entry") ? [item] : []), ...entries(item.children ?? [])]);
}

const strings = (root: Root, name: string): string[] => (root.properties[name] ?? []).map((p) => (typeof p === "string" ? p : isRoot(p) ? "" : p.value ?? ""));

/** The text of each e-content, its math (MathML, whose text is not the TeX it came from) left out. */
const contents = (root: Root): string[] => (root.properties.content ?? []).map((p) => (typeof p === "object" && "html" in p ? textOf(p.html.replace(/<math[\s\S]*?<\/math>/g, " ")) : ""));

function authorOf(entry: Root): { name: string[]; url: string[] } {
  const [card, ...others] = entry.properties.author ?? [];
  assert.equal(others.length, 0, "one author");
  assert.ok(isRoot(card) && card.type?.includes("h-card"), "the author is an h-card");
  return { name: strings(card, "name"), url: strings(card, "url") };
}

function checkSite(kind: string, archive: string, read: (text: string) => Expected[]): void {
  describe(`microformats of the site built from ${kind}`, () => {
    let site: BuiltSite;
    let comments: Expected[];
    const absolute = (sitePath: string): string => `${site.siteUrl}${site.pathPrefix}${sitePath.replace(/^\//, "")}`;
    const parse = (file: string): Root[] => {
      const html = site.html.get(file);
      assert.ok(html !== undefined, `${file} was built`);
      return mf2(html, { baseUrl: absolute(`/${file.replace(/index\.html$/, "")}`) }).items;
    };
    const pageOf = (c: Expected): string => `${permalink(c).slice(1)}index.html`;
    const urls = (file: string): string[] => entries(parse(file)).map((e) => strings(e, "url").join(" "));

    /**
     * The pages under `folder` (`threads/x/`, its `page/2/`...), each a run of `expected` in order,
     * and together every one of them once. Pages of other lists under it (a year's months) are left out.
     */
    const checkList = (folder: string, expected: readonly Expected[], nested = /^page\/\d+\/index\.html$/): void => {
      const files = [...site.html.keys()].filter((f) => f === `${folder}index.html` || (f.startsWith(folder) && nested.test(f.slice(folder.length))));
      const order = expected.map((c) => absolute(permalink(c)));
      const seen: string[] = [];
      for (const file of files) {
        const listed = urls(file);
        assert.ok(listed.length > 0, `${file} lists comments as h-entries`);
        const start = order.indexOf(listed[0] ?? "");
        assert.deepEqual(listed, order.slice(start, start + listed.length), `${file}: its h-entries are a run of the list, in order`);
        seen.push(...listed);
      }
      assert.deepEqual([...seen].sort(), [...order].sort(), `${folder}: every comment once`);
    };

    before(async () => {
      comments = read(await readFile(archive, "utf8"));
      site = await buildSite(archive);
    });
    after(() => site?.copy.remove());

    test("each comment page is exactly one h-entry: its author's name and page, its date, its URL and its text, nothing else", () => {
      assert.ok(comments.length > 20);
      for (const c of comments) {
        const file = pageOf(c);
        const found = entries(parse(file));
        assert.equal(found.length, 1, `${file}: one h-entry`);
        const entry = found[0] as Root;
        assert.deepEqual(authorOf(entry), { name: [c.name], url: [absolute(`/authors/${c.authorSlug}/`)] }, file);
        assert.deepEqual(strings(entry, "published"), [c.date], file);
        assert.deepEqual(strings(entry, "url"), [absolute(permalink(c))], file);
        const content = contents(entry);
        assert.equal(content.length, 1, `${file}: one e-content`);
        const text = content[0] ?? "";
        assertContent(text, c, file);
        assert.deepEqual(strings(entry, "summary"), [], `${file}: the full text, not an excerpt`);
      }
    });

    test("a reply is in reply to its parent: the parent's page when the archive has it, else the parent on the forum", () => {
      const byId = new Map(comments.map((c) => [c.id, c]));
      let replies = 0;
      for (const c of comments) {
        const entry = entries(parse(pageOf(c)))[0] as Root;
        if (c.parentId === undefined) {
          assert.deepEqual(strings(entry, "in-reply-to"), [], pageOf(c));
          continue;
        }
        replies++;
        const parent = byId.get(c.parentId);
        const forum = new URL(c.pageUrl ?? "");
        forum.searchParams.set("commentId", c.parentId);
        assert.deepEqual(strings(entry, "in-reply-to"), [parent === undefined ? forum.href : absolute(permalink(parent))], pageOf(c));
      }
      if (kind === "the forum's API sample") assert.ok(replies > 5, `${replies} replies checked`);
    });

    test("thread pages list their comments as h-entries in reading order, replies in reply to their parent", () => {
      const threads = new Map<string, Expected[]>();
      for (const c of comments) threads.set(c.thread, [...(threads.get(c.thread) ?? []), c]);
      // A post the archive has no comment on has a thread page too, with no entries.
      const folders = new Set([...site.html.keys()].filter((f) => /^threads\/[^/]+\/index\.html$/.test(f) && urls(f).length > 0).map((f) => f.replace(/index\.html$/, "")));
      assert.equal(folders.size, threads.size, "a thread page per thread");
      const byUrl = new Map(comments.map((c) => [absolute(permalink(c)), c]));
      for (const folder of folders) {
        const first = byUrl.get(urls(`${folder}index.html`)[0] ?? "");
        assert.ok(first !== undefined, `${folder} lists comments of the archive`);
        checkList(folder, readingOrder(threads.get(first.thread) ?? []));
      }
      for (const file of [...site.html.keys()].filter((f) => f.startsWith("threads/"))) {
        for (const entry of entries(parse(file))) {
          const c = byUrl.get(strings(entry, "url")[0] ?? "");
          assert.ok(c !== undefined, `${file}: an h-entry of a comment`);
          assert.deepEqual(authorOf(entry), { name: [c.name], url: [absolute(`/authors/${c.authorSlug}/`)] });
          assert.deepEqual(strings(entry, "published"), [c.date]);
          const content = contents(entry);
          assert.equal(content.length, 1, `${file}: ${permalink(c)} has one e-content`);
          assertContent(content[0] ?? "", c, file);
          const parent = c.parentId === undefined ? undefined : comments.find((p) => p.id === c.parentId);
          if (parent !== undefined) assert.deepEqual(strings(entry, "in-reply-to"), [absolute(permalink(parent))], `${file}: ${permalink(c)} replies to ${permalink(parent)}`);
        }
      }
    });

    test("author, date and home pages list their comments as h-entries with an excerpt, in their order", () => {
      const authors = new Map<string, Expected[]>();
      for (const c of comments) authors.set(c.authorSlug, [...(authors.get(c.authorSlug) ?? []), c]);
      for (const [slug, theirs] of authors) checkList(`authors/${slug}/`, [...theirs].sort(byDate).reverse());
      const periods = new Map<string, Expected[]>();
      for (const c of comments) for (const key of [c.date.slice(0, 4), `${c.date.slice(0, 4)}/${c.date.slice(5, 7)}`]) periods.set(key, [...(periods.get(key) ?? []), c]);
      for (const [key, inPeriod] of periods) checkList(`archive/${key}/`, [...inPeriod].sort(byDate));
      const newest = [...comments].sort(byDate).reverse().slice(0, 10);
      assert.deepEqual(urls("index.html"), newest.map((c) => absolute(permalink(c))), "the home page's latest comments");
      const byUrl = new Map(comments.map((c) => [absolute(permalink(c)), c]));
      for (const file of ["index.html", ...[...authors.keys()].map((slug) => `authors/${slug}/index.html`)]) {
        const feeds = parse(file).filter((item) => item.type?.includes("h-feed"));
        assert.equal(feeds.length, 1, `${file}: its list is an h-feed`);
        for (const entry of entries(feeds)) {
          const c = byUrl.get(strings(entry, "url")[0] ?? "") as Expected;
          assert.deepEqual(authorOf(entry), { name: [c.name], url: [absolute(`/authors/${c.authorSlug}/`)] }, file);
          assert.deepEqual(strings(entry, "published"), [c.date], file);
          assert.deepEqual(strings(entry, "content"), [], `${file}: an excerpt is a summary`);
          const [summary, ...more] = strings(entry, "summary");
          assert.equal(more.length, 0);
          assert.ok(summary !== undefined, `${file}: ${permalink(c)} has a summary`);
          assert.equal(wordsIn(summary)[0], c.words[0], `${file}: ${permalink(c)}'s summary starts as it does`);
        }
      }
    });
  });
}

checkSite("the fixture export", FIXTURE, fromExport);
checkSite("the forum's API sample", FORUM_SAMPLE, fromApi);
