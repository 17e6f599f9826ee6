// Writes the published archive as Markdown pages, swapping the new tree in only when all of it is written.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dump } from "js-yaml";
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

/**
 * A page: YAML front matter written by a YAML library, so no value can break out of it.
 * js-yaml rather than `yaml`: at 100,000 pages its dump and load are several times faster.
 */
export function renderPage(frontMatter: object, body = ""): string {
  const yaml = dump(frontMatter, { lineWidth: -1, noRefs: true, quotingType: '"' });
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

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

/**
 * Makes `dir` hold exactly `pages`, touching only pages whose text changed (so unchanged pages
 * keep their modification time and later stages can skip them). Two phases: every changed page
 * is first written beside its target; only when all are written are they renamed into place
 * and the pages no longer wanted deleted. A failure in the first phase (disk full, no
 * permission) removes what it wrote and leaves `dir` exactly as it was.
 * Synchronous file calls on purpose: for 100,000 small files they are about twice as fast as
 * the thread-pool versions, and nothing else runs meanwhile.
 */
export function writeContent(dir: string, pages: Map<string, string>): WriteSummary {
  const existing = new Set(listFiles(dir));
  const changed = [...pages].filter(([file, text]) => !existing.has(file) || readIfExists(path.join(dir, file)) !== text);
  const removed = [...existing].filter((file) => !pages.has(file));

  const suffix = `.new-${process.pid}`;
  const written: string[] = [];
  try {
    for (const [file, text] of changed) {
      const target = path.join(dir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target + suffix, text);
      written.push(target);
    }
  } catch (error) {
    for (const target of written) rmSync(target + suffix, { force: true });
    throw new Error(`could not write the pages under ${dir}; nothing was changed there`, { cause: error });
  }
  for (const target of written) renameSync(target + suffix, target);
  for (const file of removed) rmSync(path.join(dir, file));
  return { written: changed.length, unchanged: pages.size - changed.length, removed: removed.length };
}
