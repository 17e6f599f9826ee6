// Compares what this build publishes with the ledger: which old URLs moved, which lost their comment.
import type { PublishedArchive, PublishedDigest } from "../published.ts";
import { authorPermalink, threadPermalink, threadSlugBase } from "../permalinks.ts";
import type { AuthorEntry, CommentEntry, LedgerEntry, ThreadEntry } from "./ledger.ts";

/** An old URL whose page now lives elsewhere. */
export interface Redirect {
  readonly url: string;
  readonly to: string;
  readonly kind: LedgerEntry["kind"];
  /** What the target is, for the redirect page's visible link. */
  readonly title: string;
}

export interface Reconciled {
  /** The ledger after this build: every old entry, with current facts for live URLs. */
  readonly entries: readonly LedgerEntry[];
  readonly redirects: readonly Redirect[];
  /** Old entries with nothing to redirect to: they get a "removed from the archive" page. */
  readonly removed: readonly LedgerEntry[];
  /** Published URLs new to the ledger. */
  readonly added: readonly LedgerEntry[];
}

const commentKey = (author: string, postedAt: string): string => `${author}\u0000${postedAt}`;
/** A username as a person reads it: a change of case or Unicode form alone is the same author. */
const foldedName = (username: string): string => username.normalize("NFKC").toLowerCase();

/** The ledger entries of what this build publishes. */
export function currentEntries(archive: PublishedArchive): LedgerEntry[] {
  const threadUrls = new Map(archive.threads.map((t) => [t.slug, t.permalink]));
  const authorUrls = new Map(archive.authors.map((a) => [a.slug, authorPermalink(a.slug)]));
  const comments = archive.comments.map((comment): CommentEntry => {
    const { page } = comment;
    return {
      url: page.permalink,
      kind: "comment",
      author: page.author.username,
      postedAt: page.date,
      authorName: page.author.name,
      authorUrl: authorUrls.get(page.author.slug) ?? authorPermalink(page.author.slug),
      thread: page.thread.title,
      threadUrl: threadUrls.get(page.thread.slug) ?? threadPermalink(page.thread.slug),
      digest: comment.textKey,
    };
  });
  const threads = archive.threads.map((t): ThreadEntry => {
    return { url: t.permalink, kind: "thread", title: t.title, ...(t.post === undefined ? {} : { postedAt: t.post.date }) };
  });
  const authors = archive.authors.map((a): AuthorEntry => ({ url: authorPermalink(a.slug), kind: "author", author: a.username, authorName: a.name }));
  return [...comments, ...threads, ...authors];
}

/**
 * Thread slugs the ledger has published, by title: a title keeps its published slug when
 * another title now slugs the same (the collision rule must not hand its URL to the newcomer).
 */
export function publishedThreadSlugs(ledger: readonly LedgerEntry[]): Map<string, string> {
  const slugs = new Map<string, string>();
  for (const entry of ledger) {
    const slug = entry.kind === "thread" ? /^\/threads\/([^/]+)\/$/.exec(entry.url)?.[1] : undefined;
    if (entry.kind === "thread" && slug !== undefined && slug.startsWith(threadSlugBase(entry.title))) slugs.set(entry.title, slug);
  }
  return slugs;
}

/** Which comment the ledger has at a URL (see assignCommentIds), for publishArchive: asked only when two comments share an author and instant, which few archives have. */
export function publishedCommentDigests(ledger: readonly LedgerEntry[]): PublishedDigest {
  let digests: Map<string, string> | undefined;
  return (url) => {
    if (digests === undefined) {
      digests = new Map();
      for (const e of ledger) if (e.kind === "comment" && e.digest !== undefined) digests.set(e.url, e.digest);
    }
    return digests.get(url);
  };
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/** A map whose keys two values share hold null: a key that names two live pages names neither. */
function setUnique<T>(map: Map<string, T | null>, key: string, value: T): void {
  map.set(key, map.has(key) ? null : value);
}

/** Live entries by what identifies them across URL changes. */
interface LiveIndex {
  readonly comments: Map<string, CommentEntry>;
  /** By instant and commentTextKey: the same comment under an author slug that changed. */
  readonly commentsByText: Map<string, CommentEntry | null>;
  /** By instant and folded username: the same, for ledger entries written before digests. */
  readonly commentsByFoldedAuthor: Map<string, CommentEntry | null>;
  readonly threadsByTitle: Map<string, ThreadEntry>;
  readonly threadsByPost: Map<string, ThreadEntry>;
  readonly authors: Map<string, AuthorEntry>;
  readonly authorsByFoldedName: Map<string, AuthorEntry | null>;
}

function liveIndex(current: readonly LedgerEntry[]): LiveIndex {
  const index: LiveIndex = {
    comments: new Map(),
    commentsByText: new Map(),
    commentsByFoldedAuthor: new Map(),
    threadsByTitle: new Map(),
    threadsByPost: new Map(),
    authors: new Map(),
    authorsByFoldedName: new Map(),
  };
  for (const e of current) {
    if (e.kind === "comment") {
      index.comments.set(commentKey(e.author, e.postedAt), e);
      if (e.digest !== undefined) setUnique(index.commentsByText, commentKey(e.digest, e.postedAt), e);
      setUnique(index.commentsByFoldedAuthor, commentKey(foldedName(e.author), e.postedAt), e);
    } else if (e.kind === "author") {
      index.authors.set(e.author, e);
      setUnique(index.authorsByFoldedName, foldedName(e.author), e);
    } else {
      index.threadsByTitle.set(e.title, e);
      if (e.postedAt) index.threadsByPost.set(e.postedAt, e);
    }
  }
  return index;
}

/** Old comments grouped by one of their URL fields, once, when first needed: scanning the ledger for each moved page is quadratic. */
function commentsBy(ledger: readonly LedgerEntry[], field: "threadUrl" | "authorUrl"): (url: string) => CommentEntry[] {
  let groups: Map<string, CommentEntry[]> | undefined;
  return (url) => {
    if (groups === undefined) {
      groups = new Map();
      for (const e of ledger) {
        if (e.kind !== "comment") continue;
        const group = groups.get(e[field]);
        if (group === undefined) groups.set(e[field], [e]);
        else group.push(e);
      }
    }
    return groups.get(url) ?? [];
  };
}

/**
 * Compares the ledger with what this build publishes. An old URL redirects to the live page of
 * the same comment, thread or author, found by what identifies it, or else through the URL it
 * last moved to (`movedTo`, which the returned entries record), followed through the ledger to a
 * live one: the site depends on the exports and the ledger alone, never on the build before.
 */
export function reconcileLedger(ledger: readonly LedgerEntry[], archive: PublishedArchive): Reconciled {
  const current = currentEntries(archive);
  const known = new Set(ledger.map((e) => e.url));
  const added = current.filter((e) => !known.has(e.url));
  // Current URLs are distinct: when the ledger's distinct URLs number the current ones it knows,
  // none of its URLs went stale (most builds), and no map of every current URL is needed.
  if (known.size === current.length - added.length) return { entries: [...current], redirects: [], removed: [], added };
  const live = new Map(current.map((e) => [e.url, e]));
  const stale = ledger.filter((old) => !live.has(old.url));
  const staleByUrl = new Map(stale.map((e) => [e.url, e]));
  const index = liveIndex(current);
  const oldCommentsOfThread = commentsBy(ledger, "threadUrl");
  const oldCommentsOfAuthor = commentsBy(ledger, "authorUrl");

  /** The live page of an old comment, thread or author: at its own URL, or where it moved. */
  const whereNow = <T extends LedgerEntry>(old: T): T | undefined => (live.get(old.url) as T | undefined) ?? (resolve(old) as T | undefined);

  /** Where the pages of old comments are now: the most common of their threads or authors. */
  function followComments(comments: CommentEntry[], field: "threadUrl" | "authorUrl"): LedgerEntry | undefined {
    const url = mostCommon(comments.flatMap((e) => whereNow(e)?.[field] ?? []));
    return url === undefined ? undefined : live.get(url);
  }

  function identified(old: LedgerEntry): LedgerEntry | undefined {
    switch (old.kind) {
      case "comment":
        return (
          index.comments.get(commentKey(old.author, old.postedAt)) ??
          (old.digest === undefined ? undefined : index.commentsByText.get(commentKey(old.digest, old.postedAt))) ??
          index.commentsByFoldedAuthor.get(commentKey(foldedName(old.author), old.postedAt)) ??
          undefined
        );
      case "author":
        return index.authors.get(old.author) ?? index.authorsByFoldedName.get(foldedName(old.author)) ?? followComments(oldCommentsOfAuthor(old.url), "authorUrl");
      case "thread":
        // An edited title: the post's instant, or else the thread's comments, say where it is now.
        return (
          (old.postedAt !== undefined ? index.threadsByPost.get(old.postedAt) : undefined) ??
          index.threadsByTitle.get(old.title) ??
          followComments(oldCommentsOfThread(old.url), "threadUrl")
        );
    }
  }

  const resolved = new Map<string, LedgerEntry | undefined>();
  const resolving = new Set<string>();
  function resolve(old: LedgerEntry): LedgerEntry | undefined {
    if (resolved.has(old.url)) return resolved.get(old.url);
    // A chain of moves that comes back to itself leads nowhere live.
    if (resolving.has(old.url)) return undefined;
    resolving.add(old.url);
    let target = identified(old);
    if (target === undefined && old.movedTo !== undefined) {
      const next = live.get(old.movedTo) ?? staleByUrl.get(old.movedTo);
      target = next === undefined || next.kind !== old.kind ? undefined : whereNow(next);
    }
    resolving.delete(old.url);
    resolved.set(old.url, target);
    return target;
  }

  const redirects: Redirect[] = [];
  const removed: LedgerEntry[] = [];
  const kept: LedgerEntry[] = [];
  for (const old of stale) {
    const target = resolve(old);
    if (target === undefined) {
      removed.push(old);
      kept.push(old);
    } else {
      redirects.push({ url: old.url, to: target.url, kind: old.kind, title: describe(target) });
      kept.push(old.movedTo === target.url ? old : { ...old, movedTo: target.url });
    }
  }

  return { entries: [...kept, ...current], redirects, removed, added };
}

function describe(entry: LedgerEntry): string {
  switch (entry.kind) {
    case "comment":
      return `${entry.authorName} on ${entry.thread}`;
    case "thread":
      return entry.title;
    case "author":
      return entry.authorName;
  }
}
