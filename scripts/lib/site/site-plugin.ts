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
  machineDate,
  monthName,
  nestHeadings,
  pluralize,
  readableDate,
  readableDateTime,
  shortText,
  toDate,
  xmlText,
} from "./filters.ts";
import { MANIFEST_FILE } from "../content/manifest.ts";
import { fileStampSync } from "../file-stamp.ts";
import { tellBuild, type RenderRequest } from "../render-channel.ts";
import { renderingCodeDigest } from "./code-digest.ts";
import { originalLinks } from "./original-links.ts";
import { ArchiveFiles, CONTENT_ARCHIVE_DIR } from "./load-archive.ts";
import { publishRawMarkdown, sitemapUrls } from "./machine-readable.ts";
import { commentIndexJson } from "./comment-index.ts";
import { sitePages, type PageData, type SitemapEntry, type SitePages } from "./page-model.ts";
import { batchCount, batchOf, currentBatch, pendingMonths, renderWeight } from "./render-batches.ts";
import { openRenderCache, type RenderCache } from "./render-cache.ts";
import { planRender, readManifest, siteChanges, writeChanges, writeManifest, type RenderPlan, type SiteManifest } from "./render-plan.ts";
import type { SiteComment } from "./site-archive.ts";
import type { SiteConfig } from "./site-config.ts";
import { commentJsonLd, threadJsonLd } from "./structured-data.ts";

/** Rendered comments of the last build, so the next renders only changed Markdown (see render-cache.ts). */
const RENDER_CACHE_FILE = ".cache/rendered-comments/index.json";

/** What this process's renders compare with and where they write (see render-channel.ts); none: a whole render, no manifest. */
let request: RenderRequest = {};

/** Set before Eleventy starts: by render-site.ts from the build's message, by the dev server for its rebuilds. */
export function setRenderRequest(next: RenderRequest): void {
  request = next;
}

/** Read before the archive is ready (see `prepareRender`), for the process's first build to take. */
interface Prepared {
  codeDigest: string;
  cache: RenderCache;
  since: string | undefined;
  previous: Promise<SiteManifest | undefined>;
  /** The archive's pages as they were before the import, and once it is done, the pages it changed (see `contentImported`). */
  files: ArchiveFiles | undefined;
  contentChanged?: string[];
}

let prepared: Prepared | undefined;

/**
 * Opens the render cache, starts reading the manifest of the site being updated and reads the
 * archive's pages as they are: an Eleventy process started while the import still runs does
 * this meanwhile (see scripts/render-site.ts), and then reads again only what the import changed.
 */
export function prepareRender(site: SiteConfig): void {
  const codeDigest = renderingCodeDigest(site);
  const { since } = request;
  const previous = since === undefined ? Promise.resolve(undefined) : readManifest(since);
  const cache = openRenderCache(RENDER_CACHE_FILE, codeDigest);
  prepared = { codeDigest, cache, since, previous, files: ArchiveFiles.readWhileWritten(CONTENT_ARCHIVE_DIR, cache) };
}

/** The import is done, having written or deleted `changed` (paths relative to the content directory). */
export function contentImported(changed: string[]): void {
  if (prepared !== undefined) prepared.contentChanged = changed;
}

/** What `prepareRender` read, once, when it was read for the same code and manifest. */
function takePrepared(codeDigest: string, since: string | undefined): Prepared | undefined {
  const taken = prepared;
  prepared = undefined;
  return taken?.codeDigest === codeDigest && taken.since === since ? taken : undefined;
}

/**
 * The archive's pages as the last build in this process read them (the dev server's builds), and
 * the stamp of the import's manifest they reflect: pages that imports in this process changed since
 * are read again (`importedSince`), the rest kept. Content written by anyone else changes the stamp
 * in a way no import here reported, and the next build reads every page.
 */
let inProcess: { files: ArchiveFiles; cache: RenderCache; stamp: string | undefined } | undefined;
const importedSince = new Set<string>();
let importsRunning: Promise<unknown> = Promise.resolve();

const importStamp = (): string | undefined => fileStampSync(path.join(CONTENT_ARCHIVE_DIR, MANIFEST_FILE));

/**
 * An import of this process into the content directory has started; `imported` gives the pages it
 * wrote or deleted (relative to the content directory), or rejects when it failed. The next build
 * waits for it, and reads only those pages again.
 */
export function importingInProcess(imported: Promise<string[]>): void {
  const known = inProcess !== undefined && inProcess.stamp !== undefined && inProcess.stamp === importStamp();
  const settled = imported.then(
    (changed) => {
      if (!known || inProcess === undefined) return;
      for (const file of changed) importedSince.add(file);
      inProcess.stamp = importStamp();
    },
    // A failed import may have replaced some pages and not the manifest that vouches for them.
    () => (inProcess = undefined),
  );
  importsRunning = Promise.all([importsRunning, settled]);
}

/**
 * The archive's pages for a build in this process: those imports here changed read again (and how
 * many that was), or all of them.
 */
function readInProcess(cache: RenderCache): { files: ArchiveFiles; reread?: number } {
  let reread: number | undefined;
  if (inProcess?.cache === cache && inProcess.stamp !== undefined && inProcess.stamp === importStamp()) {
    reread = inProcess.files.update(importedSince);
  } else {
    // Stamped before reading: pages written meanwhile leave another stamp, and are read next time.
    const stamp = importStamp();
    inProcess = { files: ArchiveFiles.read(CONTENT_ARCHIVE_DIR, cache), cache, stamp };
  }
  importedSince.clear();
  return { files: inProcess.files, reread };
}

/** What a build in this process changed, for re-indexing search (see scripts/serve.ts). */
export interface Rendered {
  /** What the site now holds (see render-plan.ts), for the process to keep as its build state. */
  manifest: SiteManifest;
  /** Site-relative comment pages whose comment is new, changed or gone (see `searchChanges`; all of them after a change of rendering code); undefined when there was no previous build to compare with. */
  changedCommentPages?: string[];
}

const renderedListeners: ((rendered: Rendered) => Promise<void>)[] = [];

/** Calls `listener` after each build in this process has written its pages (the dev server re-indexes search then). */
export function onSiteRendered(listener: (rendered: Rendered) => Promise<void>): void {
  renderedListeners.push(listener);
}

interface Planned {
  plan: RenderPlan;
  /** The manifest the plan was made against: the site being updated. */
  before: SiteManifest | undefined;
  /** The render cache the archive was loaded through, saved once the build is done. */
  cache: RenderCache;
}

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
  const modelOptions = site.sitemapSize === undefined ? {} : { sitemapSize: site.sitemapSize };
  const state = request;
  // Kept for the after-build step, which publishes files Eleventy does not render.
  let render: SitePages | undefined;
  let manifest: SiteManifest | undefined;
  let before: SiteManifest | undefined;
  // Each run of a batched render has its own Eleventy and plugin: what the first planned comes through the batch.
  let renderCache: RenderCache | undefined;
  // The dev server rebuilds in this process: each rebuild renders what changed since the one before.
  let previousInProcess: SiteManifest | undefined;
  let cache: { codeDigest: string; entries: RenderCache } | undefined;
  const plan = async (): Promise<Planned> => {
    const codeDigest = renderingCodeDigest(site);
    const early = takePrepared(codeDigest, state.since);
    // Opened once per process (and rendering code): a dev server's rebuilds find the rendered comments in it.
    if (cache?.codeDigest !== codeDigest) cache = { codeDigest, entries: early?.cache ?? openRenderCache(RENDER_CACHE_FILE, codeDigest) };
    // The cache is saved after the build (see eleventy.after), not on the way to rendering.
    let files: ArchiveFiles;
    let reread: number | undefined;
    if (early?.files !== undefined && early.contentChanged !== undefined && early.cache === cache.entries) {
      reread = early.files.update(early.contentChanged);
      files = early.files;
    } else {
      await importsRunning;
      ({ files, reread } = readInProcess(cache.entries));
    }
    const archive = files.siteArchive();
    const previous = previousInProcess ?? (state.since === undefined ? undefined : await (early?.previous ?? readManifest(state.since)));
    const planned = planRender(sitePages(archive, modelOptions), codeDigest, previous);
    const read = reread === undefined ? "every page of the archive read" : `${reread} page${reread === 1 ? "" : "s"} of the archive read again`;
    console.log(`eleventy: rendering ${planned.rendering} of ${planned.listed} pages (${archive.comments.length} comments; ${read})`);
    return { plan: planned, before: previous, cache: cache.entries };
  };
  // Templates see `site` and the pages they render (`render.<template>`), nothing else: see page-model.ts.
  config.addGlobalData("render", async () => {
    const batch = currentBatch<Planned>();
    const planned = batch?.planned ?? (await plan());
    manifest = planned.plan.manifest;
    before = planned.before;
    renderCache = planned.cache;
    if (batch === undefined) return (render = planned.plan.render);
    batch.planned = planned;
    batch.count ??= batchCount(renderWeight(planned.plan.render));
    return (render = batchOf(planned.plan.render, batch.index, batch.count));
  });
  config.on("eleventy.after", async ({ directories }: { directories: { output: string } }) => {
    if (render === undefined || manifest === undefined) return;
    publishRawMarkdown(render.comment, directories.output);
    // The build's changes and manifest (28 MB at 100,000 comments) once, after its last run.
    const batch = currentBatch<Planned>();
    if (batch !== undefined && batch.index + 1 < (batch.count ?? 1)) {
      // A whole site is published as rendered: the search may index the months this and earlier
      // runs completed meanwhile (see build-site.ts). An update's pages are not in place yet.
      const whole = batch.planned?.plan.whole === true;
      const pending = whole && batch.planned !== undefined ? pendingMonths(batch.planned.plan.render, batch.index, batch.count ?? 1) : undefined;
      if (pending !== undefined) await tellBuild({ kind: "pagesWritten", pending });
      return;
    }
    const changes = siteChanges(before, manifest);
    for (const file of changes.retired) await rm(path.join(directories.output, file), { force: true });
    const rendered: Rendered = before === undefined ? { manifest } : { manifest, changedCommentPages: changes.indexed };
    if (state.manifestOut !== undefined) {
      await writeChanges(state.manifestOut, changes);
      await tellBuild({ kind: "changesWritten" });
      await writeManifest(state.manifestOut, manifest);
    }
    renderCache?.save();
    for (const listener of renderedListeners) await listener(rendered);
    previousInProcess = manifest;
  });

  fastUrls(config, site.pathPrefix);
  config.addFilter("readableDate", readableDate);
  config.addFilter("readableDateTime", readableDateTime);
  config.addFilter("machineDate", machineDate);
  config.addFilter("monthName", monthName);
  config.addFilter("pluralize", pluralize);
  config.addFilter("itemRange", itemRange);
  config.addFilter("jsonScript", jsonScript);
  config.addFilter("isolate", isolate);
  config.addFilter("originalLinks", originalLinks);
  config.addFilter("shortText", shortText);
  config.addFilter("toDate", toDate);
  config.addFilter("nestHeadings", nestHeadings);
  config.addFilter("xmlText", xmlText);
  config.addFilter("authorUrl", authorUrl);
  config.addFilter("commentIndexJson", commentIndexJson);
  config.addFilter("absoluteSiteUrl", absolute);
  config.addFilter("sitemapUrls", (entries: readonly SitemapEntry[]) => sitemapUrls(entries, absolute));
  config.addFilter("commentJsonLd", (comment: SiteComment) => commentJsonLd(comment, absolute));
  config.addFilter("threadJsonLd", (data: PageData["thread"]) => threadJsonLd(data, absolute));
}
