// Permanent URLs: a comment's depends only on its author's username and its postedAt instant.
import { createHash, hash } from "node:crypto";
import slugify from "@sindresorhus/slugify";

/** A short, stable digest used to tell apart things whose readable slugs collide. */
export function shortHash(text: string, length = 6): string {
  // Every comment's text is digested for the URL ledger; crypto.hash costs a third of createHash (Node 20.12+).
  const hex = typeof hash === "function" ? hash("sha256", text, "hex") : createHash("sha256").update(text).digest("hex");
  return hex.slice(0, length);
}

/** Lowercase ASCII words joined by `-` (underscores kept, as in usernames); never a path. */
export function slugText(text: string): string {
  // Underscores are kept, so stripping them may bare a dash: a slug never starts with one (it would not be a safe path segment).
  return slugify(text, { decamelize: false, preserveCharacters: ["_"] }).replace(/^[_-]+|_+$/g, "");
}

/**
 * The author part of comment and author URLs. A username that is already a slug is used as it
 * is; any other (capitals, Unicode, `../`) gets a digest of the exact username appended, so two
 * usernames that read alike never share a URL, whatever else is in the archive.
 */
export function authorSlug(username: string): string {
  let slug = authorSlugs.get(username);
  if (slug === undefined) authorSlugs.set(username, (slug = computeAuthorSlug(username)));
  return slug;
}
// Slugifying is slow and an archive has few authors but many comments each.
const authorSlugs = new Map<string, string>();

function computeAuthorSlug(username: string): string {
  const slug = slugText(username);
  if (slug === username) return slug;
  return slug === "" ? `user-${shortHash(username)}` : `${slug}-${shortHash(username)}`;
}

/** `2021-06-19T15:54:32.790Z` -> `20210619-155432-790`. */
export function commentStamp(postedAt: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/.exec(postedAt);
  if (match === null) throw new Error(`not a canonical instant: ${postedAt}`);
  const [, y, mo, d, h, mi, s, ms] = match;
  return `${y}${mo}${d}-${h}${mi}${s}-${ms}`;
}

/**
 * A comment page's output file, site-relative: `comments/<author>/<yyyymmdd-hhmmss-mmm>/index.html`.
 * Its year and month come from the path alone, so grouping never has to open a page.
 */
const COMMENT_PAGE_FILE = /^comments\/[^/]+\/(\d{4})(\d{2})\d{2}-\d{6}-\d{3}\/index\.html$/;

/**
 * `yyyy-mm` of a comment page's site-relative output file; undefined for any other file. Eleventy's
 * runs of a whole build and the search's shards both cut the comments by it (see
 * render-batches.ts and shard-plan.ts), so a run's months are whole shards.
 */
export function commentPageMonth(file: string): string | undefined {
  const match = COMMENT_PAGE_FILE.exec(file);
  return match === null ? undefined : `${match[1]}-${match[2]}`;
}

export function commentPermalink(authorSlugValue: string, stamp: string): string {
  return `/comments/${authorSlugValue}/${stamp}/`;
}

export function authorPermalink(authorSlugValue: string): string {
  return `/authors/${authorSlugValue}/`;
}

/** The readable part of a thread URL; titles that slug to nothing get a digest instead. */
export function threadSlugBase(title: string): string {
  let slug = threadSlugs.get(title);
  if (slug === undefined) threadSlugs.set(title, (slug = computeThreadSlugBase(title)));
  return slug;
}
// Each title is slugged for its comments and again for its ledger entry; slugifying is slow.
const threadSlugs = new Map<string, string>();

function computeThreadSlugBase(title: string): string {
  const slug = slugText(title).slice(0, 80).replace(/-+$/, "");
  return slug === "" ? `thread-${shortHash(title)}` : slug;
}

export function threadPermalink(threadSlug: string): string {
  return `/threads/${threadSlug}/`;
}
