// Template filters: small pure functions, wired into Eleventy by sitePlugin.
import { DateTime } from "luxon";
import { authorPermalink } from "../permalinks.ts";
import { excerpt } from "./plain-text.ts";

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: "utc" });

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** The import writes every date in this one form; reading it directly is ~20x faster than Luxon, which matters at 100,000 pages. */
const CANONICAL = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):\d\d\.\d{3}Z$/;

/** `19 June 2021` */
export function readableDate(iso: string): string {
  const m = CANONICAL.exec(iso);
  if (m === null) return utc(iso).toFormat("d LLLL yyyy");
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** `19 June 2021, 15:54 UTC` */
export function readableDateTime(iso: string): string {
  const m = CANONICAL.exec(iso);
  if (m === null) return utc(iso).toFormat("d LLLL yyyy, HH:mm 'UTC'");
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}, ${m[4]}:${m[5]} UTC`;
}

/** The value of a `<time datetime>` attribute, e.g. `2021-06-19T15:54:32.790Z`. */
export function machineDate(iso: string): string {
  if (CANONICAL.test(iso)) return iso;
  return utc(iso).toISO({ includeOffset: false }) + "Z";
}

/** `May 2021` for year `2021`, month `05`. */
export function monthName(year: string, month: string): string {
  return DateTime.fromObject({ year: Number(year), month: Number(month) }, { zone: "utc" }).toFormat("LLLL yyyy");
}

/** `May 2021` for `2021-05`. */
export function monthKeyName(key: string): string {
  return monthName(key.slice(0, 4), key.slice(5, 7));
}

/** A count as readers write it: `11,142`. */
export function formatNumber(count: number): string {
  return count.toLocaleString("en");
}

/** Which items of its list a page holds, counted from 1: `101–200`. */
export function itemRange(page: { start: number; items: readonly unknown[] }): string {
  return `${formatNumber(page.start + 1)}–${formatNumber(page.start + page.items.length)}`;
}

/** `1 comment`, `2 comments` */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

/** JSON for an inline `<script type="application/ld+json">`: `<` is escaped so no text can close the script. */
export function jsonScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Joins the site origin, the path prefix and a site-relative URL into an absolute URL. */
export function absoluteSiteUrl(path: string, origin: string, pathPrefix: string): string {
  const relative = path.replace(/^\/+/, "");
  return `${origin}${pathPrefix}${relative}`;
}

/**
 * `text` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: the plain-text <bdi>, for
 * names and titles where markup cannot go (<title>, feeds), so a right-to-left name cannot reverse what follows.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

export function shortText(text: string, maxChars = 160): string {
  return excerpt(text, maxChars);
}

/** A `Date` for the RSS plugin's `dateToRfc3339`, which takes nothing else. */
export function toDate(iso: string): Date {
  return new Date(iso);
}

/**
 * A comment's HTML one heading level deeper, for lists whose cards have their own h2: the
 * renderer's h2..h6 become h3..h6. Raw HTML is escaped in comments, so every `<hN` is a heading.
 */
export function nestHeadings(html: string): string {
  return html.replace(/<(\/?)h([1-6])\b/g, (_, slash: string, level: string) => `<${slash}h${Math.min(Number(level) + 1, 6)}`);
}

/** Text without the characters XML 1.0 forbids (most C0 controls, lone surrogates), so feeds stay well-formed. */
export function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

/** The page of an author a comment names (the import's refs carry only slugs). */
export function authorUrl(author: { slug: string }): string {
  return authorPermalink(author.slug);
}

/**
 * A site path: absolute, segments separated by single slashes, no query, perhaps a fragment (a
 * comment's place on its thread page). Each segment but the last ends in its slash, so there is
 * one way to match (no backtracking on a long URL).
 */
const SITE_PATH = /^\/(?:[^/?#\s]+\/)*[^/?#\s]*(?:#[^#\s]*)?$/;

/**
 * `/threads/x/` or `/threads/x/#c-1` under the path prefix (`/` or `/sub/`), the same as Eleventy's
 * `url` filter gives for such a path; undefined for anything else (a full URL, a relative path, a query).
 */
export function prefixSitePath(url: string, pathPrefix: string): string | undefined {
  if (!SITE_PATH.test(url) || /\/\.\.?(?:[/#]|$)/.test(url)) return undefined;
  return pathPrefix + url.slice(1);
}

/**
 * A forum comment's HTML with its links to other forum comments (marked at render, see
 * COMMENT_ID_ATTRIBUTE) pointed at their pages here when `links` (by forum id) names them.
 */
export function localCommentLinks(html: string, links: Readonly<Record<string, string>> | undefined, pathPrefix: string): string {
  if (links === undefined || !html.includes("data-comment-id")) return html;
  return html.replace(/<a data-comment-id="([A-Za-z0-9]+)" href="[^"]*"/g, (link, id: string) => {
    const page = Object.hasOwn(links, id) ? links[id] : undefined;
    const href = page === undefined ? undefined : prefixSitePath(page, pathPrefix);
    return href === undefined ? link : `<a data-comment-id="${id}" href="${href}"`;
  });
}
