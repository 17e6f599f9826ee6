// The URL ledger: every URL the site has ever published, kept next to the exports so no link silently breaks.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

interface EntryBase {
  url: string;
}

export interface CommentEntry extends EntryBase {
  kind: "comment";
  /** Identity: author username and postedAt. */
  author: string;
  postedAt: string;
  /** What a "removed" page shows, as last published. */
  authorName: string;
  authorUrl: string;
  thread: string;
  threadUrl: string;
}

export interface ThreadEntry extends EntryBase {
  kind: "thread";
  title: string;
  /** The post's instant, when the `## Posts` section listed it: identifies the thread across title edits. */
  postedAt?: string;
}

export interface AuthorEntry extends EntryBase {
  kind: "author";
  author: string;
  authorName: string;
}

export type LedgerEntry = CommentEntry | ThreadEntry | AuthorEntry;

export class LedgerError extends Error {
  constructor(file: string, line: number, message: string, options?: { cause?: unknown }) {
    super(`${file}:${line}: ${message}`, options);
    this.name = "LedgerError";
  }
}

/** The ledger lives next to the exports: `urls.json` beside the first archive named. */
export function defaultLedgerFile(archives: string[]): string {
  return path.join(path.dirname(archives[0] ?? "archives/"), "urls.json");
}

function isEntry(value: unknown): value is LedgerEntry {
  const entry = value as Partial<LedgerEntry> | null;
  return typeof entry === "object" && entry !== null && typeof entry.url === "string" && ["comment", "thread", "author"].includes(entry.kind ?? "");
}

/**
 * The ledger as formatLedger wrote it (one entry per line, nothing else) in one JSON.parse, about
 * twice as fast as a parse per line; undefined for anything else, which is then read line by line.
 */
function formattedLedger(text: string): LedgerEntry[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(data) || data.length === 0 || !data.every(isEntry)) return undefined;
  let lines = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return lines === data.length + 2 ? data : undefined;
}

/** Reads a ledger; a missing file is an empty ledger (the first build), a damaged one is an error. */
export async function readLedger(file: string): Promise<LedgerEntry[]> {
  if (!existsSync(file)) return [];
  const text = await readFile(file, "utf8");
  const formatted = formattedLedger(text);
  if (formatted !== undefined) return formatted;
  const lines = text.split("\n");
  const entries: LedgerEntry[] = [];
  lines.forEach((line, index) => {
    const text = line.trim().replace(/,$/, "");
    if (text === "" || text === "[" || text === "]") return;
    try {
      const entry: unknown = JSON.parse(text);
      if (!isEntry(entry)) throw new Error("not a ledger entry");
      entries.push(entry);
    } catch (cause) {
      throw new LedgerError(file, index + 1, "damaged URL ledger entry (each line must be one JSON object with url and kind)", { cause });
    }
  });
  return entries;
}

/** A ledger as its file holds it: the entries in the file's order, and the file's text. */
export interface LedgerFile {
  entries: LedgerEntry[];
  text: string;
}

/** One entry per line, sorted by URL, so that a diff shows exactly which URLs were added. */
export function ledgerFile(entries: Iterable<LedgerEntry>): LedgerFile {
  const sorted = [...entries].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { entries: sorted, text: `[\n${sorted.map((e) => JSON.stringify(e)).join(",\n")}\n]\n` };
}

export function formatLedger(entries: Iterable<LedgerEntry>): string {
  return ledgerFile(entries).text;
}

/** Writes the ledger of `entries`, or its text already made by formatLedger; false when the file already held it. */
export async function writeLedger(file: string, entries: Iterable<LedgerEntry> | string): Promise<boolean> {
  const text = typeof entries === "string" ? entries : formatLedger(entries);
  const before = existsSync(file) ? await readFile(file, "utf8") : undefined;
  if (before === text) return false;
  await writeFile(file, text);
  return true;
}
