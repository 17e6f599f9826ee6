// Writes the published archive as Markdown pages, swapping the new tree in only when all of it is written.
import { existsSync } from "node:fs";
import { link, mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import type { Reconciled } from "../ledger/reconcile.ts";
import { shortHash } from "../permalinks.ts";
import type { PublishedArchive } from "../published.ts";
import type { MovedPage, RemovedPage } from "./pages.ts";

/** The part of a page path a slug or id may contribute: never `..`, never an absolute path. */
const SAFE_SEGMENT = /^[a-z0-9_][a-z0-9_-]*$/;

function safeRelativePath(...segments: string[]): string {
  for (const segment of segments) {
    if (!SAFE_SEGMENT.test(segment)) throw new Error(`refusing unsafe path segment ${JSON.stringify(segment)}`);
  }
  return path.join(...segments);
}

/** A page: YAML front matter written by the YAML library, so no value can break out of it. */
export function renderPage(frontMatter: object, body = ""): string {
  const yaml = stringify(frontMatter, { lineWidth: 0 });
  return `---\n${yaml}---\n${body === "" ? "" : `\n${body}\n`}`;
}

function removedPage(entry: Reconciled["removed"][number]): RemovedPage {
  switch (entry.kind) {
    case "comment":
      return {
        url: entry.url,
        kind: entry.kind,
        title: `${entry.authorName} on ${entry.thread}`,
        author: { name: entry.authorName, url: entry.authorUrl },
        thread: { title: entry.thread, url: entry.threadUrl },
        date: entry.postedAt,
      };
    case "thread":
      return { url: entry.url, kind: entry.kind, title: entry.title };
    case "author":
      return { url: entry.url, kind: entry.kind, title: entry.authorName };
  }
}

/** Every page of the archive, keyed by its path relative to the content directory. */
export function archivePages(archive: PublishedArchive, ledger?: Pick<Reconciled, "redirects" | "removed">): Map<string, string> {
  const pages = new Map<string, string>();
  for (const { page, body } of archive.comments) {
    pages.set(safeRelativePath("comments", ...page.id.split("/")) + ".md", renderPage(page, body));
  }
  for (const thread of archive.threads) {
    pages.set(safeRelativePath("threads", thread.slug) + ".md", renderPage(thread));
  }
  // Old URLs are named by a digest: they come from the ledger, a file people edit.
  for (const redirect of ledger?.redirects ?? []) {
    const page: MovedPage = { url: redirect.url, to: redirect.to, kind: redirect.kind, title: redirect.title };
    pages.set(safeRelativePath("moved", shortHash(redirect.url, 16)) + ".md", renderPage(page));
  }
  for (const entry of ledger?.removed ?? []) {
    pages.set(safeRelativePath("removed", shortHash(entry.url, 16)) + ".md", renderPage(removedPage(entry)));
  }
  return pages;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), path.join(prefix, e.name)) : Promise.resolve([path.join(prefix, e.name)]))),
  );
  return nested.flat();
}

/**
 * Bounded concurrency: 100,000 pages at once would exhaust file handles, and so would 256 at once
 * under macOS's default limit of 256 open files. Reading the old pages needs the bound as much as
 * writing the new ones.
 */
const BATCH = 64;

async function inBatches<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await Promise.all(items.slice(i, i + BATCH).map(work));
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

/**
 * Replaces `dir` with exactly `pages`. Unchanged pages are hard-linked from the old tree (same
 * bytes, same modification time) so later stages can skip them; when nothing changed at all,
 * nothing is touched. The new tree is built beside the old one and swapped in by rename.
 */
export async function writeContent(dir: string, pages: Map<string, string>): Promise<WriteSummary> {
  const existing = new Set(await listFiles(dir));
  const files = [...pages];
  const changed: string[] = [];
  await inBatches(files, async ([file, text]) => {
    const same = existing.has(file) && (await readFile(path.join(dir, file), "utf8")) === text;
    if (!same) changed.push(file);
  });
  const removed = [...existing].filter((file) => !pages.has(file));
  const summary = { written: changed.length, unchanged: pages.size - changed.length, removed: removed.length };
  if (changed.length === 0 && removed.length === 0) return summary;

  const staging = `${dir}.new-${process.pid}`;
  const retired = `${dir}.old-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const changedSet = new Set(changed);
  const dirs = new Set([...pages.keys()].map((file) => path.dirname(path.join(staging, file))));
  for (const d of dirs) await mkdir(d, { recursive: true });
  await inBatches(files, ([file, text]) =>
    changedSet.has(file) ? writeFile(path.join(staging, file), text) : link(path.join(dir, file), path.join(staging, file)),
  );
  if (existsSync(dir)) await rename(dir, retired);
  await mkdir(path.dirname(dir), { recursive: true });
  await rename(staging, dir);
  await rm(retired, { recursive: true, force: true });
  return summary;
}
