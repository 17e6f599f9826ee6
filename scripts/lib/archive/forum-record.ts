// One forum comment object (an API result or a data export's database record) as a CommentRecord.
// Nulls and missing fields are normal; only what identity needs (a username, postedAt) is required.
import { excerptOf } from "../fetch/fetched-file.ts";
import { withCommentId } from "../forum-url.ts";
import { forumBodyMarkdown } from "../site/markdown/forum-body.ts";
import { ArchiveError } from "./errors.ts";
import { canonicalInstant } from "./timestamp.ts";
import type { CommentRecord, ForumCommentData, ForumPostRef, ForumUserRef, OutsideParentRecord, SourceLocation } from "./types.ts";

export type JsonObject = Readonly<Record<string, unknown>>;

/** What the comments of one document share: a data export names users and posts by id. */
export interface CommentContext {
  readonly users?: ReadonlyMap<string, ForumUserRef>;
  readonly posts?: ReadonlyMap<string, ForumPostRef>;
  /** The forum's origin when the document names it (the fetcher's file does). */
  readonly origin?: string;
}

/** The origin of an http(s) URL; undefined for anything else. */
export function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Where a comment object starts: its record keeps file and line, an error also names the column. */
export interface ObjectPlace extends SourceLocation {
  readonly column?: number;
}

export type ReadComment =
  | { readonly kind: "comment"; readonly record: CommentRecord; readonly parent?: OutsideParentRecord }
  /** Not public on the forum (a draft, or rejected by moderators): left out, with a warning. */
  | { readonly kind: "skipped"; readonly why: string };

/** The title a comment's thread gets when the export's Posts do not name its post. */
export const untitledPost = (postId: string): string => `[post ${postId}]`;

/** The thread title the text export shows for a comment whose post is gone. */
const DELETED_POST = "[deleted post]";

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const objectAt = (value: unknown): JsonObject | undefined => (isObject(value) ? value : undefined);
/** A non-empty string: ids, names and URLs that are empty are as good as missing. */
const nameAt = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value : undefined);
const numberAt = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/** Only the fields that have a value: a record never holds undefined (or null) where a field is absent. */
function defined<T extends object>(fields: T): T {
  for (const key of Object.keys(fields) as (keyof T)[]) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/** As defined, and nothing at all when no field has a value (`"post": {"title": null, ...}`). */
function someDefined<T extends object>(fields: T): T | undefined {
  const kept = defined(fields);
  return Object.keys(kept).length === 0 ? undefined : kept;
}

const OFFSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?[+-]\d{2}:\d{2}$/;

/**
 * The canonical instant (ms, `Z`) of a JSON date: the API's ISO string, one with an explicit offset,
 * or a database export's `{"$date": ...}` (ISO string, epoch milliseconds or `{"$numberLong": "..."}`).
 */
export function instantOf(value: unknown): string | undefined {
  if (typeof value === "string") {
    const canonical = canonicalInstant(value);
    if (canonical !== undefined || !OFFSET_INSTANT.test(value)) return canonical;
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  const date = objectAt(value)?.$date;
  if (date === undefined) return undefined;
  const epoch = typeof date === "number" ? date : typeof objectAt(date)?.$numberLong === "string" ? Number(objectAt(date)?.$numberLong) : undefined;
  if (epoch === undefined) return instantOf(date);
  return Number.isSafeInteger(epoch) && Math.abs(epoch) <= 8.64e15 ? new Date(epoch).toISOString() : undefined;
}

export function userRefOf(value: unknown): ForumUserRef | undefined {
  const user = objectAt(value);
  if (user === undefined) return undefined;
  return someDefined({ id: nameAt(user._id), username: nameAt(user.username)?.trim(), displayName: nameAt(user.displayName)?.trim(), slug: nameAt(user.slug) });
}

export function postRefOf(value: unknown): ForumPostRef | undefined {
  const post = objectAt(value);
  if (post === undefined) return undefined;
  return someDefined({ id: nameAt(post._id), title: nameAt(post.title)?.trim(), slug: nameAt(post.slug), pageUrl: nameAt(post.pageUrl) });
}

function commentName(raw: JsonObject): string {
  const id = nameAt(raw._id);
  return id === undefined ? "comment" : `comment ${JSON.stringify(id)}`;
}

/** The author, by `user` or by `userId` in the export's Users; an ArchiveError when there is no username. */
function authorOf(raw: JsonObject, where: ObjectPlace, context: CommentContext): ForumUserRef & { readonly username: string } {
  const embedded = userRefOf(raw.user);
  const userId = nameAt(raw.userId);
  const listed = userId === undefined ? undefined : context.users?.get(userId);
  const user = embedded?.username !== undefined ? embedded : (listed ?? embedded);
  if (user?.username !== undefined) return { ...user, username: user.username };
  const why =
    user !== undefined
      ? `its user has no username (${JSON.stringify(user)}); the username is part of every comment URL`
      : userId !== undefined && context.users !== undefined
        ? `its userId ${JSON.stringify(userId)} is not among the export's Users`
        : `it has no author: expected "user": {"username": ...}${context.users === undefined ? "" : ' or a "userId" of the export\'s Users'}`;
  throw new ArchiveError(`${commentName(raw)}: ${why}`, where);
}

function postedAtOf(raw: JsonObject, where: ObjectPlace): string {
  const instant = instantOf(raw.postedAt);
  if (instant !== undefined) return instant;
  const why =
    raw.postedAt === undefined || raw.postedAt === null
      ? "it has no postedAt; the instant is part of every comment URL"
      : `postedAt ${JSON.stringify(raw.postedAt)} is not a real instant (expected ISO 8601 UTC, e.g. 2021-06-19T15:54:32.790Z)`;
  throw new ArchiveError(`${commentName(raw)}: ${why}`, where);
}

/** The body: Markdown when there is any, else the HTML for a later renderer; none when the comment is deleted. */
function textOf(raw: JsonObject): { markdown?: string; html?: string } {
  const contents = objectAt(raw.contents);
  const original = objectAt(contents?.originalContents);
  const markdownText = typeof contents?.markdown === "string" ? contents.markdown : original?.type === "markdown" && typeof original.data === "string" ? original.data : undefined;
  const html = typeof contents?.html === "string" ? contents.html : typeof raw.htmlBody === "string" ? raw.htmlBody : undefined;
  // Empty Markdown beside real HTML is a conversion that failed, not an empty comment.
  const markdown = markdownText !== undefined && (markdownText.trim() !== "" || html === undefined || html.trim() === "") ? markdownText : undefined;
  return defined({ markdown, html });
}

/**
 * Reads one comment object. `where` is where it starts in its file. Throws ArchiveError when the
 * object lacks what the comment's identity needs.
 */
export function readComment(raw: JsonObject, where: ObjectPlace, context: CommentContext = {}): ReadComment {
  if (raw.draft === true) return { kind: "skipped", why: "a draft" };
  if (raw.rejected === true) return { kind: "skipped", why: "rejected by the forum's moderators" };
  const user = authorOf(raw, where, context);
  const postedAt = postedAtOf(raw, where);
  const postId = nameAt(raw.postId);
  const post = postRefOf(raw.post) ?? (postId === undefined ? undefined : context.posts?.get(postId));
  const tagObject = objectAt(raw.tag);
  const tagId = nameAt(raw.tagId);
  const tag = someDefined({ id: tagId, name: nameAt(tagObject?.name)?.trim(), slug: nameAt(tagObject?.slug) });
  const threadTitle = post?.title ?? tag?.name ?? (context.posts !== undefined && postId !== undefined ? untitledPost(postId) : DELETED_POST);
  const text = textOf(raw);
  const deleted = raw.deleted === true || (text.markdown === undefined && text.html === undefined);
  const score = objectAt(raw.extendedScore);
  const forum: ForumCommentData = defined({
    id: nameAt(raw._id),
    userId: user.id ?? nameAt(raw.userId),
    userSlug: user.slug,
    pageUrl: nameAt(raw.pageUrl),
    origin: originOf(nameAt(raw.pageUrl)) ?? originOf(post?.pageUrl) ?? context.origin,
    postId: postId ?? post?.id,
    post,
    tag,
    parentCommentId: nameAt(raw.parentCommentId),
    topLevelCommentId: nameAt(raw.topLevelCommentId),
    lastEditedAt: instantOf(raw.lastEditedAt),
    baseScore: numberAt(raw.baseScore),
    voteCount: numberAt(raw.voteCount),
    agreement: numberAt(score?.agreement),
    agreementVoteCount: numberAt(score?.agreementVoteCount),
    retracted: raw.retracted === true,
    deleted,
    deletedReason: deleted ? nameAt(raw.deletedReason) : undefined,
    af: raw.af === true,
    shortform: raw.shortform === true,
    answer: raw.answer === true,
    parentAnswerId: nameAt(raw.parentAnswerId),
    descendentCount: numberAt(raw.descendentCount),
    directChildrenCount: numberAt(raw.directChildrenCount),
    markdown: deleted ? undefined : text.markdown,
    html: deleted ? undefined : text.html,
  });
  const source = { file: where.file, line: where.line };
  const record: CommentRecord = {
    author: { username: user.username, name: user.displayName ?? user.username },
    postedAt,
    threadTitle,
    // A comment the forum gave only as HTML is shown from Markdown made of it: its text is never lost, and no markup of its own survives.
    body: forumBodyMarkdown(forum),
    source,
    forum,
  };
  const parent = embeddedParent(raw, forum, source);
  return parent === undefined ? { kind: "comment", record } : { kind: "comment", record, parent };
}

/** A `parentComment` the response carries: reply context, unless the archive turns out to hold it (see mergeArchives). */
function embeddedParent(raw: JsonObject, forum: ForumCommentData, source: SourceLocation): OutsideParentRecord | undefined {
  const parent = objectAt(raw.parentComment);
  const id = nameAt(parent?._id);
  if (parent === undefined || id === undefined) return undefined;
  const contents = objectAt(parent.contents);
  return defined({
    id,
    author: userRefOf(parent.user),
    postedAt: instantOf(parent.postedAt),
    excerpt: excerptOf(typeof contents?.plaintextMainText === "string" ? contents.plaintextMainText : null) ?? undefined,
    pageUrl: withCommentId(forum.pageUrl ?? forum.post?.pageUrl, id),
    source,
  });
}

/** An outside parent the fetcher saved under `extensions.commentarium` (see scripts/lib/fetch/fetched-file.ts). */
export function savedParent(raw: unknown, source: SourceLocation): OutsideParentRecord | undefined {
  const parent = objectAt(raw);
  const id = nameAt(parent?._id);
  if (parent === undefined || id === undefined) return undefined;
  return defined({ id, author: userRefOf(parent.user), postedAt: instantOf(parent.postedAt), excerpt: nameAt(parent.excerpt), pageUrl: nameAt(parent.pageUrl), source });
}

