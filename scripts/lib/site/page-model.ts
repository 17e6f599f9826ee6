// The site as a list of output files: each one's URL, its template, and the data that template receives (nothing else reaches it).
import type { AuthorRef, MovedPage, RemovedPage } from "../content/pages.ts";
import { withCommentId } from "../forum-url.ts";
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import { CommentIndexLines, type CommentIndexLine } from "./comment-index.ts";
import { originalLinks, postLinks, type OriginalLink } from "./original-links.ts";
import { FRESH_PARTS, type PageParts, type Parts } from "./page-parts.ts";
import { paginate, type Paged } from "./paginate.ts";
import type { SiteArchive, SiteAuthor, SiteComment, SitePeriod, SiteThread, ThreadEntry } from "./site-archive.ts";
import { activity, activityByHour, leaders, repliedTo, topScored, type Activity, type MonthCount, type Totals } from "./stats.ts";

/** Index pages list one line per thread or author, so they can hold more than a page of comments. */
export const INDEX_PAGE_SIZE = 500;
export const SITEMAP_SIZE = 40_000;
export const FEED_ENTRIES = 50;
/** Comments the home page shows, newest first. */
export const LATEST_COMMENTS = 10;
/** Threads the home page names as the busiest. */
export const BUSIEST_THREADS = 10;
/** Entries of each top list on the statistics page. */
export const STATS_TOP = 10;
export const COMMENT_INDEX_URL = "/comments.json";
/** What a feed says it was updated at when it has no entries and no post to date it. */
const NO_DATE = "1970-01-01T00:00:00.000Z";

/**
 * One page of a paged list, as its template shows it: its place among the list's pages and its
 * items. Not the list's length, which only a list's first page shows (in its own data).
 */
export interface ListPage<T> {
  readonly number: number;
  readonly count: number;
  readonly start: number;
  readonly url: string;
  readonly firstUrl: string;
  readonly previousUrl?: string;
  readonly nextUrl?: string;
  readonly newestFirst?: true;
  readonly items: readonly T[];
}

/** A link to a thread or an author's page, with the count a list shows beside it. */
export interface CountedLink {
  readonly title: string;
  readonly permalink: string;
  readonly comments: number;
}

export interface MonthLine {
  readonly year: string;
  readonly month: string;
  readonly permalink: string;
  readonly comments: number;
}

export interface ThreadHeader {
  readonly title: string;
  readonly slug: string;
  readonly permalink: string;
  readonly post?: { readonly date: string; readonly author: AuthorRef; readonly score?: number; readonly votes?: number };
}

export interface SitemapEntry {
  readonly url: string;
  /** The newest date shown on that page. */
  readonly lastmod?: string;
}

/**
 * What a reply says of the comment it replies to: that comment, when the archive has it (with
 * where its thread page shows it), or else its links on the forum.
 */
export type ReplyTo = { readonly comment: SiteComment; readonly threadPageUrl: string } | { readonly links: readonly OriginalLink[] };

/** A comment in full on its thread's page, indented `depth` levels under the comment it replies to. */
export interface ThreadCard {
  readonly comment: SiteComment;
  readonly depth: number;
  readonly replyTo?: ReplyTo;
}

/**
 * Where the links of the comments a page shows to other forum comments lead on this site: their
 * pages, by forum id, for those the archive has (see localCommentLinks). None when there are none.
 */
export type CommentLinks = Readonly<Record<string, string>>;

/**
 * One end of a neighbour navigation: the comment to link, or, in the author's navigation, which
 * link of the thread's navigation already leads to the same comment (so no comment is linked twice).
 */
export type NeighbourLink = { readonly comment: SiteComment } | { readonly sameAsInThread: "previous" | "next" };

/**
 * A comment page's previous and next comment along its thread, its author's comments, or both
 * orders at once when they give the same comments (`threadAndAuthor`). None at an end of the order.
 */
export interface Neighbours {
  readonly along: "thread" | "author" | "threadAndAuthor";
  readonly previous?: NeighbourLink;
  readonly next?: NeighbourLink;
}

/** What each template receives, by template: `content/<file>.njk` paginates over `render.<template>` (see site-plugin.ts). */
export interface PageData {
  readonly comment: {
    readonly comment: SiteComment;
    /** Its thread page and anchor. */
    readonly threadPageUrl: string;
    /** Its neighbours in its thread and by its author: one navigation when they are the same comments, else two, the thread's first. */
    readonly neighbours: readonly Neighbours[];
    readonly replyTo?: ReplyTo;
    /** Its replies in the archive, oldest first; none when it has none. */
    readonly replies?: readonly SiteComment[];
    readonly links?: CommentLinks;
  };
  readonly thread: {
    readonly thread: ThreadHeader;
    /** The post on its forum and on GreaterWrong, when a comment of the thread came from the forum. */
    readonly postLinks: readonly OriginalLink[];
    readonly list: ListPage<ThreadCard>;
    readonly links?: CommentLinks;
    /** The oldest and newest date of the comments on this page (replies follow their parent, so neither need be at an end). */
    readonly shown?: { readonly first: string; readonly last: string };
    /** On the first page only, so a new comment leaves the pages before the last as they are. */
    readonly summary?: { readonly comments: number; readonly authors: number; readonly first?: string; readonly last?: string };
  };
  readonly author: {
    readonly author: AuthorRef & { readonly permalink: string };
    /** Newest first. */
    readonly list: ListPage<SiteComment>;
    /** On the author's own page only (the newest): older pages keep their items for good. */
    readonly own?: {
      readonly comments: number;
      readonly threadCount: number;
      readonly first?: string;
      readonly last?: string;
      readonly posts: readonly (CountedLink & { readonly date: string; readonly score?: number })[];
      readonly recentThreads: readonly { readonly title: string; readonly permalink: string }[];
      readonly activity: Activity;
    };
  };
  readonly period: {
    readonly period: { readonly key: string; readonly year: string; readonly month?: string; readonly permalink: string };
    readonly list: ListPage<SiteComment>;
    readonly own?: { readonly comments: number; readonly months: readonly MonthLine[] };
  };
  readonly threadIndex: {
    readonly threads: number;
    readonly list: ListPage<CountedLink & { readonly latest?: string; readonly postAuthor?: string }>;
  };
  readonly authorIndex: {
    readonly authors: number;
    readonly list: ListPage<{
      readonly name: string;
      readonly username: string;
      readonly permalink: string;
      readonly comments: number;
      readonly threadCount: number;
      readonly posts: number;
      readonly first?: string;
      readonly last?: string;
    }>;
  };
  readonly home: {
    readonly comments: number;
    readonly threads: number;
    readonly authors: number;
    readonly firstYear?: string;
    readonly lastYear?: string;
    /** Newest first. */
    readonly latest: readonly SiteComment[];
    readonly busiest: readonly CountedLink[];
    readonly authorList: readonly { readonly name: string; readonly permalink: string; readonly comments: number }[];
  };
  readonly stats: {
    readonly totals: Totals;
    readonly months: readonly MonthCount[];
    /** Comments per weekday (Monday first) and UTC hour. */
    readonly weekdayHours: readonly (readonly number[])[];
    readonly busiest: readonly CountedLink[];
    /** Only when some comment came from the forum's API, which gives replies and karma. */
    readonly forum?: {
      readonly replies: number;
      /** Replies to comments the archive does not hold, whose authors it does not know. */
      readonly parentUnknown: number;
      readonly repliedTo: readonly { readonly name: string; readonly permalink: string; readonly replies: number }[];
      readonly topScored: readonly {
        readonly permalink: string;
        readonly score: number;
        readonly date: string;
        readonly author: { readonly name: string; readonly permalink: string };
        readonly thread: { readonly title: string; readonly permalink: string };
      }[];
    };
  };
  readonly dates: {
    readonly comments: number;
    readonly years: readonly { readonly year: string; readonly permalink: string; readonly comments: number; readonly months: readonly MonthLine[] }[];
  };
  /** The Atom feeds: entries newest first. */
  readonly feed: { readonly entries: readonly SiteComment[]; readonly links?: CommentLinks };
  readonly threadFeed: { readonly thread: { readonly title: string; readonly permalink: string }; readonly fallbackUpdated: string; readonly entries: readonly SiteComment[]; readonly links?: CommentLinks };
  readonly authorFeed: { readonly author: { readonly name: string; readonly permalink: string }; readonly fallbackUpdated: string; readonly entries: readonly SiteComment[]; readonly links?: CommentLinks };
  /** `/comments.json`, by URL. */
  readonly commentIndex: { readonly lines: readonly CommentIndexLine[] };
  readonly sitemapIndex: { readonly files: readonly string[] };
  readonly sitemap: { readonly entries: readonly SitemapEntry[] };
  readonly moved: { readonly moved: MovedPage };
  readonly removed: { readonly removed: RemovedPage };
  /** `scored`: some comment has a karma to sort by. */
  readonly search: { readonly comments: number; readonly scored: boolean };
  readonly notFound: Readonly<Record<string, never>>;
  readonly robots: Readonly<Record<string, never>>;
}

export type Template = keyof PageData;

export const TEMPLATES: readonly Template[] = [
  "comment",
  "thread",
  "author",
  "period",
  "threadIndex",
  "authorIndex",
  "home",
  "stats",
  "dates",
  "feed",
  "threadFeed",
  "authorFeed",
  "commentIndex",
  "sitemapIndex",
  "sitemap",
  "moved",
  "removed",
  "search",
  "notFound",
  "robots",
];

/** One output file: where it is published, which template renders it, and all that template is given. */
export interface SitePage<T extends Template = Template> {
  readonly template: T;
  /** Site path (`/threads/x/`, `/feed.xml`), without the path prefix. */
  readonly url: string;
  readonly data: PageData[T];
}

/** The pages of the site, by template; each list in a fixed order. */
export type SitePages = { readonly [T in Template]: readonly SitePage<T>[] };

export interface PageModelOptions {
  /** URLs per sitemap file: search engines accept at most 50,000. */
  readonly sitemapSize?: number;
  /** The lines of `/comments.json` the last model made, by comment digest (a dev server keeps them between rebuilds). */
  readonly commentIndex?: CommentIndexLines;
  /** The parts of the last model, to reuse those made of the same inputs (a dev server keeps them between rebuilds). */
  readonly parts?: PageParts;
}

function listPage<T, U>(page: Paged<T>, item: (value: T, index: number) => U): ListPage<U>;
function listPage<T>(page: Paged<T>): ListPage<T>;
function listPage<T, U>(page: Paged<T>, item?: (value: T, index: number) => U): ListPage<T | U> {
  const items = item === undefined ? page.items : page.items.map(item);
  return {
    number: page.number,
    count: page.count,
    start: page.start,
    url: page.url,
    firstUrl: page.firstUrl,
    ...(page.previousUrl === undefined ? {} : { previousUrl: page.previousUrl }),
    ...(page.nextUrl === undefined ? {} : { nextUrl: page.nextUrl }),
    ...(page.newestFirst === undefined ? {} : { newestFirst: page.newestFirst }),
    items,
  };
}

/** The post without `source` (which export listed it), which no page shows. */
function threadHeader(thread: SiteThread): ThreadHeader {
  const header = { title: thread.title, slug: thread.slug, permalink: thread.permalink };
  if (thread.post === undefined) return header;
  const { date, author, score, votes } = thread.post;
  return { ...header, post: { date, author, ...(score === undefined ? {} : { score }), ...(votes === undefined ? {} : { votes }) } };
}

const newestFirst = <T>(list: readonly T[], count: number): T[] => list.slice(-count).reverse();

const counted = (t: SiteThread): CountedLink => ({ title: t.title, permalink: t.permalink, comments: t.comments.length });

const monthLine = (m: SitePeriod): MonthLine => ({ year: m.year, month: m.month ?? "", permalink: m.permalink, comments: m.comments.length });

/**
 * The `count` threads with most comments, most first; ties by the newest comment (or post), then
 * slug (see leaders).
 */
export function busiest(threads: readonly SiteThread[], count: number): SiteThread[] {
  const last = (t: SiteThread): string => t.comments.at(-1)?.date ?? t.post?.date ?? "";
  const before = (a: SiteThread, b: SiteThread): boolean => {
    if (a.comments.length !== b.comments.length) return a.comments.length > b.comments.length;
    const [lastA, lastB] = [last(a), last(b)];
    return lastA !== lastB ? lastA > lastB : a.slug < b.slug;
  };
  return leaders(threads, count, before);
}

/** The newest date of the comments a list page shows. */
function newestDate(comments: readonly SiteComment[]): string | undefined {
  let newest: string | undefined;
  for (const c of comments) if (newest === undefined || c.date > newest) newest = c.date;
  return newest;
}

const entry = (url: string, lastmod: string | undefined): SitemapEntry => (lastmod === undefined ? { url } : { url, lastmod });

/** Where each comment's thread page shows it (page and anchor). */
function threadPageUrls(threads: readonly SiteThread[]): Map<SiteComment, string> {
  const urls = new Map<SiteComment, string>();
  for (const thread of threads) for (const page of thread.pages) for (const { comment } of page.items) urls.set(comment, `${page.url}#${comment.anchor}`);
  return urls;
}

/** What `comment` replies to: its parent in the archive, or the parent's links on the forum; nothing for a comment that replies to none. */
function replyTo(comment: SiteComment, archive: SiteArchive, threadPageUrl: ReadonlyMap<SiteComment, string>): ReplyTo | undefined {
  const parent = archive.parents.get(comment);
  if (parent !== undefined) return { comment: parent, threadPageUrl: threadPageUrl.get(parent) ?? "" };
  const parentId = comment.forum?.parentCommentId;
  if (parentId === undefined) return undefined;
  const links = originalLinks(withCommentId(comment.forum?.pageUrl, parentId), "the comment it replies to");
  return links.length === 0 ? undefined : { links };
}

/** `replyTo` of each comment, worked out once for both pages that show it (its own and its thread's). */
function repliesTo(archive: SiteArchive, threadPageUrl: ReadonlyMap<SiteComment, string>): (comment: SiteComment) => ReplyTo | undefined {
  const known = new Map<SiteComment, ReplyTo | undefined>();
  return (comment) => {
    if (known.has(comment)) return known.get(comment);
    const parent = replyTo(comment, archive, threadPageUrl);
    known.set(comment, parent);
    return parent;
  };
}

/** The pages of the archive's forum comments, by forum id. */
type ForumPages = ReadonlyMap<string, string>;

/** `{ links }` for the links the comments make to others the archive has; nothing when they make none. */
function linksOf(comments: readonly SiteComment[], pages: ForumPages): { links?: CommentLinks } {
  let links: Record<string, string> | undefined;
  for (const c of comments) {
    for (const id of c.linkedComments) {
      const page = pages.get(id);
      if (page !== undefined) (links ??= {})[id] = page;
    }
  }
  return links === undefined ? {} : { links };
}

interface Adjacent {
  readonly previous?: SiteComment | undefined;
  readonly next?: SiteComment | undefined;
}

/** Each comment's previous and next in each of `lists` (a comment is in one list at most). */
function adjacentIn(lists: readonly (readonly SiteComment[])[]): Map<SiteComment, Adjacent> {
  const adjacent = new Map<SiteComment, Adjacent>();
  for (const comments of lists) {
    for (let i = 0; i < comments.length; i++) adjacent.set(comments[i] as SiteComment, { previous: comments[i - 1], next: comments[i + 1] });
  }
  return adjacent;
}

/** A navigation with only the links there are: a page's data has no undefined to tell apart from a missing one. */
function navigation(along: Neighbours["along"], previous: NeighbourLink | undefined, next: NeighbourLink | undefined): Neighbours {
  const made: Mutable<Neighbours> = { along };
  if (previous !== undefined) made.previous = previous;
  if (next !== undefined) made.next = next;
  return made;
}

function linked(comment: SiteComment | undefined): NeighbourLink | undefined {
  return comment === undefined ? undefined : { comment };
}

/** A link of the author's navigation: to the comment, or to the thread's link that leads there already. */
function byAuthorLink(comment: SiteComment | undefined, inThread: Adjacent): NeighbourLink | undefined {
  if (comment === undefined) return undefined;
  if (comment === inThread.previous) return { sameAsInThread: "previous" };
  if (comment === inThread.next) return { sameAsInThread: "next" };
  return { comment };
}

/**
 * The navigations of a comment page: its thread's and its author's, or one for both when they
 * lead to the same comments (often so: a reply follows its author's previous comment). A comment
 * the thread's navigation links is only named in the author's.
 */
export function neighbourNavigations(inThread: Adjacent, byAuthor: Adjacent): Neighbours[] {
  if (inThread.previous === byAuthor.previous && inThread.next === byAuthor.next) return [navigation("threadAndAuthor", linked(inThread.previous), linked(inThread.next))];
  return [navigation("thread", linked(inThread.previous), linked(inThread.next)), navigation("author", byAuthorLink(byAuthor.previous, inThread), byAuthorLink(byAuthor.next, inThread))];
}

/**
 * A thread's pages, made of the thread, what each of its comments replies to (in reading order)
 * and where the links of each page's comments lead on this site.
 */
function threadPages(t: SiteThread, replyTos: readonly (ReplyTo | undefined)[], links: readonly (CommentLinks | undefined)[]): SitePage<"thread">[] {
  const first = t.comments[0]?.date;
  const last = t.comments.at(-1)?.date;
  const summary = { comments: t.comments.length, authors: t.authors.length, ...(first === undefined ? {} : { first }), ...(last === undefined ? {} : { last }) };
  const post = postLinks(t.comments.find((c) => c.forum?.pageUrl !== undefined)?.forum?.pageUrl);
  const header = threadHeader(t);
  let shownBefore = 0;
  return t.pages.map((page, n): SitePage<"thread"> => {
    const start = shownBefore;
    shownBefore += page.items.length;
    const card = ({ comment, depth }: ThreadEntry, i: number): ThreadCard => {
      const replyTo = replyTos[start + i];
      return replyTo === undefined ? { comment, depth } : { comment, depth, replyTo };
    };
    const own = page.url === page.firstUrl ? { summary } : {};
    const dates = page.items.map((e) => e.comment.date).sort();
    const [oldest, newest] = [dates[0], dates.at(-1)];
    const shown = page.url === page.firstUrl || oldest === undefined || newest === undefined ? {} : { shown: { first: oldest, last: newest } };
    const pageLinks = links[n];
    return { template: "thread", url: page.url, data: { thread: header, postLinks: post, list: listPage(page, card), ...(pageLinks === undefined ? {} : { links: pageLinks }), ...shown, ...own } };
  });
}

/** An author's pages: the newest comments first, their totals on their own page. */
function authorPages(a: SiteAuthor): SitePage<"author">[] {
  const first = a.comments[0]?.date;
  const last = a.comments.at(-1)?.date;
  // Only the author's own page shows it, and an author with thousands of comments has hundreds of pages.
  const own = (): NonNullable<PageData["author"]["own"]> => ({
    comments: a.comments.length,
    threadCount: a.threadCount,
    ...(first === undefined ? {} : { first }),
    ...(last === undefined ? {} : { last }),
    posts: a.posts.map((t) => ({ ...counted(t), date: t.post?.date ?? "", ...(t.post?.score === undefined ? {} : { score: t.post.score }) })),
    recentThreads: a.recentThreads.map((t) => ({ title: t.title, permalink: t.permalink })),
    activity: activity(a.comments),
  });
  return a.pages.map((page): SitePage<"author"> => {
    const data = { author: { username: a.username, name: a.name, slug: a.slug, permalink: a.permalink }, list: listPage(page), ...(page.url === page.firstUrl ? { own: own() } : {}) };
    return { template: "author", url: page.url, data };
  });
}

/** A year's or a month's pages: its comments, oldest first, and on its first page its count and months. */
function periodPages(p: SitePeriod): SitePage<"period">[] {
  const header = { key: p.key, year: p.year, ...(p.month === undefined ? {} : { month: p.month }), permalink: p.permalink };
  const own = { comments: p.comments.length, months: p.months.map(monthLine) };
  return p.pages.map((page): SitePage<"period"> => ({ template: "period", url: page.url, data: { period: header, list: listPage(page), ...(page.url === page.firstUrl ? { own } : {}) } }));
}

/**
 * A comment's page, made of the comment, where its thread shows it, its neighbours in its thread
 * and by its author, what it replies to, its replies and where its links lead on this site.
 */
function commentPage(
  comment: SiteComment,
  threadPageUrl: string,
  inThread: SiteComment | undefined,
  nextInThread: SiteComment | undefined,
  byAuthor: SiteComment | undefined,
  nextByAuthor: SiteComment | undefined,
  replyTo: ReplyTo | undefined,
  replies: readonly SiteComment[] | undefined,
  links: CommentLinks | undefined,
): SitePage<"comment"> {
  // Only the values there are: a page's data has no undefined to tell apart from a missing one.
  const page: Mutable<PageData["comment"]> = {
    comment,
    threadPageUrl,
    neighbours: neighbourNavigations({ previous: inThread, next: nextInThread }, { previous: byAuthor, next: nextByAuthor }),
  };
  if (replyTo !== undefined) page.replyTo = replyTo;
  if (replies !== undefined) page.replies = replies;
  if (links !== undefined) page.links = links;
  return { template: "comment", url: comment.permalink, data: page };
}

/** Each comment's page (see commentPage), each a part of the model kept while what it is made of is the same. */
function commentPages(archive: SiteArchive, threadPageUrl: ReadonlyMap<SiteComment, string>, replyToOf: (comment: SiteComment) => ReplyTo | undefined, forumPages: ForumPages, parts: Parts): SitePage<"comment">[] {
  const inThread = adjacentIn(archive.threads.map((t) => t.comments));
  const byAuthor = adjacentIn(archive.authors.map((a) => a.comments));
  return archive.comments.map((comment) => {
    const thread = inThread.get(comment);
    const author = byAuthor.get(comment);
    const { links } = linksOf([comment], forumPages);
    const replies = archive.replies.get(comment);
    return parts.part(comment.permalink, commentPage, comment, threadPageUrl.get(comment) ?? "", thread?.previous, thread?.next, author?.previous, author?.next, replyToOf(comment), replies, links);
  });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The statistics page's numbers and links: a pass over the comments' facts, and one over the replies and scores of forum comments. */
function statsData(archive: SiteArchive): PageData["stats"] {
  const { totals, months, weekdayHours } = activityByHour(archive.comments);
  const data = { totals, months, weekdayHours, busiest: busiest(archive.threads.filter((t) => t.comments.length > 0), STATS_TOP).map(counted) };
  if (!archive.comments.some((c) => c.forum !== undefined)) return data;
  const replies = repliedTo(archive.comments, archive.parents, STATS_TOP);
  const forum = {
    replies: replies.replies,
    parentUnknown: replies.parentUnknown,
    repliedTo: replies.authors.map(({ author, replies }) => ({ name: author.name, permalink: authorPermalink(author.slug), replies })),
    topScored: topScored(archive.comments, STATS_TOP).map((c) => ({
      permalink: c.permalink,
      score: c.forum?.baseScore ?? 0,
      date: c.date,
      author: { name: c.author.name, permalink: authorPermalink(c.author.slug) },
      thread: { title: c.thread.title, permalink: threadPermalink(c.thread.slug) },
    })),
  };
  return { ...data, forum };
}

/** Every output file of the site made of `archive`, by template. */
export function sitePages(archive: SiteArchive, options: PageModelOptions = {}): SitePages {
  const parts: Parts = options.parts ?? FRESH_PARTS;
  const { threads, authors, years, months } = archive;
  const newestComment = archive.comments.at(-1)?.date;
  const threadPageUrl = threadPageUrls(threads);
  const forumPages = new Map<string, string>();
  for (const c of archive.comments) if (c.forum?.id !== undefined) forumPages.set(c.forum.id, c.permalink);
  const replyToOf = repliesTo(archive, threadPageUrl);
  const thread = threads.flatMap((t) => {
    const replyTos = t.pages.flatMap((page) => page.items.map((e) => replyToOf(e.comment)));
    const links = t.pages.map((page) => linksOf(page.items.map((e) => e.comment), forumPages).links);
    return parts.part(t.permalink, threadPages, t, replyTos, links);
  });
  const author = authors.flatMap((a) => parts.part(a.permalink, authorPages, a));
  const period = [...years, ...months].flatMap((p) => parts.part(p.permalink, periodPages, p));

  const threadIndex = paginate(threads, INDEX_PAGE_SIZE, "/threads/").map(
    (page): SitePage<"threadIndex"> => ({
      template: "threadIndex",
      url: page.url,
      data: {
        threads: threads.length,
        list: listPage(page, (t) => {
          const latest = t.comments.at(-1)?.date;
          return { ...counted(t), ...(latest === undefined ? {} : { latest }), ...(t.post === undefined ? {} : { postAuthor: t.post.author.name }) };
        }),
      },
    }),
  );

  const authorIndex = paginate(authors, INDEX_PAGE_SIZE, "/authors/").map(
    (page): SitePage<"authorIndex"> => ({
      template: "authorIndex",
      url: page.url,
      data: {
        authors: authors.length,
        list: listPage(page, (a) => {
          const first = a.comments[0]?.date;
          const last = a.comments.at(-1)?.date;
          const dates = first === undefined || last === undefined ? {} : { first, last };
          return { name: a.name, username: a.username, permalink: a.permalink, comments: a.comments.length, threadCount: a.threadCount, posts: a.posts.length, ...dates };
        }),
      },
    }),
  );

  const firstYear = years[0]?.year;
  const lastYear = years.at(-1)?.year;
  const home: SitePage<"home"> = {
    template: "home",
    url: "/",
    data: {
      comments: archive.comments.length,
      threads: threads.length,
      authors: authors.length,
      ...(firstYear === undefined ? {} : { firstYear }),
      ...(lastYear === undefined ? {} : { lastYear }),
      latest: newestFirst(archive.comments, LATEST_COMMENTS),
      busiest: busiest(threads, BUSIEST_THREADS).map(counted),
      authorList: authors.map((a) => ({ name: a.name, permalink: a.permalink, comments: a.comments.length })),
    },
  };

  const stats: SitePage<"stats"> = { template: "stats", url: "/stats/", data: statsData(archive) };

  const dates: SitePage<"dates"> = {
    template: "dates",
    url: "/archive/",
    data: { comments: archive.comments.length, years: years.map((y) => ({ year: y.year, permalink: y.permalink, comments: y.comments.length, months: y.months.map(monthLine) })) },
  };

  const comment = commentPages(archive, threadPageUrl, replyToOf, forumPages, parts);

  // Comments last and oldest first: a new comment then changes only the last sitemap file (and,
  // through the lists that show it, the first), and an edited one none.
  const listed = (pages: readonly SitePage<"author" | "period">[]): SitemapEntry[] => pages.map((p) => entry(p.url, newestDate(p.data.list.items)));
  const threadEntries = thread.map((p) => entry(p.url, newestDate(p.data.list.items.map((c) => c.comment))));
  const sitemapEntries: SitemapEntry[] = [
    entry("/", newestComment),
    ...threadIndex.map((p) => entry(p.url, undefined)),
    ...authorIndex.map((p) => entry(p.url, undefined)),
    entry("/archive/", newestComment),
    entry("/stats/", newestComment),
    ...threadEntries,
    ...listed(author),
    ...listed(period),
    ...archive.comments.map((c) => entry(c.permalink, c.date)),
  ];
  const sitemap = paginate(sitemapEntries, options.sitemapSize ?? SITEMAP_SIZE, "/sitemaps/").map(
    (page): SitePage<"sitemap"> => ({ template: "sitemap", url: `/sitemaps/${page.number}.xml`, data: { entries: page.items } }),
  );

  const indexLines = (options.commentIndex ?? new CommentIndexLines()).lines(archive.comments);
  const entriesOf = (comments: readonly SiteComment[]): { entries: readonly SiteComment[]; links?: CommentLinks } => {
    const entries = newestFirst(comments, FEED_ENTRIES);
    return { entries, ...linksOf(entries, forumPages) };
  };
  parts.settle();
  return {
    comment,
    thread,
    author,
    period,
    threadIndex,
    authorIndex,
    home: [home],
    stats: [stats],
    dates: [dates],
    feed: [{ template: "feed", url: "/feed.xml", data: entriesOf(archive.comments) }],
    threadFeed: threads.map((t) => ({
      template: "threadFeed",
      url: `${t.permalink}feed.xml`,
      data: { thread: { title: t.title, permalink: t.permalink }, fallbackUpdated: t.post?.date ?? NO_DATE, ...entriesOf(t.comments) },
    })),
    authorFeed: authors.map((a) => ({
      template: "authorFeed",
      url: `${a.permalink}feed.xml`,
      data: { author: { name: a.name, permalink: a.permalink }, fallbackUpdated: a.posts[0]?.post?.date ?? NO_DATE, ...entriesOf(a.comments) },
    })),
    commentIndex: [{ template: "commentIndex", url: COMMENT_INDEX_URL, data: { lines: indexLines } }],
    sitemapIndex: [{ template: "sitemapIndex", url: "/sitemap.xml", data: { files: sitemap.map((p) => p.url) } }],
    sitemap,
    moved: archive.moved.map((moved) => ({ template: "moved", url: moved.url, data: { moved } })),
    removed: archive.removed.map((removed) => ({ template: "removed", url: removed.url, data: { removed } })),
    search: [{ template: "search", url: "/search/", data: { comments: archive.comments.length, scored: archive.comments.some((c) => typeof c.forum?.baseScore === "number") } }],
    notFound: [{ template: "notFound", url: "/404.html", data: {} }],
    robots: [{ template: "robots", url: "/robots.txt", data: {} }],
  };
}
