// The shard list (pagefind/shards.json): what the search page loads, and what the next incremental run compares against.
import { wholeNumberFromEnv } from "../env-number.ts";
import { commentPageMonth } from "../permalinks.ts";
import { coversMonth, normalisePagePath, type ShardPlan } from "./shard-plan.ts";

export const MANIFEST_FILE = "shards.json";
/** Bumped when the layout of shards.json or of a shard's bundle changes: every shard is then rebuilt. */
export const MANIFEST_FORMAT = 1;

export interface ShardEntry {
  key: string;
  /** First and last month the shard covers (see ShardPlan). */
  months: [string, string];
  /** Bundle directory, relative to the pagefind/ directory, with a trailing slash. */
  path: string;
  /** Comment page files of the shard (what the digest covers). */
  files: number;
  /** Of those, pages Pagefind indexed (a page that only says a comment was removed has no indexed body). */
  pages: number;
  digest: string;
  /** Size of the shard's bundle on disk, kept so an incremental run need not walk every shard. */
  bundleFiles: number;
  bundleBytes: number;
}

export interface ThreadList {
  /** Number of distinct threads. */
  count: number;
  /** Thread -> comments, when the list is small enough to ship with the shard list. */
  values?: Record<string, number>;
  /** Otherwise the file (relative to pagefind/) the search page fetches once a visitor uses the thread filter. */
  file?: string;
}

/**
 * Most comment pages a query searches before the visitor asks for every year. A first query
 * downloads ~22 bytes a page (index metadata, the word's index chunk, the author filter) on top
 * of ~170 KB of Pagefind's code and results: 5,000 pages kept it at 248-272 KB at 100,000
 * comments, where every shard cost 2.4 MB.
 */
export const DEFAULT_FIRST_SEARCH_PAGES = 5000;
/** Overrides DEFAULT_FIRST_SEARCH_PAGES, e.g. so a test can search a small site in parts. */
export const FIRST_SEARCH_PAGES_ENV = "COMMENTARIUM_SEARCH_FIRST_PAGES";

export interface ShardManifest {
  format: number;
  /** What the bundles were built with; when either differs, no shard is reused. */
  pagefind: string;
  language: string;
  shards: ShardEntry[];
  /** Author -> comments and year -> comments over all shards: the search page's option lists. */
  authors: Record<string, number>;
  years: Record<string, number>;
  threads: ThreadList;
  /** Keys of the shards a query searches first (see firstSearchShards); the search page offers the rest on request. */
  firstSearch: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isShardEntry(value: unknown): value is ShardEntry {
  if (!isRecord(value)) return false;
  const months = value.months;
  return (
    typeof value.key === "string" &&
    typeof value.path === "string" &&
    typeof value.digest === "string" &&
    typeof value.files === "number" &&
    typeof value.pages === "number" &&
    Array.isArray(months) &&
    months.length === 2 &&
    months.every((m) => typeof m === "string")
  );
}

/** The first-search limit: the environment's when it is a positive integer, else the default. */
export function firstSearchPagesLimit(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv(env, FIRST_SEARCH_PAGES_ENV, DEFAULT_FIRST_SEARCH_PAGES, 1);
}

/**
 * The newest shards with pages, newest first, as many as fit in `limit` pages, and always the
 * newest one: what a query searches first. Every shard when the whole index fits.
 */
export function firstSearchShards(entries: readonly Pick<ShardEntry, "key" | "months" | "pages">[], limit: number): string[] {
  const newestFirst = entries.filter((entry) => entry.pages > 0).sort((a, b) => b.months[0].localeCompare(a.months[0]));
  const keys: string[] = [];
  let pages = 0;
  for (const entry of newestFirst) {
    if (keys.length > 0 && pages + entry.pages > limit) break;
    keys.push(entry.key);
    pages += entry.pages;
  }
  return keys;
}

/** The previous run's manifest, or undefined when there is none or it is unreadable or of another format (then nothing is reused). */
export function parseManifest(text: string | undefined): ShardManifest | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.format !== MANIFEST_FORMAT || !Array.isArray(value.shards) || !value.shards.every(isShardEntry)) return undefined;
  return value as unknown as ShardManifest;
}

export interface RebuildInput {
  plan: readonly ShardPlan[];
  previous: ShardManifest | undefined;
  /** Pagefind version and language this run builds with. */
  pagefind: string;
  language: string;
  /** Site-relative comment pages written or deleted since the previous run; undefined: rebuild everything. */
  changedPages: ReadonlySet<string> | undefined;
  /** Keys whose bundle directory is present and complete on disk. */
  presentBundles: ReadonlySet<string>;
}

/** Why a shard is rebuilt (for the progress line), or undefined when its bundle can be kept as it is. */
export function rebuildReason(shard: ShardPlan, input: RebuildInput, changedMonths: ReadonlySet<string>): string | undefined {
  const { previous } = input;
  if (input.changedPages === undefined) return "full rebuild";
  if (previous === undefined) return "no previous shard list";
  if (previous.pagefind !== input.pagefind || previous.language !== input.language) return "Pagefind version or language changed";
  const before = previous.shards.find((entry) => entry.key === shard.key);
  if (before === undefined) return "new shard";
  if (!input.presentBundles.has(shard.key)) return "bundle missing";
  if (before.files !== shard.pages.length || before.digest !== shard.digest || before.months[0] !== shard.months[0] || before.months[1] !== shard.months[1]) return "pages added or removed";
  for (const month of changedMonths) if (coversMonth(shard, month)) return "pages changed";
  return undefined;
}

/** The months (`yyyy-mm`) of the changed comment pages; other paths are not in the search index and are ignored. */
export function monthsOf(changedPages: ReadonlySet<string> | undefined): Set<string> {
  const months = new Set<string>();
  for (const page of changedPages ?? []) {
    const month = commentPageMonth(normalisePagePath(page));
    if (month !== undefined) months.add(month);
  }
  return months;
}
