// Gives merged records their permanent URLs and the shape of the pages the import writes.
import type { MergedArchive } from "./archive/merge.ts";
import type { Author, CommentRecord, ForumCommentData } from "./archive/types.ts";
import type { AuthorRef, CommentForumFacts, CommentPage, ThreadPage, ThreadRef } from "./content/pages.ts";
import { pageDigest } from "./content/render-page.ts";
import { authorSlug, commentPermalink, commentStamp, shortHash, threadPermalink, threadSlugBase } from "./permalinks.ts";

export interface PublishedComment {
  readonly page: CommentPage;
  readonly body: string;
  /** What tells it apart from another comment of its author and instant (see commentTextKey); the URL ledger keeps it. */
  readonly textKey: string;
  /** The digest of its page under content/ (see pageDigest), which stands for the page's text. */
  readonly pageDigest: string;
}

export interface PublishedArchive {
  readonly comments: readonly PublishedComment[];
  readonly threads: readonly ThreadPage[];
  readonly authors: readonly AuthorRef[];
}

/**
 * Thread slugs: a title's readable slug, unless another title reads the same, in which case
 * every such title but the first in code-point order gets a digest of its exact text appended.
 * A title keeps the slug it was published under (`published`, from the URL ledger) while that
 * slug still fits the title, so a newcomer with a colliding title never takes over its URL.
 */
export function assignThreadSlugs(titles: Iterable<string>, published: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const byBase = new Map<string, string[]>();
  for (const title of new Set(titles)) {
    const base = threadSlugBase(title);
    byBase.set(base, [...(byBase.get(base) ?? []), title]);
  }
  const slugs = new Map<string, string>();
  for (const [base, group] of byBase) {
    group.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const taken = new Set<string>();
    const candidates = (title: string): string[] => [base, `${base}-${shortHash(title)}`];
    for (const title of group) {
      const pinned = published.get(title);
      if (pinned !== undefined && candidates(title).includes(pinned) && !taken.has(pinned)) {
        slugs.set(title, pinned);
        taken.add(pinned);
      }
    }
    for (const title of group) {
      if (slugs.has(title)) continue;
      const [plain, hashed] = candidates(title) as [string, string];
      const slug = group.length === 1 || !taken.has(plain) ? plain : hashed;
      slugs.set(title, taken.has(slug) ? hashed : slug);
      taken.add(slugs.get(title) ?? hashed);
    }
  }
  return slugs;
}

function authorRef(author: Author): AuthorRef {
  return { username: author.username, name: author.name, slug: authorSlug(author.username) };
}

/** One AuthorRef per author and display name, shared by their pages: 100,000 comments need not make 100,000 copies. */
function sharedAuthorRefs(): (author: Author) => AuthorRef {
  const refs = new Map<string, AuthorRef[]>();
  return (author) => {
    const known = refs.get(author.username);
    const ref = known?.find((r) => r.name === author.name);
    if (ref !== undefined) return ref;
    const made = authorRef(author);
    if (known === undefined) refs.set(author.username, [made]);
    else known.push(made);
    return made;
  };
}

function plainCommentId(c: CommentRecord): string {
  return `${authorSlug(c.author.username)}/${commentStamp(c.postedAt)}`;
}

/** Whether `b` may follow `a` in mergeArchives' order: by postedAt (canonical instants compare as text), then username. */
const inMergeOrder = (a: CommentRecord, b: CommentRecord): boolean => a.postedAt < b.postedAt || (a.postedAt === b.postedAt && a.author.username <= b.author.username);

/**
 * What tells apart two comments of one author and instant: a digest of their thread's title and
 * text. It names the suffixed URL of all but one of them, and the URL ledger keeps it for each
 * comment URL (see CommentEntry.digest).
 */
export function commentTextKey(threadTitle: string, body: string): string {
  return shortHash(`${threadTitle}\u0000${body}`, 8);
}

/** The digest (commentTextKey) the URL ledger holds for a published comment URL, if any. */
export type PublishedDigest = (url: string) => string | undefined;

/**
 * Comment ids: `<author-slug>/<stamp>`. Two distinct comments with the same id (one file kept
 * both texts of an identity) are told apart by a digest of their text. The plain id stays with
 * the comment the ledger published there (`published`), so a newcomer never takes over a URL;
 * else the lowest digest keeps it, so the result does not depend on their order in the input.
 * `comments` come in mergeArchives' order, so comments with one id (one author, one instant)
 * are next to each other, and no map of 100,000 ids is needed to find them.
 */
function assignCommentIds(comments: CommentRecord[], published: PublishedDigest): string[] {
  const ids = comments.map(plainCommentId);
  for (let start = 0; start < ids.length; ) {
    let end = start + 1;
    while (end < ids.length && ids[end] === ids[start]) end++;
    const next = comments[end];
    if (next !== undefined && !inMergeOrder(comments[end - 1] as CommentRecord, next)) throw new Error(`comments out of order at ${next.source.file}:${next.source.line}: ids are assigned in mergeArchives' order`);
    if (end - start > 1) {
      const id = ids[start] as string;
      const keyed = comments.slice(start, end).map((c, k) => ({ i: start + k, key: commentTextKey(c.threadTitle, c.body) })).sort((a, b) => (a.key < b.key ? -1 : 1));
      const first = comments[start] as CommentRecord;
      const holder = published(commentPermalink(authorSlug(first.author.username), commentStamp(first.postedAt)));
      const plain = keyed.find(({ key }) => key === holder) ?? keyed[0];
      for (const { i, key } of keyed) ids[i] = i === plain?.i ? id : `${id}-${key}`;
    }
    start = end;
  }
  return ids;
}

/**
 * Comments as the last publish in this process made them, by id: one whose facts and text are
 * equal, field by field, to a record's is published again as it was, even when its export was
 * parsed again, so its page and digests are not worked out again (100,000 page digests take a
 * second). Published comments are never changed once made.
 */
export type PublishedComments = Map<string, PublishedComment>;

const sameAuthor = (a: AuthorRef, b: AuthorRef): boolean => a.username === b.username && a.name === b.name && a.slug === b.slug;
const sameThread = (a: ThreadRef, b: ThreadRef): boolean => a.title === b.title && a.slug === b.slug;

/**
 * Makes `earlier` hold exactly `comments`, by id. All but those `made` now were taken from it: only
 * those are set, and it is filled again only when some id left (it then holds more ids than there are comments).
 */
function rememberPublished(earlier: PublishedComments, comments: PublishedComment[], made: PublishedComment[]): void {
  for (const comment of made) earlier.set(comment.page.id, comment);
  if (earlier.size === comments.length) return;
  earlier.clear();
  for (const comment of comments) earlier.set(comment.page.id, comment);
}

/**
 * `publishedThreadSlugs`: title -> slug from the URL ledger, see assignThreadSlugs; `publishedDigest`:
 * which comment the ledger has at a URL, see assignCommentIds.
 */
export function publishArchive(
  merged: MergedArchive,
  publishedThreadSlugs: ReadonlyMap<string, string> = new Map(),
  earlier?: PublishedComments,
  publishedDigest: PublishedDigest = () => undefined,
): PublishedArchive {
  const titles = new Set<string>();
  for (const c of merged.comments) titles.add(c.threadTitle);
  for (const p of merged.posts) titles.add(p.title);
  const threadSlugs = assignThreadSlugs(titles, publishedThreadSlugs);
  const slugOf = (title: string): string => threadSlugs.get(title) ?? threadSlugBase(title);
  const ids = assignCommentIds(merged.comments, publishedDigest);
  const refOf = sharedAuthorRefs();
  // Shared, like the author refs: a thread's comments all show the same title and slug.
  const threadRefs = new Map<string, ThreadRef>();
  const threadOf = (title: string): ThreadRef => {
    let ref = threadRefs.get(title);
    if (ref === undefined) threadRefs.set(title, (ref = { title, slug: slugOf(title) }));
    return ref;
  };

  const made: PublishedComment[] = [];
  const comments = merged.comments.map((c, i): PublishedComment => {
    const author = refOf(c.author);
    const id = ids[i] ?? `${author.slug}/${commentStamp(c.postedAt)}`;
    const thread = threadOf(c.threadTitle);
    const before = earlier?.get(id);
    if (before !== undefined && before.body === c.body && before.page.date === c.postedAt && before.page.source.file === c.source.file && sameAuthor(before.page.author, author) && sameThread(before.page.thread, thread) && sameForumFacts(before.page.forum, c.forum)) {
      return before;
    }
    const stamp = id.slice(id.indexOf("/") + 1);
    const page: CommentPage = {
      id,
      author,
      thread,
      date: c.postedAt,
      permalink: commentPermalink(author.slug, stamp),
      source: { file: c.source.file },
      ...(c.forum === undefined ? {} : { forum: forumFacts(c.forum) }),
    };
    const published: PublishedComment = { page, body: c.body, textKey: commentTextKey(c.threadTitle, c.body), pageDigest: pageDigest({ frontMatter: page, body: c.body }) };
    made.push(published);
    return published;
  });
  if (earlier !== undefined) rememberPublished(earlier, comments, made);

  const posts = new Map(merged.posts.map((p) => [p.title, p]));
  const threads = [...threadSlugs].map(([title, slug]): ThreadPage => {
    const post = posts.get(title);
    if (post === undefined) return { title, slug, permalink: threadPermalink(slug) };
    const score = post.score === undefined ? {} : { score: post.score };
    const votes = post.votes === undefined ? {} : { votes: post.votes };
    return { title, slug, permalink: threadPermalink(slug), post: { date: post.postedAt, author: authorRef(post.author), source: { file: post.source.file }, ...score, ...votes } };
  });
  threads.sort((a, b) => (a.slug < b.slug ? -1 : 1));

  const authors = new Map<string, AuthorRef>();
  for (const { page } of comments) authors.set(page.author.username, page.author);
  for (const t of threads) if (t.post) authors.set(t.post.author.username, authors.get(t.post.author.username) ?? t.post.author);

  return { comments, threads, authors: [...authors.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1)) };
}

/** The forum's facts a comment's page records, in front matter order: its ids, scores and flags (its text is the page's body). */
const FORUM_FACTS = ["id", "postId", "parentCommentId", "pageUrl", "origin", "baseScore", "voteCount", "agreement", "agreementVoteCount", "lastEditedAt", "retracted", "deleted", "af"] as const satisfies readonly (keyof CommentForumFacts & keyof ForumCommentData)[];

function forumFacts(forum: ForumCommentData): CommentForumFacts {
  const facts: Record<string, unknown> = {};
  // Absent, not undefined: a YAML dump would write the key.
  for (const key of FORUM_FACTS) if (forum[key] !== undefined) facts[key] = forum[key];
  return facts as unknown as CommentForumFacts;
}

/** Whether a published page's facts are those of `forum`: compared field by field, without making the facts again. */
function sameForumFacts(published: CommentForumFacts | undefined, forum: ForumCommentData | undefined): boolean {
  if (published === undefined || forum === undefined) return published === undefined && forum === undefined;
  return FORUM_FACTS.every((key) => published[key] === forum[key]);
}
