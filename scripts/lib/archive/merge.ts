// Merges several parsed exports into one set of records: a comment found in several files is one comment.
import type { CommentRecord, ImportWarning, OutsideParentRecord, ParsedArchive, PostRecord } from "./types.ts";

export interface MergedArchive {
  comments: CommentRecord[];
  posts: PostRecord[];
  /** Comments whose text a later file replaced. */
  updated: CommentRecord[];
  warnings: ImportWarning[];
  /** Reply context: the parents that JSON input named and that are not comments of the archive, by id. */
  outsideParents: OutsideParentRecord[];
}

/** A comment's identity: the export carries no ids, so (author username, postedAt) is it. */
export function commentIdentity(comment: Pick<CommentRecord, "author" | "postedAt">): string {
  return `${comment.author.username}\u0000${comment.postedAt}`;
}

/**
 * One file's comments by identity (see ParsedArchive.byIdentity): exact repeats dropped; the same
 * identity with different texts stays as several comments.
 */
export function commentsByIdentity(comments: readonly CommentRecord[]): ReadonlyMap<string, readonly CommentRecord[]> {
  const byIdentity = new Map<string, CommentRecord[]>();
  for (const comment of comments) {
    const key = commentIdentity(comment);
    const group = byIdentity.get(key) ?? [];
    if (!group.some((c) => c.body === comment.body && c.threadTitle === comment.threadTitle)) group.push(comment);
    byIdentity.set(key, group);
  }
  return byIdentity;
}

function sameTexts(a: readonly CommentRecord[], b: readonly CommentRecord[]): boolean {
  const key = (cs: readonly CommentRecord[]): string => JSON.stringify(cs.map((c) => [c.threadTitle, c.body, c.author.name]).sort());
  return key(a) === key(b);
}

const fromForum = (group: readonly CommentRecord[]): boolean => group.some((c) => c.forum !== undefined);

/**
 * Later archives win: for each comment identity the entries of the last file that has it are
 * kept, except that the forum's data (JSON input) always wins over a text export's, which lost
 * links, math and ids. Posts are merged by title, the last file winning. Output order is by
 * postedAt, then author.
 */
export function mergeArchives(archives: ParsedArchive[]): MergedArchive {
  const comments = new Map<string, readonly CommentRecord[]>();
  const posts = new Map<string, PostRecord>();
  const parents = new Map<string, OutsideParentRecord>();
  const updated: CommentRecord[] = [];
  const warnings = archives.flatMap((a) => a.warnings);

  for (const archive of archives) {
    for (const [key, group] of archive.byIdentity) {
      const earlier = comments.get(key);
      if (earlier !== undefined && fromForum(earlier) && !fromForum(group)) continue;
      if (earlier !== undefined && !sameTexts(earlier, group)) updated.push(...group);
      comments.set(key, group);
    }
    for (const post of archive.posts) posts.set(post.title, post);
    for (const parent of archive.outsideParents ?? []) parents.set(parent.id, parent);
  }

  const merged = byTimeThenAuthor([...comments.values()].flat());
  warnings.push(...unmatchedTwins(merged));
  const ids = new Set(merged.map((c) => c.forum?.id));
  const outsideParents = [...parents.values()].filter((p) => !ids.has(p.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { comments: merged, posts: [...posts.values()], updated, warnings, outsideParents };
}

/**
 * Text-export comments that seem to be a forum comment under another author name: the same
 * instant, and the export's author is the forum user's display name or slug. Their URLs differ,
 * so both are published: worth a warning.
 */
function unmatchedTwins(comments: CommentRecord[]): ImportWarning[] {
  const forumByInstant = new Map<string, CommentRecord[]>();
  for (const c of comments) {
    if (c.forum === undefined) continue;
    const known = forumByInstant.get(c.postedAt);
    if (known === undefined) forumByInstant.set(c.postedAt, [c]);
    else known.push(c);
  }
  if (forumByInstant.size === 0) return [];
  const warnings: ImportWarning[] = [];
  for (const c of comments) {
    if (c.forum !== undefined) continue;
    const twin = forumByInstant.get(c.postedAt)?.find((f) => f.author.username !== c.author.username && (f.author.name === c.author.username || f.forum?.userSlug === c.author.username));
    if (twin === undefined) continue;
    warnings.push({
      source: c.source,
      message: `the export names the author "${c.author.username}", but the forum's comment at the same instant (${twin.source.file}:${twin.source.line}) is by username "${twin.author.username}": kept as two comments with different URLs (identity is the username)`,
    });
  }
  return warnings;
}

/**
 * Sorted by postedAt, then author username. postedAt is a canonical instant with milliseconds,
 * so its time value orders it as its text does, and numbers compare several times faster.
 */
function byTimeThenAuthor(comments: CommentRecord[]): CommentRecord[] {
  const keyed = comments.map((c) => ({ c, time: Date.parse(c.postedAt) }));
  keyed.sort((a, b) => a.time - b.time || (a.c.author.username < b.c.author.username ? -1 : a.c.author.username > b.c.author.username ? 1 : 0));
  return keyed.map((k) => k.c);
}
