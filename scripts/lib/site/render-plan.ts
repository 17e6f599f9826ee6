// What a build renders, moves into dist/, deletes and indexes again: each output file's digest (its page's data, see page-model.ts) against the last build's.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { textDigest } from "../text-digest.ts";
import { sameData } from "./page-parts.ts";
import { TEMPLATES, type SitePage, type SitePages, type Template } from "./page-model.ts";

/**
 * What the last build published: the digest of every output file (site-relative path). Written
 * under .cache/ by the build (see build-site.ts) and by the dev server; any other version, code
 * or a file that cannot be read means a whole build.
 */
export interface SiteManifest {
  readonly version: 5;
  /** See `renderingCodeDigest`: with other templates or code, no page digest can be trusted. */
  readonly codeDigest: string;
  /** Every output file's digest: of everything it is made from (its page's template, URL and data). */
  readonly files: ReadonlyMap<string, string>;
  /**
   * Each comment page's digest of what the search indexes of it: the comment itself. A page
   * rendered again only because a neighbour changed need not be indexed again.
   */
  readonly indexed: ReadonlyMap<string, string>;
}

/** The manifest as a file holds it: one [file, digest] or [file, digest, indexed] a file. */
interface StoredSiteManifest {
  version: 5;
  codeDigest: string;
  files: ([string, string] | [string, string, string])[];
}

export interface RenderPlan {
  /** The pages to render, by template. */
  readonly render: SitePages;
  /** The manifest of the site this build publishes (rendered and kept pages alike). */
  readonly manifest: SiteManifest;
  /** Pages to render, of all there are. */
  readonly rendering: number;
  readonly listed: number;
  /** Every page is rendered: there was no previous manifest, or one made by other code. */
  readonly whole: boolean;
}

/**
 * A page's digest: of its template, its URL and the data its template receives, which is all it
 * is made from (with the rendering code, see `renderingCodeDigest`). A comment in the data stands
 * for its own digest (see SiteComment's toJSON), which covers its facts and text.
 */
export function pageDigest(page: SitePage): string {
  return textDigest("sha1", `${page.template}\n${page.url}\n${JSON.stringify(page.data)}`);
}

/** What the last plan knew of one URL: the page its digest was made of, and where the page is written. */
interface KnownPage {
  page: SitePage;
  digest: string;
  readonly file: string;
  /** A comment page's Markdown file, published beside it. */
  readonly markdown: string | undefined;
  /** The plan that listed it last (see PageDigests.settle). */
  plan: number;
}

function newPage(page: SitePage): Omit<KnownPage, "plan"> {
  return { page, digest: pageDigest(page), file: outputFile(page.url), markdown: page.template === "comment" ? markdownFile(page.url) : undefined };
}

/**
 * The last plan's page digests with the data they were made of, by URL: a page whose data equals
 * what its URL had then keeps its digest without being serialised again. A dev server keeps one
 * for its rebuilds, where nearly every one of 100,000 pages is as it was.
 */
export class PageDigests {
  readonly #known = new Map<string, KnownPage>();
  #plan = 0;

  /** `page` with its digest and output files. */
  known(page: SitePage): KnownPage {
    const known = this.#known.get(page.url);
    if (known === undefined || known.page.template !== page.template) {
      const made = { ...newPage(page), plan: this.#plan };
      this.#known.set(page.url, made);
      return made;
    }
    if (known.page !== page && !sameData(known.page.data, page.data)) known.digest = pageDigest(page);
    known.page = page;
    known.plan = this.#plan;
    return known;
  }

  /** The plan is made: pages it did not list are forgotten. */
  settle(): void {
    for (const [url, known] of this.#known) if (known.plan !== this.#plan) this.#known.delete(url);
    this.#plan += 1;
  }
}

/** `previous` when its digests can be compared with those of a build by `codeDigest`. */
function comparable(previous: SiteManifest | undefined, codeDigest: string): SiteManifest | undefined {
  return previous?.version === 5 && previous.codeDigest === codeDigest ? previous : undefined;
}

/** `/a/b/` -> `a/b/`. Site paths start with one slash: the regular expression is for anything else. */
function relativePath(url: string): string {
  return url.startsWith("/") && !url.startsWith("//") ? url.slice(1) : url.replace(/^\/+/, "");
}

/** `/a/b/` -> `a/b/index.html`, `/a/feed.xml` -> `a/feed.xml`. */
export function outputFile(url: string): string {
  const relative = relativePath(url);
  return relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
}

/** A comment's Markdown, published beside its page. */
export function markdownFile(permalink: string): string {
  return `${relativePath(permalink)}index.md`;
}

/**
 * Plans a build: with `previous` (the manifest of the site being updated, made by the same code),
 * only pages whose digest changed are rendered; without it, every page. `digests`: the last plan's
 * pages, whose digests hold for pages with the same data (see PageDigests); none for a first plan.
 */
export function planRender(pages: SitePages, codeDigest: string, previous?: SiteManifest, digests?: PageDigests): RenderPlan {
  const usable = comparable(previous, codeDigest);
  const files = new Map<string, string>();
  const indexed = new Map<string, string>();
  let listed = 0;
  let rendering = 0;
  const select = <T extends Template>(list: readonly SitePage<T>[]): SitePage<T>[] => {
    const chosen: SitePage<T>[] = [];
    for (const page of list) {
      const { file, markdown, digest } = digests?.known(page) ?? newPage(page);
      if (markdown !== undefined) {
        const { comment } = (page as SitePage<"comment">).data;
        indexed.set(file, comment.digest);
        files.set(markdown, comment.digest);
      }
      files.set(file, digest);
      listed += 1;
      if (usable === undefined || usable.files.get(file) !== digest) {
        chosen.push(page);
        rendering += 1;
      }
    }
    return chosen;
  };
  const render = Object.fromEntries(TEMPLATES.map((template) => [template, select(pages[template])])) as unknown as SitePages;
  digests?.settle();
  return { render, manifest: { version: 5, codeDigest, files, indexed }, rendering, listed, whole: usable === undefined };
}

/** Files the previous site had and this one does not: pages of comments, threads, authors that left, and their feeds. */
export function retiredFiles(previous: SiteManifest, next: SiteManifest): string[] {
  const retired: string[] = [];
  for (const file of previous.files.keys()) if (!next.files.has(file)) retired.push(file);
  return retired;
}

/**
 * Comment pages the search must index again after `previous`: those whose comment is new or
 * changed, and those that left. Without a comparable previous manifest, all of them.
 */
export function searchChanges(previous: SiteManifest | undefined, next: SiteManifest): string[] {
  const before = comparable(previous, next.codeDigest)?.indexed ?? new Map<string, string>();
  const changed: string[] = [];
  for (const [file, digest] of next.indexed) if (before.get(file) !== digest) changed.push(file);
  for (const file of before.keys()) if (!next.indexed.has(file)) changed.push(file);
  return changed;
}

/** The manifest in `file`, or undefined when there is none or it cannot be read (the build then renders everything). */
export async function readManifest(file: string): Promise<SiteManifest | undefined> {
  try {
    const stored = JSON.parse(await readFile(file, "utf8")) as StoredSiteManifest;
    if (stored.version !== 5 || typeof stored.codeDigest !== "string" || !Array.isArray(stored.files)) return undefined;
    const files = new Map<string, string>();
    const indexed = new Map<string, string>();
    for (const [output, digest, searched] of stored.files) {
      if (typeof output !== "string" || typeof digest !== "string") return undefined;
      files.set(output, digest);
      if (searched !== undefined) indexed.set(output, searched);
    }
    return { version: 5, codeDigest: stored.codeDigest, files, indexed };
  } catch {
    return undefined;
  }
}

/** Written beside and renamed, so that a reader finds the whole file or none. */
async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(data));
  await rename(`${file}.tmp`, file);
}

export function writeManifest(file: string, manifest: SiteManifest): Promise<void> {
  const files: StoredSiteManifest["files"] = [];
  for (const [output, digest] of manifest.files) {
    const searched = manifest.indexed.get(output);
    files.push(searched === undefined ? [output, digest] : [output, digest, searched]);
  }
  const stored: StoredSiteManifest = { version: 5, codeDigest: manifest.codeDigest, files };
  return writeJson(file, stored);
}

/** The build's changes, beside the manifest in `manifestFile` (see `changesFile`). */
export function writeChanges(manifestFile: string, changes: SiteChanges): Promise<void> {
  return writeJson(changesFile(manifestFile), changes);
}

/**
 * What a build that updates a site changed, written beside its manifest (see `changesFile`), so
 * the build need not read both manifests (tens of megabytes at 100,000 comments) again. A build
 * that rendered every page publishes them whole instead of moving them into the site one by one.
 */
export interface SiteChanges {
  /** False: every page was rendered (there was no previous manifest, or one made by other code). */
  updated: boolean;
  /** Output files of the previous site that this one no longer has. */
  retired: string[];
  /** Comment pages to index again (see `searchChanges`). */
  indexed: string[];
}

export function siteChanges(previous: SiteManifest | undefined, next: SiteManifest): SiteChanges {
  if (previous === undefined) return { updated: false, retired: [], indexed: [] };
  return { updated: comparable(previous, next.codeDigest) !== undefined, retired: retiredFiles(previous, next), indexed: searchChanges(previous, next) };
}

/** `.cache/site-manifest.next.json` -> `.cache/site-manifest.next.changes.json`. */
export function changesFile(manifestFile: string): string {
  return `${manifestFile.replace(/\.json$/, "")}.changes.json`;
}

export async function readChanges(file: string): Promise<SiteChanges> {
  const changes = JSON.parse(await readFile(file, "utf8")) as SiteChanges;
  if (typeof changes.updated !== "boolean" || !Array.isArray(changes.retired) || !Array.isArray(changes.indexed)) throw new Error(`${file}: not a list of site changes`);
  return changes;
}
