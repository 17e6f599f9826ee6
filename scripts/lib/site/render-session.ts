// What one process's renders share: the build's request, the archive read so far, the render cache, the batch in progress, and who hears of each render.
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { MANIFEST_FILE } from "../content/manifest.ts";
import { fileStampSync } from "../file-stamp.ts";
import type { RenderRequest } from "../render-channel.ts";
import { renderingCodeDigest } from "./code-digest.ts";
import { ArchiveFiles, CONTENT_ARCHIVE_DIR } from "./load-archive.ts";
import { CommentIndexLines } from "./comment-index.ts";
import type { BatchedRender } from "./render-batches.ts";
import { PageParts } from "./page-parts.ts";
import { openRenderCache, type RenderCache } from "./render-cache.ts";
import { PageDigests, readManifest, type RenderPlan, type SiteManifest } from "./render-plan.ts";
import type { SiteConfig } from "./site-config.ts";

/** Rendered comments of the last build, so the next renders only changed Markdown (see render-cache.ts). */
const RENDER_CACHE_FILE = ".cache/rendered-comments/index.json";

/** What a render in this process changed, for re-indexing search (see scripts/serve.ts). */
export interface Rendered {
  /** What the site now holds (see render-plan.ts), for the process to keep as its build state. */
  readonly manifest: SiteManifest;
  /** Site-relative comment pages whose comment is new, changed or gone; undefined when there was no previous build to compare with. */
  readonly changedCommentPages?: readonly string[];
}

/** A render's plan, with what it was made against; shared by the runs of a batched render. */
export interface Planned {
  readonly plan: RenderPlan;
  /** The manifest the plan was made against: the site being updated. */
  readonly before: SiteManifest | undefined;
  /** The render cache the archive was loaded through, saved once the render is done. */
  readonly cache: RenderCache;
}

/** Read before the import is done (see `prepare`), for the session's first render to take. */
interface Prepared {
  readonly codeDigest: string;
  readonly cache: RenderCache;
  readonly previous: Promise<SiteManifest | undefined>;
  /** The archive's pages as they were before the import, and once it is done, the pages it changed. */
  readonly files: ArchiveFiles | undefined;
  contentChanged?: readonly string[];
}

const importStamp = (): string | undefined => fileStampSync(path.join(CONTENT_ARCHIVE_DIR, MANIFEST_FILE));

/** Which session each Eleventy instance renders for (see `attach`): set by whoever makes the instance. */
const sessions = new WeakMap<UserConfig, RenderSession>();

/**
 * One process's rendering: a build's render process (scripts/render-site.ts) or the dev server
 * (scripts/serve.ts). Whoever starts Eleventy makes the session and attaches it to each Eleventy
 * instance (`attach`); the site plugin renders for it. An Eleventy run without one (`npx
 * @11ty/eleventy`) renders the whole site and records nothing.
 */
export class RenderSession {
  readonly request: RenderRequest;
  /** The lines of `/comments.json`, by comment digest: a rebuild makes only those of changed comments. */
  readonly commentIndex = new CommentIndexLines();
  /** The last page model's parts, for those made of the same inputs in the next (see PageParts). */
  readonly pageParts = new PageParts();
  /** The last render's page digests, for pages whose data is the same in the next (see PageDigests). */
  readonly pageDigests = new PageDigests();
  /** The run of a batched render in progress (see render-batches.ts); none outside a batched render. */
  batch: BatchedRender<Planned> | undefined;
  #prepared: Prepared | undefined;
  /** The render cache, opened once per rendering code: a dev server's rebuilds find the rendered comments in it. */
  #cache: { codeDigest: string; entries: RenderCache } | undefined;
  /** The archive's pages as the last render read them, and the import manifest's stamp they reflect. */
  #read: { files: ArchiveFiles; cache: RenderCache; stamp: string | undefined } | undefined;
  readonly #importedSince = new Set<string>();
  #importsRunning: Promise<unknown> = Promise.resolve();
  /** The manifest of the last render in this session: the next renders what changed since. */
  #published: SiteManifest | undefined;
  readonly #listeners: ((rendered: Rendered) => Promise<void>)[] = [];

  constructor(request: RenderRequest = {}) {
    this.request = request;
  }

  /** Has the Eleventy instance configured by `config` render for this session (from Eleventy's `config` option). */
  attach(config: UserConfig): void {
    sessions.set(config, this);
  }

  /** The session an Eleventy instance renders for. */
  static of(config: UserConfig): RenderSession | undefined {
    return sessions.get(config);
  }

  /**
   * Opens the render cache, starts reading the manifest of the site being updated and reads the
   * archive's pages as they are: a render process started while the import still runs does this
   * meanwhile, and then reads again only what the import changed (see `contentImported`).
   */
  prepare(site: SiteConfig): void {
    const codeDigest = renderingCodeDigest(site);
    const { since } = this.request;
    const cache = openRenderCache(RENDER_CACHE_FILE, codeDigest);
    this.#prepared = { codeDigest, cache, previous: since === undefined ? Promise.resolve(undefined) : readManifest(since), files: ArchiveFiles.readWhileWritten(CONTENT_ARCHIVE_DIR, cache) };
  }

  /** The import is done, having written or deleted `changed` (paths relative to the content directory). */
  contentImported(changed: readonly string[]): void {
    if (this.#prepared !== undefined) this.#prepared.contentChanged = changed;
  }

  /**
   * An import of this process into the content directory has started; `imported` gives the pages it
   * wrote or deleted (relative to the content directory), or rejects when it failed. The next
   * render waits for it, and reads only those pages again.
   */
  importing(imported: Promise<readonly string[]>): void {
    const known = this.#read !== undefined && this.#read.stamp !== undefined && this.#read.stamp === importStamp();
    const settled = imported.then(
      (changed) => {
        if (!known || this.#read === undefined) return;
        for (const file of changed) this.#importedSince.add(file);
        this.#read.stamp = importStamp();
      },
      // A failed import may have replaced some pages and not the manifest that vouches for them.
      () => (this.#read = undefined),
    );
    this.#importsRunning = Promise.all([this.#importsRunning, settled]);
  }

  /** Calls `listener` after each render in this session has written its pages (the dev server re-indexes search then). */
  onRendered(listener: (rendered: Rendered) => Promise<void>): void {
    this.#listeners.push(listener);
  }

  /**
   * The archive's pages for a render with `codeDigest`, the render cache they were read through,
   * how many pages were read again (undefined: all of them), and the manifest to compare with.
   */
  async archive(codeDigest: string): Promise<{ files: ArchiveFiles; cache: RenderCache; reread: number | undefined; previous: SiteManifest | undefined }> {
    const early = this.#prepared?.codeDigest === codeDigest ? this.#prepared : undefined;
    this.#prepared = undefined;
    if (this.#cache?.codeDigest !== codeDigest) this.#cache = { codeDigest, entries: early?.cache ?? openRenderCache(RENDER_CACHE_FILE, codeDigest) };
    const cache = this.#cache.entries;
    const { since } = this.request;
    const previous = this.#published ?? (since === undefined ? undefined : await (early?.previous ?? readManifest(since)));
    if (early?.files !== undefined && early.contentChanged !== undefined && early.cache === cache) {
      return { files: early.files, cache, reread: early.files.update(early.contentChanged), previous };
    }
    await this.#importsRunning;
    let reread: number | undefined;
    if (this.#read?.cache === cache && this.#read.stamp !== undefined && this.#read.stamp === importStamp()) {
      reread = this.#read.files.update(this.#importedSince);
    } else {
      // Stamped before reading: pages written meanwhile leave another stamp, and are read next time.
      // Content written by anyone but this session's imports changes the stamp: every page is read.
      const stamp = importStamp();
      this.#read = { files: ArchiveFiles.read(CONTENT_ARCHIVE_DIR, cache), cache, stamp };
    }
    this.#importedSince.clear();
    return { files: this.#read.files, cache, reread, previous };
  }

  /** A render is done: `rendered.manifest` is what the site now holds. */
  async rendered(rendered: Rendered): Promise<void> {
    for (const listener of this.#listeners) await listener(rendered);
    this.#published = rendered.manifest;
  }
}
