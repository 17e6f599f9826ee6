// The archive as the site groups it: comments, their threads, authors, years and months, each list in its reading order.
import type { AuthorRef, CommentForumFacts, CommentPage, MovedPage, RemovedPage, ThreadPage } from "../content/pages.ts";
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import { FRESH_PARTS, type Parts } from "./page-parts.ts";
import { paginate, paginateNewestFirst, type Paged } from "./paginate.ts";
import { countWords } from "./plain-text.ts";

/** A comment as pages show it: its facts and its rendered text, nothing about its neighbours. */
export interface SiteComment {
  readonly id: string;
  readonly author: AuthorRef;
  readonly thread: { readonly title: string; readonly slug: string };
  readonly date: string;
  readonly permalink: string;
  readonly forum?: CommentForumFacts;
  /** The import's page file (front matter + Markdown), copied next to the HTML as `index.md`. */
  readonly file: string;
  /** Digest of what the comment shows (its facts and Markdown): see `commentDigest`. */
  readonly digest: string;
  /** Unique per site; used as the anchor on listing pages and the footnote scope. */
  readonly anchor: string;
  readonly year: string;
  readonly month: string;
  readonly html: string;
  readonly text: string;
  /** The forum ids of the comments its text links to. */
  readonly linkedComments: readonly string[];
  /** How many words its text has (see countWords), known without reading the text. */
  readonly words: number;
}

/** A comment where its thread page shows it: replies follow their parent, `depth` levels in. */
export interface ThreadEntry {
  readonly comment: SiteComment;
  /** 0 for a comment whose parent is not in the archive (or that has none). */
  readonly depth: number;
}

export interface SiteThread extends ThreadPage {
  /** Oldest first. */
  readonly comments: readonly SiteComment[];
  /** In order of first comment, each named as on their latest. */
  readonly authors: readonly AuthorRef[];
  /** In reading order: each comment followed by its replies (oldest first), those by theirs. */
  readonly pages: readonly Paged<ThreadEntry>[];
}

export interface SiteAuthor extends AuthorRef {
  readonly permalink: string;
  /** Oldest first. */
  readonly comments: readonly SiteComment[];
  /** How many threads they commented on. */
  readonly threadCount: number;
  /** The threads of their latest comments, most recent first, at most AUTHOR_RECENT_THREADS: what their own page lists (an author may have commented on thousands). */
  readonly recentThreads: readonly SiteThread[];
  /** Newest first. */
  readonly posts: readonly SiteThread[];
  /** Newest first: the author's own page holds the newest comments (see paginateNewestFirst). */
  readonly pages: readonly Paged<SiteComment>[];
}

export interface SitePeriod {
  /** `2021` or `2021-05`. */
  readonly key: string;
  readonly year: string;
  readonly month?: string;
  readonly permalink: string;
  /** Oldest first. */
  readonly comments: readonly SiteComment[];
  /** A year's months; none for a month. */
  readonly months: readonly SitePeriod[];
  readonly pages: readonly Paged<SiteComment>[];
}

export interface SiteArchive {
  /** Oldest first. */
  readonly comments: readonly SiteComment[];
  /** By slug. */
  readonly threads: readonly SiteThread[];
  /** By slug. */
  readonly authors: readonly SiteAuthor[];
  readonly years: readonly SitePeriod[];
  readonly months: readonly SitePeriod[];
  /** Published URLs that now redirect (moved) or say their comment left the archive (removed), by URL. */
  readonly moved: readonly MovedPage[];
  readonly removed: readonly RemovedPage[];
  /** The comment each forum comment replies to, when that one is in the archive too. */
  readonly parents: ReadonlyMap<SiteComment, SiteComment>;
  /** The replies in the archive to each comment that has any, oldest first. */
  readonly replies: ReadonlyMap<SiteComment, readonly SiteComment[]>;
}

export interface LoadedComment {
  readonly page: CommentPage;
  /** The import's page file, published as the comment's raw Markdown. */
  readonly file: string;
  readonly digest: string;
  /** May be read from disk when asked for (see render-cache.ts): hold on to the comment, not its text. */
  readonly html: string;
  readonly text: string;
  /** The forum ids of the comments its text links to (none for a text export's). */
  readonly linkedComments?: readonly string[];
  /** Words of its text, counted where it was rendered; counted from the text when not given. */
  readonly words?: number;
}

/** A comment's anchor on listing pages, also the scope of its footnote ids. */
export function commentAnchor(page: Pick<CommentPage, "id">): string {
  return `c-${page.id.replace("/", "-")}`;
}

/**
 * A comment as listed: its facts are copied, its HTML and text are asked of the loaded comment
 * each time, so a build holds the text of only the comments it is rendering. As data of a page
 * (see page-model.ts) it stands for its digest, which covers every fact and its text.
 */
class ListedComment implements SiteComment {
  readonly id: string;
  readonly author: AuthorRef;
  readonly thread: { readonly title: string; readonly slug: string };
  readonly date: string;
  readonly permalink: string;
  readonly forum?: CommentForumFacts;
  readonly file: string;
  readonly digest: string;
  readonly anchor: string;
  readonly year: string;
  readonly month: string;
  readonly linkedComments: readonly string[];
  readonly #loaded: LoadedComment;
  #words: number | undefined;

  constructor(loaded: LoadedComment) {
    const { page } = loaded;
    this.id = page.id;
    this.author = page.author;
    this.thread = page.thread;
    this.date = page.date;
    this.permalink = page.permalink;
    if (page.forum !== undefined) this.forum = page.forum;
    this.file = loaded.file;
    this.digest = loaded.digest;
    this.anchor = commentAnchor(page);
    this.year = page.date.slice(0, 4);
    this.month = page.date.slice(5, 7);
    this.linkedComments = loaded.linkedComments ?? [];
    this.#loaded = loaded;
    this.#words = loaded.words;
    Object.freeze(this);
  }

  get html(): string {
    return this.#loaded.html;
  }

  get text(): string {
    return this.#loaded.text;
  }

  get words(): number {
    return (this.#words ??= countWords(this.#loaded.text));
  }

  /** What a page digest sees of the comment (see pageDigest): its digest stands for its facts and text. */
  toJSON(): string {
    return this.digest;
  }
}

export const THREAD_PAGE_SIZE = 100;
export const LIST_PAGE_SIZE = 100;
export const AUTHOR_RECENT_THREADS = 100;

/** Oldest first; ids are unique, so this is a total order and any input order gives the same list. */
export const byDateAsc = (a: { date: string; id: string }, b: { date: string; id: string }): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
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

const bySlug = (a: { slug: string }, b: { slug: string }): number => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
const byUrl = <T extends { url: string }>(pages: readonly T[]): T[] => [...pages].sort((a, b) => (a.url < b.url ? -1 : 1));

/**
 * A thread's comments in reading order: each one that replies to none in the thread, oldest
 * first, followed by its replies, depth first. Every comment is listed once, even in a cycle of
 * replies (which only bad input makes): whatever no root leads to is listed where it falls.
 */
function readingOrder(comments: readonly SiteComment[], parents: ReadonlyMap<SiteComment, SiteComment>, replies: ReadonlyMap<SiteComment, readonly SiteComment[]>): ThreadEntry[] {
  const entries: ThreadEntry[] = [];
  const inThread = new Set(comments);
  const listed = new Set<SiteComment>();
  const visit = (root: SiteComment): void => {
    // A stack, not recursion: a chain of replies may be thousands deep.
    const stack: ThreadEntry[] = [{ comment: root, depth: 0 }];
    for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
      if (listed.has(entry.comment)) continue;
      listed.add(entry.comment);
      entries.push(entry);
      const children = (replies.get(entry.comment) ?? []).filter((r) => inThread.has(r));
      for (let i = children.length - 1; i >= 0; i--) stack.push({ comment: children[i] as SiteComment, depth: entry.depth + 1 });
    }
  };
  for (const c of comments) {
    const parent = parents.get(c);
    if (parent === undefined || !inThread.has(parent)) visit(c);
  }
  for (const c of comments) if (!listed.has(c)) visit(c);
  return entries;
}

/** A thread of `comments` (oldest first): replies follow their parent in the thread (see readingOrder). */
function threadOf(info: ThreadPage, comments: readonly SiteComment[]): SiteThread {
  // A loop, not 100,000 pairs in a Map's constructor.
  const byUsername = new Map<string, AuthorRef>();
  for (const c of comments) byUsername.set(c.author.username, c.author);
  const { parents, replies } = replyLinks(comments);
  const entries = parents.size === 0 ? comments.map((comment) => ({ comment, depth: 0 })) : readingOrder(comments, parents, replies);
  return { ...info, comments, authors: [...byUsername.values()], pages: paginate(entries, THREAD_PAGE_SIZE, info.permalink) };
}

/** Which comment each forum comment replies to, among those in the archive, and each one's replies. */
function replyLinks(comments: readonly SiteComment[]): { parents: Map<SiteComment, SiteComment>; replies: Map<SiteComment, SiteComment[]> } {
  const parents = new Map<SiteComment, SiteComment>();
  const replies = new Map<SiteComment, SiteComment[]>();
  const byForumId = new Map<string, SiteComment>();
  for (const c of comments) if (c.forum?.id !== undefined) byForumId.set(c.forum.id, c);
  if (byForumId.size === 0) return { parents, replies };
  for (const c of comments) {
    const parentId = c.forum?.parentCommentId;
    const parent = parentId === undefined ? undefined : byForumId.get(parentId);
    if (parent === undefined || parent === c) continue;
    parents.set(c, parent);
    const list = replies.get(parent);
    if (list === undefined) replies.set(parent, [c]);
    else list.push(c);
  }
  return { parents, replies };
}

/** The threads of an author's latest comments, most recent first (see SiteAuthor.recentThreads). */
function recentThreads(oldestFirst: readonly SiteComment[], threadBySlug: ReadonlyMap<string, SiteThread>): SiteThread[] {
  const recentSlugs = new Set<string>();
  for (let i = oldestFirst.length - 1; i >= 0 && recentSlugs.size < AUTHOR_RECENT_THREADS; i--) recentSlugs.add((oldestFirst[i] as SiteComment).thread.slug);
  return [...recentSlugs].flatMap((s) => threadBySlug.get(s) ?? []);
}

function authorOf(ref: AuthorRef, oldestFirst: readonly SiteComment[], recent: readonly SiteThread[], posts: readonly SiteThread[]): SiteAuthor {
  const threadSlugs = new Set<string>();
  for (const c of oldestFirst) threadSlugs.add(c.thread.slug);
  const permalink = authorPermalink(ref.slug);
  return {
    username: ref.username,
    name: ref.name,
    slug: ref.slug,
    permalink,
    comments: oldestFirst,
    threadCount: threadSlugs.size,
    recentThreads: recent,
    posts: [...posts].sort((a, b) => ((a.post?.date ?? "") > (b.post?.date ?? "") ? -1 : 1)),
    pages: paginateNewestFirst(oldestFirst, LIST_PAGE_SIZE, permalink),
  };
}

function periodOf(key: string, comments: readonly SiteComment[], months: readonly SitePeriod[]): SitePeriod {
  const [year = "", month] = key.split("-");
  const permalink = month === undefined ? `/archive/${year}/` : `/archive/${year}/${month}/`;
  const pages = paginate(comments, LIST_PAGE_SIZE, permalink);
  return month === undefined ? { key, year, permalink, comments, months, pages } : { key, year, month, permalink, comments, months, pages };
}

/** A loaded comment as the site lists it. */
export function listedComment(loaded: LoadedComment): SiteComment {
  return new ListedComment(loaded);
}

/**
 * Groups the loaded comments (any order) with the thread pages and the ledger's pages. `list`
 * makes each comment's SiteComment (a reader that keeps them gives back the one it made before);
 * `parts`: the threads, authors and periods of the last archive, kept for those of the same comments.
 */
export function buildSiteArchive(
  loaded: readonly LoadedComment[],
  threadPages: readonly ThreadPage[],
  ledgerPages: { moved: readonly MovedPage[]; removed: readonly RemovedPage[] } = { moved: [], removed: [] },
  list: (loaded: LoadedComment) => SiteComment = listedComment,
  parts: Parts = FRESH_PARTS,
): SiteArchive {
  const comments: SiteComment[] = loaded.map(list).sort(byDateAsc);
  const { parents, replies } = replyLinks(comments);

  const commentsByThread = groupBy(comments, (c) => c.thread.slug);
  const threadInfo = new Map(threadPages.map((t) => [t.slug, t]));
  // A thread without a page of its own takes its title from its oldest comment.
  for (const [slug, [oldest]] of commentsByThread) if (oldest !== undefined && !threadInfo.has(slug)) threadInfo.set(slug, { title: oldest.thread.title, slug, permalink: threadPermalink(slug) });
  const threads = [...threadInfo.values()].map((info) => parts.part(info.permalink, threadOf, info, commentsByThread.get(info.slug) ?? [])).sort(bySlug);
  const threadBySlug = new Map(threads.map((t) => [t.slug, t]));

  const commentsByAuthor = groupBy(comments, (c) => c.author.username);
  // An author is named as on their newest comment, or else as on their newest post.
  const refs = new Map<string, AuthorRef>();
  for (const [username, list] of commentsByAuthor) {
    const newest = list.at(-1);
    if (newest !== undefined) refs.set(username, newest.author);
  }
  for (const t of threads) if (t.post && !refs.has(t.post.author.username)) refs.set(t.post.author.username, t.post.author);
  const postsByAuthor = groupBy(
    threads.filter((t) => t.post !== undefined),
    (t) => t.post?.author.username ?? "",
  );
  const authors = [...refs.values()]
    .map((ref) => {
      const oldestFirst = commentsByAuthor.get(ref.username) ?? [];
      return parts.part(authorPermalink(ref.slug), authorOf, ref, oldestFirst, recentThreads(oldestFirst, threadBySlug), postsByAuthor.get(ref.username) ?? []);
    })
    .sort(bySlug);

  const months = [...groupBy(comments, (c) => `${c.year}-${c.month}`)].map(([key, list]) => parts.part(`/archive/${key}/`, periodOf, key, list, []));
  // A year's comments are its months', in order: no second pass over every comment.
  const years = [...groupBy(months, (m) => m.year)].map(([year, list]) => parts.part(`/archive/${year}/`, periodOf, year, list.flatMap((m) => m.comments), list));
  parts.settle();

  return { comments, threads, authors, years, months, moved: byUrl(ledgerPages.moved), removed: byUrl(ledgerPages.removed), parents, replies };
}
