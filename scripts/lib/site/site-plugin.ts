// Wires the site's data and filters into Eleventy; everything it wires lives in its own module.
import type { UserConfig } from "@11ty/eleventy";
import {
  absoluteSiteUrl,
  authorUrl,
  jsonScript,
  machineDate,
  monthName,
  nestHeadings,
  newest,
  pluralize,
  readableDate,
  readableDateTime,
  shortText,
  take,
  threadUrl,
  toDate,
  xmlText,
} from "./filters.ts";
import { loadSiteArchive } from "./load-archive.ts";
import { commentIndexJson, publishRawMarkdown } from "./machine-readable.ts";
import type { Paged } from "./paginate.ts";
import type { SiteArchive, SiteComment, SiteThread } from "./site-archive.ts";
import type { SiteConfig } from "./site-config.ts";
import { commentJsonLd, threadJsonLd } from "./structured-data.ts";

type UrlFilter = (this: unknown, url: string, pathPrefixOverride?: string) => string;

/**
 * Eleventy's own `url` filter, remembering its answers: it costs ~50 µs a call (it first tries
 * each path as an absolute URL and catches the error), a page calls it ~20 times, mostly with
 * paths other pages used too, and for one build its answer depends on the path alone.
 */
function rememberUrls(config: UserConfig): void {
  const eleventyUrl = (config as unknown as { getFilter(name: string): UrlFilter }).getFilter("url");
  const known = new Map<string, string>();
  config.addFilter("url", function (this: unknown, url: string, pathPrefixOverride?: string) {
    if (pathPrefixOverride !== undefined || typeof url !== "string") return eleventyUrl.call(this, url, pathPrefixOverride);
    let prefixed = known.get(url);
    if (prefixed === undefined) known.set(url, (prefixed = eleventyUrl.call(this, url)));
    return prefixed;
  });
}

export function sitePlugin(config: UserConfig, options: unknown): void {
  const site = options as SiteConfig;
  const absolute = (path: string): string => absoluteSiteUrl(path, site.url, site.pathPrefix);
  config.addGlobalData("site", site);
  // Kept for the after-build step, which publishes files Eleventy does not render.
  let archive: SiteArchive | undefined;
  const archiveOptions = site.sitemapSize === undefined ? {} : { sitemapSize: site.sitemapSize };
  config.addGlobalData("archive", async () => (archive = await loadSiteArchive(undefined, archiveOptions)));
  config.on("eleventy.after", async ({ directories }: { directories: { output: string } }) => {
    if (archive !== undefined) await publishRawMarkdown(archive.comments, directories.output);
  });

  rememberUrls(config);
  config.addFilter("readableDate", readableDate);
  config.addFilter("readableDateTime", readableDateTime);
  config.addFilter("machineDate", machineDate);
  config.addFilter("monthName", monthName);
  config.addFilter("pluralize", pluralize);
  config.addFilter("jsonScript", jsonScript);
  config.addFilter("shortText", shortText);
  config.addFilter("take", take);
  config.addFilter("newest", newest);
  config.addFilter("toDate", toDate);
  config.addFilter("nestHeadings", nestHeadings);
  config.addFilter("xmlText", xmlText);
  config.addFilter("authorUrl", authorUrl);
  config.addFilter("threadUrl", threadUrl);
  config.addFilter("commentIndexJson", commentIndexJson);
  config.addFilter("absoluteSiteUrl", absolute);
  config.addFilter("commentJsonLd", (comment: SiteComment) => commentJsonLd(comment, absolute));
  config.addFilter("threadJsonLd", (thread: SiteThread, page: Paged<SiteComment>) => threadJsonLd(thread, page, absolute));
}
