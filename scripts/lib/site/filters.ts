// Template filters: small pure functions, wired into Eleventy by sitePlugin.
import { DateTime } from "luxon";
import { excerpt } from "./plain-text.ts";

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: "utc" });

/** `19 June 2021` */
export function readableDate(iso: string): string {
  return utc(iso).toFormat("d LLLL yyyy");
}

/** `19 June 2021, 15:54 UTC` */
export function readableDateTime(iso: string): string {
  return utc(iso).toFormat("d LLLL yyyy, HH:mm 'UTC'");
}

/** The value of a `<time datetime>` attribute, e.g. `2021-06-19T15:54:32.790Z`. */
export function machineDate(iso: string): string {
  return utc(iso).toISO({ includeOffset: false }) + "Z";
}

/** `May 2021` for year `2021`, month `05`. */
export function monthName(year: string, month: string): string {
  return DateTime.fromObject({ year: Number(year), month: Number(month) }, { zone: "utc" }).toFormat("LLLL yyyy");
}

/** `1 comment`, `2 comments` */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? singular : plural}`;
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

export function shortText(text: string, maxChars = 160): string {
  return excerpt(text, maxChars);
}
