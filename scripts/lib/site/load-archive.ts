// Reads the import's Markdown pages back and renders each comment's Markdown once for every page that shows it.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import type { CommentPage, MovedPage, RemovedPage, ThreadPage } from "../content/pages.ts";
import { renderComment } from "./markdown/index.ts";
import { renderForumBody } from "./markdown/forum-body.ts";
import { PageParts } from "./page-parts.ts";
import { countWords } from "./plain-text.ts";
import type { FileStamp, RenderCache, RenderedText } from "./render-cache.ts";
import { buildSiteArchive, byDateAsc, commentAnchor, listedComment, type LoadedComment, type SiteArchive, type SiteComment } from "./site-archive.ts";

/** Splits a page into its front matter and body; the import writes them, so the shape is fixed. */
export function splitPage(text: string, file: string): { data: unknown; body: string } {
  const match = /^---\n([\s\S]*?\n)---\n(?:\n([\s\S]*)\n)?$/.exec(text);
  if (match === null) throw new Error(`${file}: not a page written by the import (front matter missing); run \`npm run import\``);
  return { data: load(match[1] ?? ""), body: match[2] ?? "" };
}

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".md")).map((e) => path.join(e.parentPath, e.name)).sort();
}

/**
 * What a comment shows, as a digest: its facts and its Markdown. `source` (the export it came
 * from) is left out: renaming an export changes it, and no page shows it.
 */
export function commentDigest(page: CommentPage, body: string): string {
  const shown = { ...page, source: undefined };
  return createHash("sha1").update(JSON.stringify(shown)).update("\0").update(body).digest("base64url");
}

/** A comment page's facts and digest, read from its text. */
function readComment(text: string, file: string): { page: CommentPage; body: string; digest: string } {
  const { data, body } = splitPage(text, file);
  const page = data as CommentPage;
  return { page, body, digest: commentDigest(page, body) };
}

/** Where relative links of a forum comment lead when its input named no forum (no pageUrl): LessWrong's, `npm run fetch`'s default. */
const DEFAULT_FORUM_ORIGIN = "https://www.lesswrong.com";

/**
 * A comment's HTML, plain text, the forum comments it links to and its word count, each worked out
 * here once. The forum API's Markdown has math, and links relative to its forum; a text export's
 * has neither (its `$` are dollars). Links to other comments go to the forum here: which of them
 * this site holds is not a fact of this comment, and the pages that show it point them home (see
 * page-model.ts).
 */
function renderBody(page: CommentPage, body: string): RenderedText & { readonly words: number } {
  const scope = commentAnchor(page);
  const rendered = page.forum === undefined ? renderComment(body, scope) : renderForumBody({ markdown: body }, { scope, forumOrigin: page.forum.origin ?? DEFAULT_FORUM_ORIGIN });
  return { ...rendered, words: countWords(rendered.text) };
}

/** A page whose file changed since it was cached: rendered again unless what it shows is the same. */
function reloadComment(file: string, stamp: FileStamp, cache: RenderCache | undefined): LoadedComment {
  const { page, body, digest } = readComment(readFileSync(file, "utf8"), file);
  const reused = cache?.reuse(file, stamp, page, digest);
  if (reused !== undefined) return reused;
  const rendered = renderBody(page, body);
  return cache === undefined ? { page, file, digest, ...rendered } : cache.set(file, stamp, page, digest, rendered);
}

export interface LoadOptions {
  /** Rendered comments of the previous build (in this process or an earlier one), to reuse for pages unchanged since. */
  cache?: RenderCache;
}

/** Where the import writes the archive's pages (see scripts/lib/cli.ts). */
export const CONTENT_ARCHIVE_DIR = "content/archive";

/** The kinds of page the import writes, each in its own directory of the content directory. */
const KINDS = ["comments", "threads", "moved", "removed"] as const;
type Kind = (typeof KINDS)[number];

/**
 * The import's pages read from a content directory, by file: comments (rendered, through the
 * render cache) and the front matter of the others. Read once, they can be brought up to date
 * with the files an import changed (see `update`), so a build need not read every page again.
 */
export class ArchiveFiles {
  readonly #contentDir: string;
  readonly #cache: RenderCache | undefined;
  readonly #comments = new Map<string, LoadedComment>();
  readonly #pages = { threads: new Map<string, ThreadPage>(), moved: new Map<string, MovedPage>(), removed: new Map<string, RemovedPage>() };
  /** Files that could not be read (an import was writing them): read again by `update`. */
  readonly #unread = new Set<string>();
  /**
   * The comments in date order as `siteArchive` last sorted them, and the files of comments loaded
   * or dropped since: sorting 100,000 comments costs 0.4 s, merging a few into a sorted list a
   * hundredth of that.
   */
  #inDateOrder: LoadedComment[] | undefined;
  readonly #changedSince = new Set<string>();
  /**
   * Each comment as listed, by digest: a SiteComment is a function of what its digest covers, and
   * handing out the one made before lets a rebuild tell unchanged page data apart at a glance
   * (see PageDigests).
   */
  #listed = new Map<string, SiteComment>();
  /** The threads, authors and periods of the last site archive, kept for those of the same comments (see PageParts). */
  readonly #parts = new PageParts();

  private constructor(contentDir: string, cache: RenderCache | undefined) {
    this.#contentDir = contentDir;
    this.#cache = cache;
  }

  /** Reads every page of `contentDir`. */
  static read(contentDir: string, cache: RenderCache | undefined): ArchiveFiles {
    const files = new ArchiveFiles(contentDir, cache);
    for (const kind of KINDS) for (const file of markdownFiles(path.join(contentDir, kind))) files.#load(kind, file);
    return files;
  }

  /**
   * Reads every page of `contentDir` while an import may be writing it. A page that cannot be
   * read is left for `update`, which must be given every file the import wrote or deleted.
   * Undefined when the directory itself could not be listed.
   */
  static readWhileWritten(contentDir: string, cache: RenderCache | undefined): ArchiveFiles | undefined {
    const files = new ArchiveFiles(contentDir, cache);
    try {
      for (const kind of KINDS) {
        for (const file of markdownFiles(path.join(contentDir, kind))) {
          try {
            files.#load(kind, file);
          } catch {
            files.#unread.add(file);
          }
        }
      }
    } catch {
      return undefined;
    }
    return files;
  }

  /**
   * Synchronous file calls on purpose: for 100,000 small files, promises cost four times as much
   * (stat: 1.4 s against 0.6 s; the thread pages: 1.6 s against 0.4 s).
   */
  #load(kind: Kind, file: string): void {
    if (kind === "comments") {
      const { size, mtimeMs } = statSync(file);
      const stamp = { size, mtimeMs };
      const comment = this.#cache?.get(file, stamp) ?? reloadComment(file, stamp, this.#cache);
      this.#comments.set(file, comment);
      this.#changedSince.add(file);
      return;
    }
    const { data } = splitPage(readFileSync(file, "utf8"), file);
    (this.#pages[kind] as Map<string, unknown>).set(file, data);
  }

  /**
   * Reads again the pages an import wrote since, and forgets those it deleted (`changed`: paths
   * relative to the content directory); returns how many pages that was.
   */
  update(changed: Iterable<string>): number {
    const files = new Set([...this.#unread, ...[...changed].map((file) => path.join(this.#contentDir, file))]);
    this.#unread.clear();
    let updated = 0;
    for (const file of files) {
      const kind = KINDS.find((k) => file.startsWith(path.join(this.#contentDir, k) + path.sep));
      if (kind === undefined || !file.endsWith(".md")) continue;
      if (this.#comments.has(file)) this.#changedSince.add(file);
      this.#comments.delete(file);
      this.#pages.threads.delete(file);
      this.#pages.moved.delete(file);
      this.#pages.removed.delete(file);
      if (existsSync(file)) this.#load(kind, file);
      else this.#cache?.forget(file);
      updated++;
    }
    return updated;
  }

  /** The comments, oldest first (see byDateAsc): the last order, less those of changed files, with those files' comments now merged in. */
  #commentsInDateOrder(): LoadedComment[] {
    const changed = this.#changedSince;
    if (this.#inDateOrder !== undefined && changed.size === 0) return this.#inDateOrder;
    const kept = (this.#inDateOrder ?? []).filter((c) => !changed.has(c.file));
    const added: LoadedComment[] = [];
    for (const file of changed) {
      const loaded = this.#comments.get(file);
      if (loaded !== undefined) added.push(loaded);
    }
    // A sorted run and a short one: the sort merges them in linear time.
    const ordered = [...kept, ...added].sort((a, b) => byDateAsc(a.page, b.page));
    this.#inDateOrder = ordered;
    changed.clear();
    return ordered;
  }

  /**
   * The site's archive of these pages: comments in date order, other pages in file order as a
   * directory listing gives them.
   */
  siteArchive(): SiteArchive {
    const sorted = <T>(pages: Map<string, T>): T[] => [...pages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, page]) => page);
    const list = (loaded: LoadedComment): SiteComment => {
      let listed = this.#listed.get(loaded.digest);
      if (listed === undefined) this.#listed.set(loaded.digest, (listed = listedComment(loaded)));
      return listed;
    };
    const comments = this.#commentsInDateOrder();
    // Comments changed or gone leave theirs behind: forgotten once they are a tenth of those kept.
    if (this.#listed.size > comments.length * 1.1) this.#listed = new Map(comments.map((c) => [c.digest, list(c)]));
    return buildSiteArchive(comments, sorted(this.#pages.threads), { moved: sorted(this.#pages.moved), removed: sorted(this.#pages.removed) }, list, this.#parts);
  }
}

/**
 * Loads `contentDir` (default `content/archive`) in one go, and saves `cache`. With `cache`, a
 * comment page is rendered again only when what it shows changed since the cache's last build.
 * (A build reads through `ArchiveFiles`, and saves its cache once it is done.)
 */
export async function loadSiteArchive(contentDir = CONTENT_ARCHIVE_DIR, options: LoadOptions = {}): Promise<SiteArchive> {
  const { cache } = options;
  const files = ArchiveFiles.read(contentDir, cache);
  cache?.save();
  return files.siteArchive();
}
