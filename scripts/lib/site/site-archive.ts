// Builds, once per build, everything the templates list: threads, authors, date archives, page chunks.
import type { AuthorRef, CommentPage, MovedPage, RemovedPage, ThreadPage } from "../content/pages.ts";
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import { paginate, paginateNewestFirst, type Paged } from "./paginate.ts";

/** A comment as the templates see it: its page's facts, its rendered text and its neighbours. */
export interface SiteComment extends CommentPage {
  /** The import's page file (front matter + Markdown), copied next to the HTML as `index.md`. */
  file: string;
  /** Digest of what the comment shows (its facts and Markdown): see `commentDigest`. */
  digest: string;
  readonly html: string;
  readonly text: string;
  /** Unique per site; used as the anchor on listing pages and the footnote scope. */
  anchor: string;
  year: string;
  month: string;
  previousInThread?: SiteComment;
  nextInThread?: SiteComment;
  previousByAuthor?: SiteComment;
  nextByAuthor?: SiteComment;
  /** The thread page (and anchor) the comment is listed on. */
  threadPageUrl: string;
}

export interface SiteThread extends ThreadPage {
  /** Oldest first. */
  comments: SiteComment[];
  authors: AuthorRef[];
  pages: Paged<SiteComment>[];
}

export interface SiteAuthor extends AuthorRef {
  permalink: string;
  /** Newest first. */
  comments: SiteComment[];
  /** How many threads they commented on. */
  threadCount: number;
  /** The threads of their latest comments, most recent first, at most AUTHOR_RECENT_THREADS: what their own page lists (an author may have commented on thousands). */
  recentThreads: SiteThread[];
  posts: SiteThread[];
  first?: string;
  last?: string;
  pages: Paged<SiteComment>[];
}

export interface SitePeriod {
  /** `2021` or `2021-05`. */
  key: string;
  year: string;
  month?: string;
  permalink: string;
  /** Oldest first. */
  comments: SiteComment[];
  months: SitePeriod[];
  pages: Paged<SiteComment>[];
}

/** One URL of the sitemap: a site-relative path, and the newest date shown on that page. */
export interface SitemapEntry {
  url: string;
  lastmod?: string;
}

export interface SitemapFile {
  /** 1-based. */
  number: number;
  /** `/sitemaps/<number>.xml` */
  url: string;
  entries: SitemapEntry[];
}

export interface SiteArchive {
  /** Newest first. */
  comments: SiteComment[];
  /** By slug. */
  threads: SiteThread[];
  /** The BUSIEST_THREADS threads with most comments, most first; ties by the newest comment, then slug. */
  busiestThreads: SiteThread[];
  authors: SiteAuthor[];
  /** The `/threads/` and `/authors/` index pages. */
  threadIndexPages: Paged<SiteThread>[];
  authorIndexPages: Paged<SiteAuthor>[];
  years: SitePeriod[];
  months: SitePeriod[];
  /** Published URLs that now redirect (moved) or say their comment left the archive (removed). */
  moved: MovedPage[];
  removed: RemovedPage[];
  /** Flat lists for Eleventy's pagination (one entry per output page). */
  threadPages: { thread: SiteThread; page: Paged<SiteComment> }[];
  authorPages: { author: SiteAuthor; page: Paged<SiteComment> }[];
  periodPages: { period: SitePeriod; page: Paged<SiteComment> }[];
  /** Every listed page, split so that no sitemap file passes `sitemapSize` URLs. */
  sitemapFiles: SitemapFile[];
  /** Comments in each thread and author feed. */
  feedEntries: number;
  /** What the templates paginate over: every page, unless a render plan chose the changed ones (see render-plan.ts). */
  render: RenderLists;
}

/** The lists of pages the templates paginate over, one output file (or two) per item. */
export interface RenderLists {
  comments: SiteComment[];
  threadPages: { thread: SiteThread; page: Paged<SiteComment> }[];
  authorPages: { author: SiteAuthor; page: Paged<SiteComment> }[];
  periodPages: { period: SitePeriod; page: Paged<SiteComment> }[];
  threadFeeds: SiteThread[];
  authorFeeds: SiteAuthor[];
  moved: MovedPage[];
  removed: RemovedPage[];
  threadIndexPages: Paged<SiteThread>[];
  authorIndexPages: Paged<SiteAuthor>[];
  sitemapFiles: SitemapFile[];
  /** The comment index for programs (`/comments.json`), by its URL: every comment's facts, without its text. */
  commentIndex: string[];
}

export interface SiteArchiveOptions {
  /** URLs per sitemap file: search engines accept at most 50,000. */
  sitemapSize?: number;
}

export interface LoadedComment {
  readonly page: CommentPage;
  /** The import's page file, published as the comment's raw Markdown. */
  readonly file: string;
  readonly digest: string;
  /** May be read from disk when asked for (see render-cache.ts): hold on to the comment, not its text. */
  readonly html: string;
  readonly text: string;
}

/** A comment's anchor on listing pages, also the scope of its footnote ids. */
export function commentAnchor(page: Pick<CommentPage, "id">): string {
  return `c-${page.id.replace("/", "-")}`;
}

/**
 * A comment as listed: its facts are copied, its HTML and text are asked of the loaded comment
 * each time, so a build holds the text of only the comments it is rendering.
 */
class ListedComment implements SiteComment {
  readonly id: string;
  readonly author: CommentPage["author"];
  readonly thread: CommentPage["thread"];
  readonly date: string;
  readonly permalink: string;
  readonly source: CommentPage["source"];
  readonly forum: CommentPage["forum"];
  readonly file: string;
  readonly digest: string;
  readonly anchor: string;
  readonly year: string;
  readonly month: string;
  threadPageUrl = "";
  previousInThread: SiteComment | undefined = undefined;
  nextInThread: SiteComment | undefined = undefined;
  previousByAuthor: SiteComment | undefined = undefined;
  nextByAuthor: SiteComment | undefined = undefined;
  readonly #loaded: LoadedComment;

  constructor(loaded: LoadedComment) {
    const { page } = loaded;
    this.id = page.id;
    this.author = page.author;
    this.thread = page.thread;
    this.date = page.date;
    this.permalink = page.permalink;
    this.source = page.source;
    this.forum = page.forum;
    this.file = loaded.file;
    this.digest = loaded.digest;
    this.anchor = commentAnchor(page);
    this.year = page.date.slice(0, 4);
    this.month = page.date.slice(5, 7);
    this.#loaded = loaded;
  }

  get html(): string {
    return this.#loaded.html;
  }

  get text(): string {
    return this.#loaded.text;
  }
}

export const THREAD_PAGE_SIZE = 100;
export const LIST_PAGE_SIZE = 100;
/** Index pages list one line per thread or author, so they can hold more than a page of comments. */
export const INDEX_PAGE_SIZE = 500;
export const SITEMAP_SIZE = 40_000;
export const FEED_ENTRIES = 50;
export const AUTHOR_RECENT_THREADS = 100;
/** Threads the home page names as the busiest. */
export const BUSIEST_THREADS = 10;
export const COMMENT_INDEX_URL = "/comments.json";

/** Oldest first; ids are unique, so this is a total order and any input order gives the same list. */
export const byDateAsc = (a: { date: string; id: string }, b: { date: string; id: string }): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  let lastKey: string | undefined;
  let lastGroup: T[] = [];
  for (const item of items) {
    const k = key(item);
    // Lists in date order come in runs (a month's comments, a thread's replies in a row): no lookup for those.
    if (k !== lastKey) {
      let group = groups.get(k);
      if (group === undefined) groups.set(k, (group = []));
      lastKey = k;
      lastGroup = group;
    }
    lastGroup.push(item);
  }
  return groups;
}

/**
 * Sets each comment's neighbours along a thread or an author's list, oldest first. Two functions
 * with the property named, not one with the name as a parameter: at 100,000 comments a store
 * through a computed name costs ten times as much.
 */
function linkInThread(list: SiteComment[]): void {
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as SiteComment;
    c.previousInThread = list[i - 1];
    c.nextInThread = list[i + 1];
  }
}

function linkByAuthor(list: SiteComment[]): void {
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as SiteComment;
    c.previousByAuthor = list[i - 1];
    c.nextByAuthor = list[i + 1];
  }
}

/**
 * The newest date of the comments a list page shows: what a crawler would see change. Every list
 * is in date order, one way or the other, so it is at one end.
 */
function newestDate(comments: SiteComment[]): string | undefined {
  const first = comments[0]?.date;
  const last = comments.at(-1)?.date;
  return first === undefined || last === undefined ? (first ?? last) : first > last ? first : last;
}

/**
 * The `count` threads with most comments, most first; ties by the newest comment (or post), then
 * slug. One pass that keeps the leaders, not a sort of 12,000 threads for the ten a page shows.
 */
export function busiest(threads: SiteThread[], count: number): SiteThread[] {
  const last = (t: SiteThread): string => t.comments.at(-1)?.date ?? t.post?.date ?? "";
  const before = (a: SiteThread, b: SiteThread): boolean => {
    if (a.comments.length !== b.comments.length) return a.comments.length > b.comments.length;
    const [lastA, lastB] = [last(a), last(b)];
    return lastA !== lastB ? lastA > lastB : a.slug < b.slug;
  };
  const leaders: SiteThread[] = [];
  for (const thread of threads) {
    const tail = leaders.at(-1);
    if (leaders.length === count && (tail === undefined || !before(thread, tail))) continue;
    let at = leaders.length;
    while (at > 0 && before(thread, leaders[at - 1] as SiteThread)) at--;
    leaders.splice(at, 0, thread);
    if (leaders.length > count) leaders.pop();
  }
  return leaders;
}

function entry(url: string, lastmod: string | undefined): SitemapEntry {
  return lastmod === undefined ? { url } : { url, lastmod };
}

/** Splits the sitemap's URLs into files of at most `size`; always at least one file. */
export function sitemapFiles(entries: SitemapEntry[], size = SITEMAP_SIZE): SitemapFile[] {
  return paginate(entries, size, "/sitemaps/", "sitemap").map((page) => ({ number: page.number, url: `/sitemaps/${page.number}.xml`, entries: page.items }));
}

/** Whether two lists hold the same objects in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `newestFirst` is `oldestFirst` reversed, object for object. */
function sameReversed<T>(newestFirst: readonly T[], oldestFirst: readonly T[]): boolean {
  if (newestFirst.length !== oldestFirst.length) return false;
  for (let i = 0, j = oldestFirst.length - 1; j >= 0; i++, j--) if (newestFirst[i] !== oldestFirst[j]) return false;
  return true;
}

/**
 * What one buildSiteArchive made, for the next over mostly the same comments (a dev server's
 * rebuilds, see ArchiveFiles): a comment, thread, author or period whose inputs are the objects
 * they were last time is taken as it was, its links and pages included, instead of made again.
 * What the plan worked out from those objects holds too (see PlanMemory). Every object the
 * archive hands out is left as made, but for a comment's links and thread page, which are set
 * again whenever its thread or author is made again.
 */
export class SiteArchiveMemory {
  comments = new Map<LoadedComment, SiteComment>();
  threads = new Map<string, SiteThread>();
  authors = new Map<string, SiteAuthor>();
  /** Years and months, by key (`2021`, `2021-05`). */
  periods = new Map<string, SitePeriod>();
  /** The sitemap's entry of a comment or of a page (a Paged), which neither changes once made. */
  readonly sitemapEntries = new WeakMap<object, SitemapEntry>();
}

export function buildSiteArchive(
  loaded: LoadedComment[],
  threadPages: ThreadPage[],
  ledgerPages: { moved: MovedPage[]; removed: RemovedPage[] } = { moved: [], removed: [] },
  options: SiteArchiveOptions = {},
  memory?: SiteArchiveMemory,
): SiteArchive {
  const listed = new Map<LoadedComment, SiteComment>();
  const ascending: SiteComment[] = loaded
    .map((c) => {
      const comment = memory?.comments.get(c) ?? new ListedComment(c);
      if (memory !== undefined) listed.set(c, comment);
      return comment;
    })
    .sort(byDateAsc);

  const commentsByThread = groupBy(ascending, (c) => c.thread.slug);
  const threadInfo = new Map(threadPages.map((t) => [t.slug, t]));
  // A thread without a page of its own takes its title from its oldest comment.
  for (const [slug, [oldest]] of commentsByThread) if (oldest !== undefined && !threadInfo.has(slug)) threadInfo.set(slug, { title: oldest.thread.title, slug, permalink: threadPermalink(slug) });

  const threads: SiteThread[] = [...threadInfo.values()]
    .map((info) => {
      const comments = commentsByThread.get(info.slug) ?? [];
      const earlier = memory?.threads.get(info.slug);
      if (earlier !== undefined && earlier.title === info.title && earlier.permalink === info.permalink && earlier.post === info.post && sameItems(earlier.comments, comments)) return earlier;
      linkInThread(comments);
      const pages = paginate(comments, THREAD_PAGE_SIZE, info.permalink, info.title);
      for (const page of pages) for (const c of page.items) c.threadPageUrl = `${page.url}#${c.anchor}`;
      // In order of first comment, each named as on their latest; a loop, not 100,000 pairs in a Map's constructor.
      const byUsername = new Map<string, AuthorRef>();
      for (const c of comments) byUsername.set(c.author.username, c.author);
      const authors = [...byUsername.values()];
      return { ...info, comments, authors, pages };
    })
    .sort((a, b) => (a.slug < b.slug ? -1 : 1));
  const threadBySlug = new Map(threads.map((t) => [t.slug, t]));

  const commentsByAuthor = groupBy(ascending, (c) => c.author.username);
  // An author is named as on their newest comment.
  const refs = new Map<string, AuthorRef>();
  for (const [username, comments] of commentsByAuthor) {
    const newest = comments.at(-1);
    if (newest !== undefined) refs.set(username, newest.author);
  }
  for (const t of threads) if (t.post && !refs.has(t.post.author.username)) refs.set(t.post.author.username, t.post.author);
  const postsByAuthor = groupBy(
    threads.filter((t) => t.post !== undefined),
    (t) => t.post?.author.username ?? "",
  );
  const authors: SiteAuthor[] = [...refs.values()]
    .map((ref) => {
      const oldestFirst = commentsByAuthor.get(ref.username) ?? [];
      const recentSlugs = new Set<string>();
      for (let i = oldestFirst.length - 1; i >= 0 && recentSlugs.size < AUTHOR_RECENT_THREADS; i--) recentSlugs.add((oldestFirst[i] as SiteComment).thread.slug);
      const recentThreads = [...recentSlugs].flatMap((s) => threadBySlug.get(s) ?? []);
      const posts = (postsByAuthor.get(ref.username) ?? []).sort((a, b) => ((a.post?.date ?? "") > (b.post?.date ?? "") ? -1 : 1));
      const earlier = memory?.authors.get(ref.username);
      if (
        earlier !== undefined &&
        earlier.name === ref.name &&
        earlier.slug === ref.slug &&
        sameReversed(earlier.comments, oldestFirst) &&
        sameItems(earlier.recentThreads, recentThreads) &&
        sameItems(earlier.posts, posts)
      ) {
        return earlier;
      }
      linkByAuthor(oldestFirst);
      const comments = [...oldestFirst].reverse();
      const permalink = authorPermalink(ref.slug);
      const threadSlugs = new Set<string>();
      for (const c of oldestFirst) threadSlugs.add(c.thread.slug);
      const author: SiteAuthor = {
        ...ref,
        permalink,
        comments,
        threadCount: threadSlugs.size,
        recentThreads,
        posts,
        pages: paginateNewestFirst(oldestFirst, LIST_PAGE_SIZE, permalink, ref.name),
      };
      const first = oldestFirst[0]?.date;
      const last = oldestFirst.at(-1)?.date;
      if (first !== undefined) author.first = first;
      if (last !== undefined) author.last = last;
      return author;
    })
    .sort((a, b) => (a.slug < b.slug ? -1 : 1));

  const period = (key: string, comments: SiteComment[], months: SitePeriod[]): SitePeriod => {
    const [year = "", month] = key.split("-");
    const permalink = month === undefined ? `/archive/${year}/` : `/archive/${year}/${month}/`;
    const p: SitePeriod = { key, year, permalink, comments, months, pages: paginate(comments, LIST_PAGE_SIZE, permalink, key) };
    if (month !== undefined) p.month = month;
    return p;
  };
  const months = [...groupBy(ascending, (c) => `${c.year}-${c.month}`)].map(([key, cs]) => {
    const earlier = memory?.periods.get(key);
    return earlier !== undefined && sameItems(earlier.comments, cs) ? earlier : period(key, cs, []);
  });
  // A year is the same while its months are; its comments are its months', in order: no second pass over every comment.
  const years = [...groupBy(months, (m) => m.year)].map(([year, ms]) => {
    const earlier = memory?.periods.get(year);
    return earlier !== undefined && sameItems(earlier.months, ms) ? earlier : period(year, ms.flatMap((m) => m.comments), ms);
  });
  if (memory !== undefined) {
    memory.comments = listed;
    memory.threads = new Map(threads.map((t) => [t.slug, t]));
    memory.authors = new Map(authors.map((a) => [a.username, a]));
    memory.periods = new Map([...years, ...months].map((p) => [p.key, p]));
  }

  const comments = [...ascending].reverse();
  const busiestThreads = busiest(threads, BUSIEST_THREADS);
  const threadIndexPages = paginate(threads, INDEX_PAGE_SIZE, "/threads/", "Threads");
  const authorIndexPages = paginate(authors, INDEX_PAGE_SIZE, "/authors/", "Authors");
  const threadPageList = threads.flatMap((thread) => thread.pages.map((page) => ({ thread, page })));
  const authorPageList = authors.flatMap((author) => author.pages.map((page) => ({ author, page })));
  const periodPageList = [...years, ...months].flatMap((period) => period.pages.map((page) => ({ period, page })));

  const newestComment = comments[0]?.date;
  // The same entry objects as last time where the comment or page is the same (see PlanMemory's sitemap digests).
  const remembered = <T extends object>(made: (item: T) => SitemapEntry): ((item: T) => SitemapEntry) => {
    const entries = memory?.sitemapEntries;
    if (entries === undefined) return made;
    return (item) => {
      let known = entries.get(item);
      if (known === undefined) entries.set(item, (known = made(item)));
      return known;
    };
  };
  const pageEntry = remembered((page: Paged<SiteComment>) => entry(page.url, newestDate(page.items)));
  const commentEntry = remembered((c: SiteComment) => entry(c.permalink, c.date));
  // Comments last and oldest first: a new comment then changes only the last sitemap file (and,
  // through the lists that show it, the first), and an edited one none.
  const sitemap: SitemapEntry[] = [
    entry("/", newestComment),
    ...threadIndexPages.map((p) => entry(p.url, undefined)),
    ...authorIndexPages.map((p) => entry(p.url, undefined)),
    entry("/archive/", newestComment),
    ...threadPageList.map(({ page }) => pageEntry(page)),
    ...authorPageList.map(({ page }) => pageEntry(page)),
    ...periodPageList.map(({ page }) => pageEntry(page)),
    ...ascending.map(commentEntry),
  ];

  const byUrl = <T extends { url: string }>(pages: T[]): T[] => [...pages].sort((a, b) => (a.url < b.url ? -1 : 1));
  const lists = {
    moved: byUrl(ledgerPages.moved),
    removed: byUrl(ledgerPages.removed),
    threadPages: threadPageList,
    authorPages: authorPageList,
    periodPages: periodPageList,
    threadIndexPages,
    authorIndexPages,
    sitemapFiles: sitemapFiles(sitemap, options.sitemapSize),
  };
  return {
    ...lists,
    comments,
    threads,
    busiestThreads,
    authors,
    years,
    months,
    feedEntries: FEED_ENTRIES,
    render: { ...lists, comments, threadFeeds: threads, authorFeeds: authors, commentIndex: [COMMENT_INDEX_URL] },
  };
}
