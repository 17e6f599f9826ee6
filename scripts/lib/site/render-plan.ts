// Which listed pages a build renders: each page's digest of what it shows, against the digests of the build before.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AuthorRef, ThreadPage } from "../content/pages.ts";
import { textDigest } from "../text-digest.ts";
import { CommentIndex } from "./comment-index.ts";
import type { Paged } from "./paginate.ts";
import type { RenderLists, SiteArchive, SiteAuthor, SiteComment, SitemapEntry, SitemapFile, SitePeriod, SiteThread } from "./site-archive.ts";
import { COMMENT_INDEX_URL, FEED_ENTRIES, sameItems } from "./site-archive.ts";

/**
 * What the last build published: the digest of every listed page's output file (site-relative
 * path). Pages that are not listed (home, search, feeds of the whole site, ...) are rendered by
 * every build and are not in it.
 */
export interface SiteManifest {
  version: 4;
  /** See `renderingCodeDigest`: with other templates or code, no page digest can be trusted. */
  codeDigest: string;
  /** Listed pages but comments': output file -> digest. Maps, not objects: a plain object of 100,000 keys costs ten times as much to fill and to compare. */
  files: Map<string, string>;
  /** Comment pages, by their HTML file (their Markdown beside it, see `markdownBeside`, shares the entry). */
  comments: Map<string, CommentPageEntry>;
}

export interface CommentPageEntry {
  /** Of the page: the comment and what else it shows (see `commentPage`). */
  digest: string;
  /**
   * Of what the search indexes of the page: the comment itself (its digest). A page re-rendered
   * only because a neighbour changed (its links) need not be indexed again.
   */
  indexed: string;
}

/** The manifest as a file holds it: the maps as lists of [file, digest] and [html file, digest, indexed]. */
interface StoredSiteManifest {
  version: 4;
  codeDigest: string;
  files: [string, string][];
  comments: [string, string, string][];
}

export interface RenderPlan {
  render: RenderLists;
  /** The manifest of the site this build publishes (rendered and kept pages alike). */
  manifest: SiteManifest;
  /** Listed pages to render, of all there are. */
  rendering: number;
  listed: number;
  /** Every page is rendered: there was no previous manifest, or one made by other code. */
  whole: boolean;
}

/** Pages whose few files are cheap to render and whose digest would cost as much as rendering them. */
const ALWAYS = "*";

const sha1 = (text: string): string => textDigest("sha1", text);

const digestOf = (...parts: (string | number | undefined)[]): string => sha1(parts.map((p) => (p === undefined ? "\u0001" : String(p))).join("\0"));

/** `previous` when its digests can be compared with those of a build by `codeDigest`. */
function comparable(previous: SiteManifest | undefined, codeDigest: string): SiteManifest | undefined {
  return previous?.version === 4 && previous.codeDigest === codeDigest ? previous : undefined;
}

/** `/a/b/` -> `a/b/`. Site paths start with one slash: the regular expression (slower, and called twice a comment) is for anything else. */
function relativePath(url: string): string {
  return url.startsWith("/") && !url.startsWith("//") ? url.slice(1) : url.replace(/^\/+/, "");
}

/** `/a/b/` -> `a/b/index.html`, `/a/feed.xml` -> `a/feed.xml`. */
export function outputFile(url: string): string {
  const relative = relativePath(url);
  return relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
}

/** The comment's Markdown, published beside its page. */
export function markdownFile(comment: SiteComment): string {
  return `${relativePath(comment.permalink)}index.md`;
}

/** `comments/a/b/index.html` -> `comments/a/b/index.md`: a comment page's Markdown, from its HTML file. */
export function markdownBeside(html: string): string {
  return `${html.slice(0, html.length - "index.html".length)}index.md`;
}

/** A page's place in its list and its items; not the list's length, which only a list's first page shows (with its other facts). */
function pagedFacts(page: Paged<SiteComment>): string {
  return [page.label, page.number, page.count, page.start, page.url, page.previousUrl ?? "", page.nextUrl ?? "", ...page.items.map((c) => c.digest)].join("\0");
}

/** A thread's own facts; `source` (where an export lists the post) is shown nowhere. */
function threadFacts(thread: ThreadPage): string {
  const post = thread.post === undefined ? undefined : { ...thread.post, source: undefined };
  return JSON.stringify({ title: thread.title, slug: thread.slug, permalink: thread.permalink, post });
}

const authorFacts = (author: AuthorRef & { permalink: string }): string => JSON.stringify([author.username, author.name, author.slug, author.permalink]);

/** A comment page shows the comment, where its thread lists it, and its four neighbours. */
function commentPage(c: SiteComment): string {
  return digestOf("comment", c.digest, c.threadPageUrl, c.previousInThread?.digest, c.nextInThread?.digest, c.previousByAuthor?.digest, c.nextByAuthor?.digest);
}

/** A comment page's manifest entry and HTML file, with what its digest was made of besides the comment. */
interface CommentPagePlan extends CommentPageEntry {
  html: string;
  threadPageUrl: string;
  neighbours: [string | undefined, string | undefined, string | undefined, string | undefined];
}

/** Whether `c`'s neighbours are still those a plan remembers; compared one by one, not as a new array per comment. */
function sameNeighbours(known: CommentPagePlan["neighbours"], c: SiteComment): boolean {
  return known[0] === c.previousInThread?.digest && known[1] === c.nextInThread?.digest && known[2] === c.previousByAuthor?.digest && known[3] === c.nextByAuthor?.digest;
}

/**
 * What the plans of one Eleventy instance remember for the next (a dev server plans each rebuild
 * in the same instance; see site-plugin.ts): each comment page by its comment's digest (which covers its permalink,
 * hence its files), so that a rebuild compares the five facts the page's digest is made of
 * besides the comment instead of joining and hashing them again, and reuses the file names; and
 * the lines of /comments.json. Comments of earlier plans are dropped when they outnumber those of the last.
 */
export class PlanMemory {
  readonly commentIndex = new CommentIndex();
  readonly #commentPages = new Map<string, CommentPagePlan>();
  /**
   * Digests of listed outputs by the object each is made from: a page of a thread, an author or a
   * period (its Paged), a thread's or an author's feed (the thread, the author). The archive hands
   * out such an object again only when all it shows is the same (see SiteArchiveMemory).
   */
  readonly #outputDigests = new WeakMap<object, string>();

  outputDigest(source: object, digest: () => string): string {
    let made = this.#outputDigests.get(source);
    if (made === undefined) this.#outputDigests.set(source, (made = digest()));
    return made;
  }

  /** Each sitemap file's entries and digest, by URL: the same entry objects (see SiteArchiveMemory) give the same digest. */
  readonly #sitemaps = new Map<string, { entries: SitemapEntry[]; digest: string }>();

  sitemapDigest(file: SitemapFile): string {
    const known = this.#sitemaps.get(file.url);
    if (known !== undefined && sameItems(known.entries, file.entries)) return known.digest;
    const digest = sitemapFile(file);
    this.#sitemaps.set(file.url, { entries: file.entries, digest });
    return digest;
  }

  commentPage(c: SiteComment): CommentPagePlan {
    const known = this.#commentPages.get(c.digest);
    if (known !== undefined && known.threadPageUrl === c.threadPageUrl && sameNeighbours(known.neighbours, c)) return known;
    const neighbours = [c.previousInThread?.digest, c.nextInThread?.digest, c.previousByAuthor?.digest, c.nextByAuthor?.digest] as const;
    const plan: CommentPagePlan = { digest: commentPage(c), indexed: c.digest, html: outputFile(c.permalink), threadPageUrl: c.threadPageUrl, neighbours: [...neighbours] };
    this.#commentPages.set(c.digest, plan);
    return plan;
  }

  forgetOldCommentPages(comments: SiteComment[]): void {
    if (this.#commentPages.size <= 2 * comments.length + 1000) return;
    const kept = comments.flatMap((c): [string, CommentPagePlan][] => {
      const plan = this.#commentPages.get(c.digest);
      return plan === undefined ? [] : [[c.digest, plan]];
    });
    this.#commentPages.clear();
    for (const [digest, plan] of kept) this.#commentPages.set(digest, plan);
  }
}

/** Only a thread's first page shows its count and dates: a new comment leaves the pages before the last as they were. */
function threadPage(thread: SiteThread, page: Paged<SiteComment>): string {
  if (page.url !== page.firstUrl) return digestOf("thread", threadFacts(thread), pagedFacts(page));
  return digestOf("thread", threadFacts(thread), thread.comments.length, thread.comments[0]?.date, thread.comments.at(-1)?.date, thread.authors.length, pagedFacts(page));
}

/**
 * An author's own page shows their counts and dates, lists their posts and the threads of their
 * latest comments; their older pages show only the comments they hold (see paginateNewestFirst).
 */
function authorPage(author: SiteAuthor, page: Paged<SiteComment>): string {
  if (page.url !== page.firstUrl) return digestOf("author", authorFacts(author), pagedFacts(page));
  const lists = [...author.posts.map((t) => `${threadFacts(t)}\0${t.comments.length}`), ...author.recentThreads.map((t) => `${t.permalink}\0${t.title}`)].join("\0");
  return digestOf("author", authorFacts(author), author.comments.length, author.threadCount, author.posts.length, author.first, author.last, pagedFacts(page), lists);
}

/** A page of `/threads/`: each thread's line (see content/threads.njk) and the number of threads. */
function threadIndexPage(page: Paged<SiteThread>, threads: number): string {
  const lines = page.items.map((t) => [t.permalink, t.title, t.comments.length, t.comments.at(-1)?.date ?? "", t.post?.author.name ?? ""].join("\0"));
  return sha1(["thread-index", threads, page.number, page.count, page.url, page.previousUrl ?? "", page.nextUrl ?? "", ...lines].join("\n"));
}

/** Only a period's first page shows its count and a year's months (as a thread's, see threadPage). */
function periodPage(period: SitePeriod, page: Paged<SiteComment>): string {
  if (page.url !== page.firstUrl) return digestOf("period", period.key, pagedFacts(page));
  const months = period.months.map((m) => `${m.permalink}\0${m.comments.length}`).join("\0");
  return digestOf("period", period.key, period.comments.length, months, pagedFacts(page));
}

function threadFeed(thread: SiteThread): string {
  return digestOf("thread-feed", threadFacts(thread), ...thread.comments.slice(-FEED_ENTRIES).map((c) => c.digest));
}

function authorFeed(author: SiteAuthor): string {
  return digestOf("author-feed", authorFacts(author), author.posts[0]?.post?.date, ...author.comments.slice(0, FEED_ENTRIES).map((c) => c.digest));
}

function sitemapFile(file: SitemapFile): string {
  return digestOf("sitemap", ...file.entries.map((e) => `${e.url} ${e.lastmod ?? ""}`));
}

/** One listed output: the files it writes, its digest, and the list it is rendered from. */
interface Listed<T> {
  item: T;
  files: string[];
  digest: string;
}

/**
 * Plans a build: with `previous` (the manifest of the site being updated, made by the same code),
 * only pages whose digest changed are rendered; without it, every page. `memory`: what earlier
 * plans of the same Eleventy instance worked out (see PlanMemory).
 */
export function planRender(archive: SiteArchive, codeDigest: string, previous?: SiteManifest, memory = new PlanMemory()): RenderPlan {
  const usable = comparable(previous, codeDigest);
  const files = new Map<string, string>();
  const comments = new Map<string, CommentPageEntry>();
  let listed = 0;
  let rendering = 0;
  const select = <T>(entries: Listed<T>[]): T[] => {
    const chosen: T[] = [];
    for (const { item, files: outputs, digest } of entries) {
      listed += 1;
      for (const file of outputs) files.set(file, digest);
      const first = outputs[0];
      if (usable === undefined || digest === ALWAYS || first === undefined || usable.files.get(first) !== digest) {
        chosen.push(item);
        rendering += 1;
      }
    }
    return chosen;
  };
  const pages = <T extends { page: Paged<SiteComment> }>(list: T[], digest: (entry: T) => string): Listed<T>[] =>
    list.map((entry) => ({ item: entry, files: [outputFile(entry.page.url)], digest: memory.outputDigest(entry.page, () => digest(entry)) }));
  // As `select` does, without a list of Listed entries: there is one per comment.
  const selectComments = (): SiteComment[] => {
    const chosen: SiteComment[] = [];
    for (const c of archive.comments) {
      const plan = memory.commentPage(c);
      listed += 1;
      // The plan itself is the entry: one Map entry per comment, and no new object.
      comments.set(plan.html, plan);
      if (usable === undefined || usable.comments.get(plan.html)?.digest !== plan.digest) {
        chosen.push(c);
        rendering += 1;
      }
    }
    memory.forgetOldCommentPages(archive.comments);
    return chosen;
  };

  const render: RenderLists = {
    comments: selectComments(),
    threadPages: select(pages(archive.threadPages, (e) => threadPage(e.thread, e.page))),
    authorPages: select(pages(archive.authorPages, (e) => authorPage(e.author, e.page))),
    periodPages: select(pages(archive.periodPages, (e) => periodPage(e.period, e.page))),
    threadFeeds: select(archive.threads.map((t) => ({ item: t, files: [outputFile(`${t.permalink}feed.xml`)], digest: memory.outputDigest(t, () => threadFeed(t)) }))),
    authorFeeds: select(archive.authors.map((a) => ({ item: a, files: [outputFile(`${a.permalink}feed.xml`)], digest: memory.outputDigest(a, () => authorFeed(a)) }))),
    moved: select(archive.moved.map((m) => ({ item: m, files: [outputFile(m.url)], digest: digestOf("moved", JSON.stringify(m)) }))),
    removed: select(archive.removed.map((r) => ({ item: r, files: [outputFile(r.url)], digest: digestOf("removed", JSON.stringify(r)) }))),
    threadIndexPages: select(archive.threadIndexPages.map((p) => ({ item: p, files: [outputFile(p.url)], digest: threadIndexPage(p, archive.threads.length) }))),
    authorIndexPages: select(archive.authorIndexPages.map((p) => ({ item: p, files: [outputFile(p.url)], digest: ALWAYS }))),
    sitemapFiles: select(archive.sitemapFiles.map((f) => ({ item: f, files: [outputFile(f.url)], digest: memory.sitemapDigest(f) }))),
    commentIndex: select([{ item: COMMENT_INDEX_URL, files: [outputFile(COMMENT_INDEX_URL)], digest: memory.commentIndex.digest(archive.authors) }]),
  };
  return { render, manifest: { version: 4, codeDigest, files, comments }, rendering, listed, whole: usable === undefined };
}

/** Files the previous site had and this one does not: pages of comments, threads, authors that left, and their feeds. */
export function retiredFiles(previous: SiteManifest, next: SiteManifest): string[] {
  const retired: string[] = [];
  // A URL may change kind: a comment that moved leaves a redirect page at its old URL, and a removed one may come back.
  for (const file of previous.files.keys()) if (!next.files.has(file) && !next.comments.has(file)) retired.push(file);
  for (const html of previous.comments.keys()) {
    if (next.comments.has(html)) continue;
    if (!next.files.has(html)) retired.push(html);
    retired.push(markdownBeside(html));
  }
  return retired;
}

/**
 * Comment pages the search must index again after `previous`: those whose comment is new or
 * changed, and those that left. Without a comparable previous manifest, all of them.
 */
export function searchChanges(previous: SiteManifest | undefined, next: SiteManifest): string[] {
  const before = comparable(previous, next.codeDigest)?.comments ?? new Map<string, CommentPageEntry>();
  const changed: string[] = [];
  for (const [file, entry] of next.comments) if (before.get(file)?.indexed !== entry.indexed) changed.push(file);
  for (const file of before.keys()) if (!next.comments.has(file)) changed.push(file);
  return changed;
}

/** The manifest in `file`, or undefined when there is none or it cannot be read (the build then renders everything). */
export async function readManifest(file: string): Promise<SiteManifest | undefined> {
  try {
    const stored = JSON.parse(await readFile(file, "utf8")) as StoredSiteManifest;
    if (stored.version !== 4 || typeof stored.codeDigest !== "string" || !Array.isArray(stored.files) || !Array.isArray(stored.comments)) return undefined;
    const comments = new Map<string, CommentPageEntry>();
    for (const [html, digest, indexed] of stored.comments) comments.set(html, { digest, indexed });
    return { version: 4, codeDigest: stored.codeDigest, files: new Map(stored.files), comments };
  } catch {
    return undefined;
  }
}

/** Written beside and renamed, so that a reader finds the whole file or none. */
async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(data));
  await rename(`${file}.tmp`, file);
}

export function writeManifest(file: string, manifest: SiteManifest): Promise<void> {
  const comments: [string, string, string][] = [];
  for (const [html, { digest, indexed }] of manifest.comments) comments.push([html, digest, indexed]);
  const stored: StoredSiteManifest = { version: 4, codeDigest: manifest.codeDigest, files: [...manifest.files], comments };
  return writeJson(file, stored);
}

/** The build's changes, beside the manifest in `manifestFile` (see `changesFile`). */
export function writeChanges(manifestFile: string, changes: SiteChanges): Promise<void> {
  return writeJson(changesFile(manifestFile), changes);
}

/**
 * What a build that updates a site changed, written beside its manifest (see `changesFile`), so
 * the build need not read both manifests (tens of megabytes at 100,000 comments) again. A build
 * that rendered every page publishes them whole instead of moving them into the site one by one.
 */
export interface SiteChanges {
  /** False: every page was rendered (there was no previous manifest, or one made by other code). */
  updated: boolean;
  /** Output files of the previous site that this one no longer has. */
  retired: string[];
  /** Comment pages to index again (see `searchChanges`). */
  indexed: string[];
}

export function siteChanges(previous: SiteManifest | undefined, next: SiteManifest): SiteChanges {
  if (previous === undefined) return { updated: false, retired: [], indexed: [] };
  return { updated: comparable(previous, next.codeDigest) !== undefined, retired: retiredFiles(previous, next), indexed: searchChanges(previous, next) };
}

/** `.cache/site-manifest.next.json` -> `.cache/site-manifest.next.changes.json`. */
export function changesFile(manifestFile: string): string {
  return `${manifestFile.replace(/\.json$/, "")}.changes.json`;
}

export async function readChanges(file: string): Promise<SiteChanges> {
  const changes = JSON.parse(await readFile(file, "utf8")) as SiteChanges;
  if (typeof changes.updated !== "boolean" || !Array.isArray(changes.retired) || !Array.isArray(changes.indexed)) throw new Error(`${file}: not a list of site changes`);
  return changes;
}
