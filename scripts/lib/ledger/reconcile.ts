// Compares what this build publishes with the ledger: which old URLs moved, which lost their comment.
import type { PublishedArchive } from "../published.ts";
import { authorPermalink, threadPermalink, threadSlugBase } from "../permalinks.ts";
import type { AuthorEntry, CommentEntry, LedgerEntry, ThreadEntry } from "./ledger.ts";

/** An old URL whose page now lives elsewhere. */
export interface Redirect {
  url: string;
  to: string;
  kind: LedgerEntry["kind"];
  /** What the target is, for the redirect page's visible link. */
  title: string;
}

export interface Reconciled {
  /** The ledger after this build: every old entry, with current facts for live URLs. */
  entries: LedgerEntry[];
  redirects: Redirect[];
  /** Old entries with nothing to redirect to: they get a "removed from the archive" page. */
  removed: LedgerEntry[];
  /** Published URLs new to the ledger. */
  added: LedgerEntry[];
}

const commentKey = (author: string, postedAt: string): string => `${author}\u0000${postedAt}`;

/** The ledger entries of what this build publishes. */
export function currentEntries(archive: PublishedArchive): LedgerEntry[] {
  const threadUrls = new Map(archive.threads.map((t) => [t.slug, t.permalink]));
  const authorUrls = new Map(archive.authors.map((a) => [a.slug, authorPermalink(a.slug)]));
  const comments = archive.comments.map(({ page }): CommentEntry => ({
    url: page.permalink,
    kind: "comment",
    author: page.author.username,
    postedAt: page.date,
    authorName: page.author.name,
    authorUrl: authorUrls.get(page.author.slug) ?? authorPermalink(page.author.slug),
    thread: page.thread.title,
    threadUrl: threadUrls.get(page.thread.slug) ?? threadPermalink(page.thread.slug),
  }));
  const threads = archive.threads.map((t): ThreadEntry => {
    const entry: ThreadEntry = { url: t.permalink, kind: "thread", title: t.title };
    if (t.post) entry.postedAt = t.post.date;
    return entry;
  });
  const authors = archive.authors.map((a): AuthorEntry => ({ url: authorPermalink(a.slug), kind: "author", author: a.username, authorName: a.name }));
  return [...comments, ...threads, ...authors];
}

/**
 * Thread slugs the ledger has published, by title: a title keeps its published slug when
 * another title now slugs the same (the collision rule must not hand its URL to the newcomer).
 */
export function publishedThreadSlugs(ledger: LedgerEntry[]): Map<string, string> {
  const slugs = new Map<string, string>();
  for (const entry of ledger) {
    const slug = entry.kind === "thread" ? /^\/threads\/([^/]+)\/$/.exec(entry.url)?.[1] : undefined;
    if (entry.kind === "thread" && slug !== undefined && slug.startsWith(threadSlugBase(entry.title))) slugs.set(entry.title, slug);
  }
  return slugs;
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/** Live entries by what identifies them across URL changes. */
interface LiveIndex {
  comments: Map<string, CommentEntry>;
  threadsByTitle: Map<string, ThreadEntry>;
  threadsByPost: Map<string, ThreadEntry>;
  authors: Map<string, AuthorEntry>;
}

function liveIndex(current: LedgerEntry[]): LiveIndex {
  const comments = new Map<string, CommentEntry>();
  const threadsByTitle = new Map<string, ThreadEntry>();
  const threadsByPost = new Map<string, ThreadEntry>();
  const authors = new Map<string, AuthorEntry>();
  for (const e of current) {
    if (e.kind === "comment") comments.set(commentKey(e.author, e.postedAt), e);
    else if (e.kind === "author") authors.set(e.author, e);
    else {
      threadsByTitle.set(e.title, e);
      if (e.postedAt) threadsByPost.set(e.postedAt, e);
    }
  }
  return { comments, threadsByTitle, threadsByPost, authors };
}

/** The URLs of a ledger, by ledger: a dev server's imports reconcile with the same one until it is written again. */
const urlsOf = new WeakMap<LedgerEntry[], Set<string>>();

function ledgerUrls(ledger: LedgerEntry[]): Set<string> {
  let urls = urlsOf.get(ledger);
  if (urls === undefined) urlsOf.set(ledger, (urls = new Set(ledger.map((e) => e.url))));
  return urls;
}

export function reconcileLedger(ledger: LedgerEntry[], archive: PublishedArchive): Reconciled {
  const current = currentEntries(archive);
  const known = ledgerUrls(ledger);
  const added = current.filter((e) => !known.has(e.url));
  // Current URLs are distinct: when the ledger's distinct URLs number the current ones it knows,
  // none of its URLs went stale (most builds), and no map of every current URL is needed.
  const live = known.size === current.length - added.length ? undefined : new Map(current.map((e) => [e.url, e]));
  const stale = live === undefined ? [] : ledger.filter((old) => !live.has(old.url));
  // Most builds publish every URL they published before: then there is nothing to look up.
  const index = stale.length === 0 ? undefined : liveIndex(current);

  // Grouped once, when first needed: scanning the ledger for each moved thread is quadratic.
  let byThread: Map<string, CommentEntry[]> | undefined;
  function oldComments(threadUrl: string): CommentEntry[] {
    if (byThread === undefined) {
      byThread = new Map();
      for (const e of ledger) {
        if (e.kind !== "comment") continue;
        const group = byThread.get(e.threadUrl);
        if (group === undefined) byThread.set(e.threadUrl, [e]);
        else group.push(e);
      }
    }
    return byThread.get(threadUrl) ?? [];
  }

  function findTarget(old: LedgerEntry): LedgerEntry | undefined {
    if (index === undefined) return undefined;
    switch (old.kind) {
      case "comment":
        return index.comments.get(commentKey(old.author, old.postedAt));
      case "author":
        return index.authors.get(old.author);
      case "thread": {
        const byPostOrTitle = (old.postedAt !== undefined ? index.threadsByPost.get(old.postedAt) : undefined) ?? index.threadsByTitle.get(old.title);
        if (byPostOrTitle !== undefined) return byPostOrTitle;
        // An edited title: follow the thread's comments to where they are now.
        const movedTo = oldComments(old.url).flatMap((e) => index.comments.get(commentKey(e.author, e.postedAt))?.threadUrl ?? []);
        const url = mostCommon(movedTo);
        return url === undefined ? undefined : live?.get(url);
      }
    }
  }

  const redirects: Redirect[] = [];
  const removed: LedgerEntry[] = [];
  const kept = new Map<string, LedgerEntry>();
  for (const old of stale) {
    kept.set(old.url, old);
    const target = findTarget(old);
    if (target === undefined) removed.push(old);
    else redirects.push({ url: old.url, to: target.url, kind: old.kind, title: describe(target) });
  }

  return { entries: [...kept.values(), ...current], redirects, removed, added };
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
