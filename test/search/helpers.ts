// Shared by the search tests: the sample built in a throw-away copy with the search index split into small shards, and the search page driven in Chromium.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { buildSampleCopy } from "../browser/built-site.ts";
import type { ProjectCopy } from "../support/project-copy.ts";

/** What dist/comments.json says of a comment. */
export interface ListedComment {
  id: string;
  url: string;
  /** The comment's Markdown, under dist/. */
  markdown: string;
  author: { name: string };
  thread: { title: string };
  date: string;
}

/** The shard list the build wrote (the fields the tests read). */
export interface ShardList {
  shards: { key: string; months: [string, string]; path: string; files: number; pages: number; digest: string }[];
  authors: Record<string, number>;
  years: Record<string, number>;
  threads: { count: number; values?: Record<string, number>; file?: string };
  firstSearch: string[];
}

export interface ShardedSite {
  copy: ProjectCopy;
  dist: string;
  comments: ListedComment[];
  output: string;
}

/** Builds the sample (plus the search tests' second export when `extra`) with `npm run build`'s script and the given environment. */
export async function buildSharded(env: NodeJS.ProcessEnv, options: { extra?: boolean } = {}): Promise<ShardedSite> {
  const { copy, output } = await buildSampleCopy(env, options);
  try {
    const dist = path.join(copy.dir, "dist");
    const comments = JSON.parse(await readFile(path.join(dist, "comments.json"), "utf8")) as ListedComment[];
    return { copy, dist, comments, output };
  } catch (error) {
    await copy.remove();
    throw error;
  }
}

/** The comment's text as published (its Markdown page, front matter included). */
export function textOf(site: ShardedSite, comment: ListedComment): Promise<string> {
  return readFile(path.join(site.dist, comment.markdown), "utf8");
}

export async function readShardList(dist: string): Promise<ShardList> {
  return JSON.parse(await readFile(path.join(dist, "pagefind/shards.json"), "utf8")) as ShardList;
}

/** Inode and modification time of every file under `dir`, by path relative to it: a rewritten file has another. */
export async function fileIdentities(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const identities = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    const { ino, mtimeMs } = await stat(file);
    identities.set(path.relative(dir, file), `${ino}:${mtimeMs}`);
  }
  return identities;
}

/** Waits for the search that the last action started to be shown (results and count). */
export async function settled(page: Page): Promise<void> {
  await page.waitForSelector('[data-search-results][aria-busy="false"]', { state: "attached" });
}

/** Presses "Show more results" until every result of the search is on screen (not "Search every year", which the same button offers at the end of a search that left years out). */
export async function showAllResults(page: Page): Promise<void> {
  const more = page.locator("[data-search-more]");
  while ((await more.isVisible()) && (await more.textContent())?.trim() === "Show more results") {
    const before = await page.locator(".search-result").count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll(".search-result").length > n, before);
  }
}

/** Every result of the search on screen (pressing "Show more results" until there are no more): path and date. */
export async function allResults(page: Page): Promise<{ path: string; date: string }[]> {
  await showAllResults(page);
  return page.locator(".search-result").evaluateAll((items) =>
    items.map((item) => ({ path: new URL(item.querySelector("a")?.getAttribute("href") ?? "", location.href).pathname, date: item.querySelector("time")?.getAttribute("datetime") ?? "" })),
  );
}

export async function statusText(page: Page): Promise<string> {
  return ((await page.locator("[data-search-status]").textContent()) ?? "").trim();
}
