// Wires the site's data and filters into Eleventy; everything it wires lives in its own module.
import { rm } from "node:fs/promises";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import {
  absoluteSiteUrl,
  prefixSitePath,
  authorUrl,
  isolate,
  itemRange,
  jsonScript,
  localCommentLinks,
  machineDate,
  monthKeyName,
  monthName,
  nestHeadings,
  pluralize,
  readableDate,
  readableDateTime,
  shortText,
  toDate,
  xmlText,
} from "./filters.ts";
import { tellBuild } from "../render-channel.ts";
import { barChart, heatMap } from "./charts.ts";
import { renderingCodeDigest } from "./code-digest.ts";
import { originalLinks } from "./original-links.ts";
import { publishRawMarkdown, sitemapUrls } from "./machine-readable.ts";
import { commentIndexJson } from "./comment-index.ts";
import { sitePages, type PageData, type SitemapEntry, type SitePages } from "./page-model.ts";
import { batchCount, batchOf, pendingMonths, renderWeight } from "./render-batches.ts";
import { planRender, siteChanges, writeChanges, writeManifest } from "./render-plan.ts";
import { RenderSession, type Planned } from "./render-session.ts";
import type { SiteComment } from "./site-archive.ts";
import type { SiteConfig } from "./site-config.ts";
import { commentJsonLd, threadJsonLd } from "./structured-data.ts";

type UrlFilter = (this: unknown, url: string, pathPrefixOverride?: string) => string;

/**
 * Eleventy's `url` filter with a fast path: it costs ~50 µs a call (it first tries each path as
 * an absolute URL and catches the error), and a comment page calls it ~20 times with paths mostly
 * its own. A plain site path (see `prefixSitePath`) just gets the prefix; anything else goes to
 * Eleventy's filter, whose answers are remembered.
 */
function fastUrls(config: UserConfig, pathPrefix: string): void {
  const eleventyUrl = (config as unknown as { getFilter(name: string): UrlFilter }).getFilter("url");
  const known = new Map<string, string>();
  config.addFilter("url", function (this: unknown, url: string, pathPrefixOverride?: string) {
    if (pathPrefixOverride !== undefined || typeof url !== "string") return eleventyUrl.call(this, url, pathPrefixOverride);
    const fast = prefixSitePath(url, pathPrefix);
    if (fast !== undefined) return fast;
    let prefixed = known.get(url);
    if (prefixed === undefined) known.set(url, (prefixed = eleventyUrl.call(this, url)));
    return prefixed;
  });
}

export function sitePlugin(config: UserConfig, options: unknown): void {
  const site = options as SiteConfig;
  const absolute = (path: string): string => absoluteSiteUrl(path, site.url, site.pathPrefix);
  config.addGlobalData("site", site);
  const session = RenderSession.of(config) ?? new RenderSession();
  const modelOptions = { ...(site.sitemapSize === undefined ? {} : { sitemapSize: site.sitemapSize }), commentIndex: session.commentIndex, parts: session.pageParts };
  // Kept for the after-build step, which publishes files Eleventy does not render.
  let render: SitePages | undefined;
  let planned: Planned | undefined;
  const plan = async (): Promise<Planned> => {
    const codeDigest = renderingCodeDigest(site);
    const { files, cache, reread, previous } = await session.archive(codeDigest);
    const archive = files.siteArchive();
    const made = planRender(sitePages(archive, modelOptions), codeDigest, previous, session.pageDigests);
    const read = reread === undefined ? "every page of the archive read" : `${reread} page${reread === 1 ? "" : "s"} of the archive read again`;
    console.log(`eleventy: rendering ${made.rendering} of ${made.listed} pages (${archive.comments.length} comments; ${read})`);
    return { plan: made, before: previous, cache };
  };
  // Templates see `site` and the pages they render (`render.<template>`), nothing else: see page-model.ts.
  config.addGlobalData("render", async () => {
    const { batch } = session;
    planned = batch?.planned ?? (await plan());
    if (batch === undefined) return (render = planned.plan.render);
    batch.planned = planned;
    batch.count ??= batchCount(renderWeight(planned.plan.render));
    return (render = batchOf(planned.plan.render, batch.index, batch.count));
  });
  config.on("eleventy.after", async ({ directories }: { directories: { output: string } }) => {
    if (render === undefined || planned === undefined) return;
    publishRawMarkdown(render.comment, directories.output);
    // The build's changes and manifest (28 MB at 100,000 comments) once, after its last run.
    const { batch } = session;
    if (batch !== undefined && batch.index + 1 < (batch.count ?? 1)) {
      // A whole site is published as rendered: the search may index the months this and earlier
      // runs completed meanwhile (see build-site.ts). An update's pages are not in place yet.
      const pending = planned.plan.whole ? pendingMonths(planned.plan.render, batch.index, batch.count ?? 1) : undefined;
      if (pending !== undefined) await tellBuild({ kind: "pagesWritten", pending });
      return;
    }
    const { before, plan: made } = planned;
    const changes = siteChanges(before, made.manifest);
    for (const file of changes.retired) await rm(path.join(directories.output, file), { force: true });
    const { manifestOut } = session.request;
    if (manifestOut !== undefined) {
      await writeChanges(manifestOut, changes);
      await tellBuild({ kind: "changesWritten" });
      await writeManifest(manifestOut, made.manifest);
    }
    planned.cache.save();
    await session.rendered(before === undefined ? { manifest: made.manifest } : { manifest: made.manifest, changedCommentPages: changes.indexed });
  });

  fastUrls(config, site.pathPrefix);
  config.addFilter("readableDate", readableDate);
  config.addFilter("readableDateTime", readableDateTime);
  config.addFilter("machineDate", machineDate);
  config.addFilter("monthName", monthName);
  config.addFilter("monthKeyName", monthKeyName);
  config.addFilter("barChart", barChart);
  config.addFilter("heatMap", heatMap);
  config.addFilter("pluralize", pluralize);
  config.addFilter("itemRange", itemRange);
  config.addFilter("jsonScript", jsonScript);
  config.addFilter("isolate", isolate);
  config.addFilter("originalLinks", originalLinks);
  config.addFilter("shortText", shortText);
  config.addFilter("toDate", toDate);
  config.addFilter("nestHeadings", nestHeadings);
  config.addFilter("localCommentLinks", (html: string, links: Readonly<Record<string, string>> | undefined) => localCommentLinks(html, links, site.pathPrefix));
  config.addFilter("xmlText", xmlText);
  config.addFilter("authorUrl", authorUrl);
  config.addFilter("commentIndexJson", commentIndexJson);
  config.addFilter("absoluteSiteUrl", absolute);
  config.addFilter("sitemapUrls", (entries: readonly SitemapEntry[]) => sitemapUrls(entries, absolute));
  config.addFilter("commentJsonLd", (comment: SiteComment) => commentJsonLd(comment, absolute));
  config.addFilter("threadJsonLd", (data: PageData["thread"]) => threadJsonLd(data, absolute));
}
