// The URL ledger: every URL the site has ever published, kept next to the exports so no link silently breaks.
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { textDigest } from "../text-digest.ts";

interface EntryBase {
  readonly url: string;
  /** A URL no longer published: where its page went when last found, so a later build can follow it even when nothing else leads there. */
  readonly movedTo?: string;
}

export interface CommentEntry extends EntryBase {
  readonly kind: "comment";
  /** Identity: author username and postedAt. */
  readonly author: string;
  readonly postedAt: string;
  /** What a "removed" page shows, as last published. */
  readonly authorName: string;
  readonly authorUrl: string;
  readonly thread: string;
  readonly threadUrl: string;
  /** commentTextKey of the comment last published here: which of two comments of one author and instant holds this URL. */
  readonly digest?: string;
}

export interface ThreadEntry extends EntryBase {
  readonly kind: "thread";
  readonly title: string;
  /** The post's instant, when the `## Posts` section listed it: identifies the thread across title edits. */
  readonly postedAt?: string;
}

export interface AuthorEntry extends EntryBase {
  readonly kind: "author";
  readonly author: string;
  readonly authorName: string;
}

export type LedgerEntry = CommentEntry | ThreadEntry | AuthorEntry;

export class LedgerError extends Error {
  /** `line` is undefined for a problem of the whole file (empty, shorter than the last build's). */
  constructor(file: string, line: number | undefined, message: string, options?: { cause?: unknown }) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${message}`, options);
    this.name = "LedgerError";
  }
}

/**
 * What the last build wrote, by ledger: a ledger with fewer entries lost URLs (a file cut short,
 * a bad merge), which no other check can see. Build state, never published: a fresh clone has none.
 */
export const LEDGER_RECORD = ".cache/ledger-record.json";

export interface LedgerOptions {
  /** The record of entry counts (default LEDGER_RECORD, relative to the working directory). */
  readonly record?: string;
}

interface RecordedLedger {
  readonly entries: number;
  /**
   * textDigest of the ledger the last write replaced, null when there was none: a build that fails
   * after writing the ledger puts that one back (see file-transaction.ts), and it is no loss.
   */
  readonly replaced: string | null;
}

interface LedgerRecord {
  readonly ledgers: Readonly<Record<string, RecordedLedger>>;
}

/** The ledger lives next to the exports: `urls.json` beside the first archive named. */
export function defaultLedgerFile(archives: string[]): string {
  return path.join(path.dirname(archives[0] ?? "archives/"), "urls.json");
}

function restoreHint(file: string): string {
  return `restore it from git with \`git checkout -- ${file}\`, or find an older version with \`git log -p -- ${file}\``;
}

/** The segments the site's own URLs are made of (slugs and stamps, see permalinks.ts): never `..`, a scheme, a backslash or a control character. */
const SEGMENT = "[a-z0-9_][a-z0-9_-]*";
const URL_SHAPES: Readonly<Record<LedgerEntry["kind"], { readonly pattern: RegExp; readonly shape: string }>> = {
  comment: { pattern: new RegExp(`^/comments/${SEGMENT}/${SEGMENT}/$`), shape: "/comments/<author>/<stamp>/" },
  thread: { pattern: new RegExp(`^/threads/${SEGMENT}/$`), shape: "/threads/<slug>/" },
  author: { pattern: new RegExp(`^/authors/${SEGMENT}/$`), shape: "/authors/<slug>/" },
};

/**
 * Why `url` is not a URL of the site's own `kind` of page, or undefined when it is. Ledger URLs are
 * rendered as links and redirect targets, and the ledger comes from anyone's pull request.
 */
export function siteUrlProblem(url: unknown, kind: LedgerEntry["kind"]): string | undefined {
  if (typeof url !== "string") return "is not a string";
  const { pattern, shape } = URL_SHAPES[kind];
  if (pattern.test(url)) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(url)) return "contains a control character";
  if (!url.startsWith("/") || url.startsWith("//") || /^[a-z][a-z0-9+.-]*:/i.test(url)) return "is not a site-relative path (it must start with a single /, with no scheme)";
  if (url.includes("\\")) return "contains a backslash";
  if (url.split("/").some((segment) => segment === "." || segment === "..")) return "contains a . or .. segment";
  return `is not a ${kind} URL of this site (${shape})`;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DIGEST = /^[0-9a-f]{8}$/;

type FieldRule = "text" | "instant" | "digest" | LedgerEntry["kind"];
interface FieldSpec {
  readonly rule: FieldRule;
  readonly optional?: boolean;
}

/** Each kind's fields, in Maps: a field named `constructor` or `__proto__` must not find Object's. */
const FIELDS: Readonly<Record<LedgerEntry["kind"], ReadonlyMap<string, FieldSpec>>> = {
  comment: new Map<string, FieldSpec>([
    ["url", { rule: "comment" }],
    ["author", { rule: "text" }],
    ["postedAt", { rule: "instant" }],
    ["authorName", { rule: "text" }],
    ["authorUrl", { rule: "author" }],
    ["thread", { rule: "text" }],
    ["threadUrl", { rule: "thread" }],
    ["digest", { rule: "digest", optional: true }],
    ["movedTo", { rule: "comment", optional: true }],
  ]),
  thread: new Map<string, FieldSpec>([
    ["url", { rule: "thread" }],
    ["title", { rule: "text" }],
    ["postedAt", { rule: "instant", optional: true }],
    ["movedTo", { rule: "thread", optional: true }],
  ]),
  author: new Map<string, FieldSpec>([
    ["url", { rule: "author" }],
    ["author", { rule: "text" }],
    ["authorName", { rule: "text" }],
    ["movedTo", { rule: "author", optional: true }],
  ]),
};
const requiredFields = (kind: LedgerEntry["kind"]): readonly string[] => [...FIELDS[kind]].flatMap(([name, spec]) => (spec.optional === true ? [] : [name]));
const REQUIRED: Readonly<Record<LedgerEntry["kind"], readonly string[]>> = { comment: requiredFields("comment"), thread: requiredFields("thread"), author: requiredFields("author") };

function fieldProblem(value: unknown, rule: FieldRule): string | undefined {
  if (typeof value !== "string") return "is not a string";
  switch (rule) {
    case "text":
      return undefined;
    case "instant":
      return INSTANT.test(value) ? undefined : "is not an instant like 2021-06-19T15:54:32.790Z";
    case "digest":
      return DIGEST.test(value) ? undefined : "is not 8 hexadecimal digits";
    default:
      return siteUrlProblem(value, rule);
  }
}

const anEntry = (kind: LedgerEntry["kind"]): string => (kind === "author" ? "an author entry" : `a ${kind} entry`);

/** Why `value` is not a ledger entry, or undefined when it is one. */
export function entryProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (kind !== "comment" && kind !== "thread" && kind !== "author") return `kind ${JSON.stringify(kind)} is none of comment, thread, author`;
  const fields = FIELDS[kind];
  let required = 0;
  for (const name of Object.keys(record)) {
    if (name === "kind") continue;
    const spec = fields.get(name);
    if (spec === undefined) return `${anEntry(kind)} has no field ${JSON.stringify(name)}`;
    const problem = fieldProblem(record[name], spec.rule);
    if (problem !== undefined) return `${name} ${JSON.stringify(record[name])} ${problem}`;
    if (spec.optional !== true) required++;
  }
  const needed = REQUIRED[kind];
  if (required < needed.length) return `${anEntry(kind)} needs ${needed.filter((name) => !Object.hasOwn(record, name)).join(", ")}`;
  return undefined;
}

/**
 * The ledger as formatLedger wrote it (one valid entry per line, nothing else) in one JSON.parse,
 * about twice as fast as a parse per line; undefined for anything else, which is then read line by
 * line to name the line at fault.
 */
function formattedLedger(text: string): LedgerEntry[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(data)) return undefined;
  if (data.length === 0) return [];
  if (!data.every((entry) => entryProblem(entry) === undefined)) return undefined;
  if (new Set(data.map((entry: LedgerEntry) => entry.url)).size !== data.length) return undefined;
  let lines = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return lines === data.length + 2 ? (data as LedgerEntry[]) : undefined;
}

/** A ledger's text read line by line: `[`, one entry per line (a comma after each is optional), `]`. */
function ledgerLines(file: string, text: string): LedgerEntry[] {
  const lines = text.split("\n").map((line) => line.trim());
  const filled = lines.flatMap((line, index) => (line === "" ? [] : [index]));
  const first = filled[0];
  const last = filled.at(-1);
  if (first === undefined || last === undefined) {
    throw new LedgerError(file, undefined, `the URL ledger is empty, so every URL it recorded would be dropped; ${restoreHint(file)}`);
  }
  if (lines[first] !== "[") throw new LedgerError(file, first + 1, `damaged URL ledger: it must start with a line holding only [; ${restoreHint(file)}`);
  if (last === first || lines[last] !== "]") {
    throw new LedgerError(file, last + 1, `damaged URL ledger: it ends without the closing ] (the file was cut short, and the entries after this line are lost); ${restoreHint(file)}`);
  }
  const entries: LedgerEntry[] = [];
  const lineOf = new Map<string, number>();
  for (let index = first + 1; index < last; index++) {
    const line = (lines[index] ?? "").replace(/,$/, "");
    if (line === "") continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (cause) {
      throw new LedgerError(file, index + 1, `damaged URL ledger entry (each line must be one JSON object with url and kind); ${restoreHint(file)}`, { cause });
    }
    const problem = entryProblem(entry);
    if (problem !== undefined) throw new LedgerError(file, index + 1, `damaged URL ledger entry: ${problem}; ${restoreHint(file)}`);
    const { url } = entry as LedgerEntry;
    const earlier = lineOf.get(url);
    if (earlier !== undefined) throw new LedgerError(file, index + 1, `damaged URL ledger entry: ${url} is already the entry of line ${earlier}`);
    lineOf.set(url, index + 1);
    entries.push(entry as LedgerEntry);
  }
  return entries;
}

const recordKey = (file: string): string => path.resolve(file);

/** The record, or undefined when there is none or it cannot be read (it is rewritten by the next build). */
async function readRecord(record: string): Promise<LedgerRecord | undefined> {
  try {
    const data = JSON.parse(await readFile(record, "utf8")) as Partial<LedgerRecord> | null;
    return typeof data?.ledgers === "object" && data.ledgers !== null ? (data as LedgerRecord) : undefined;
  } catch {
    return undefined;
  }
}

const ledgerDigest = (text: string | undefined): string | null => (text === undefined ? null : textDigest("sha1", text));

/** `text`: the ledger's, undefined when there is no file. */
async function checkRecord(file: string, entries: number, text: string | undefined, record: string): Promise<void> {
  const recorded = (await readRecord(record))?.ledgers[recordKey(file)];
  if (typeof recorded?.entries !== "number" || entries >= recorded.entries || recorded.replaced === ledgerDigest(text)) return;
  throw new LedgerError(
    file,
    undefined,
    `the URL ledger holds ${entries} entries, but the last build wrote ${recorded.entries} (recorded in ${record}): the URLs of the missing entries would stop resolving; ` +
      `${restoreHint(file)}. To keep a deliberately smaller ledger, delete ${record}.`,
  );
}

/**
 * Reads a ledger; a missing file is an empty ledger (the first build). A damaged one, or one with
 * fewer entries than the last build wrote (see LEDGER_RECORD), is a LedgerError.
 */
export async function readLedger(file: string, { record = LEDGER_RECORD }: LedgerOptions = {}): Promise<LedgerEntry[]> {
  const text = existsSync(file) ? await readFile(file, "utf8") : undefined;
  const entries = text === undefined ? [] : readLedgerText(file, text);
  await checkRecord(file, entries.length, text, record);
  return entries;
}

/** The entries of a ledger's `text`, read from `file` (named in errors). */
export function readLedgerText(file: string, text: string): LedgerEntry[] {
  return formattedLedger(text) ?? ledgerLines(file, text);
}

/** A ledger as its file holds it: the entries in the file's order, and the file's text. */
export interface LedgerFile {
  readonly entries: readonly LedgerEntry[];
  readonly text: string;
}

/** One entry per line, sorted by URL, so that a diff shows exactly which URLs were added. */
export function ledgerFile(entries: Iterable<LedgerEntry>): LedgerFile {
  const sorted = [...entries].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { entries: sorted, text: `[\n${sorted.map((e) => JSON.stringify(e)).join(",\n")}\n]\n` };
}

export function formatLedger(entries: Iterable<LedgerEntry>): string {
  return ledgerFile(entries).text;
}

/** Entries in formatLedger's text: each is one line starting with `{` (JSON.stringify never writes a newline). */
function formattedEntryCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n{"); at !== -1; at = text.indexOf("\n{", at + 2)) count++;
  return count;
}

/**
 * Replaces `file` with `text` through a file beside it, synced before the rename: a build killed
 * meanwhile leaves the old file or the new one, never a part of either.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // The rename itself lasts a power loss only once the directory is synced; not every platform can open one.
  const directory = await open(path.dirname(file), "r").catch(() => undefined);
  await directory?.sync().catch(() => undefined);
  await directory?.close();
}

/** Records that `file` now holds `text`, which replaced `before` (the same text when this write changed nothing). */
async function writeRecord(file: string, text: string, before: string | undefined, record: string): Promise<void> {
  const entries = formattedEntryCount(text);
  const recordedBefore = await readRecord(record);
  const known = recordedBefore?.ledgers[recordKey(file)];
  if (before === text && known?.entries === entries) return;
  // Unchanged, the ledger replaced nothing: keep what the last change replaced, or else name the ledger itself.
  const replaced = before !== text ? ledgerDigest(before) : (known?.replaced ?? ledgerDigest(text));
  const recorded: RecordedLedger = { entries, replaced };
  const after: LedgerRecord = { ledgers: { ...recordedBefore?.ledgers, [recordKey(file)]: recorded } };
  await mkdir(path.dirname(record), { recursive: true });
  await writeFileAtomic(record, `${JSON.stringify(after, null, 2)}\n`);
}

/**
 * Writes the ledger of `entries`, or its text already made by formatLedger, then records its size
 * (see LEDGER_RECORD); false when the file already held it.
 */
export async function writeLedger(file: string, entries: Iterable<LedgerEntry> | string, { record = LEDGER_RECORD }: LedgerOptions = {}): Promise<boolean> {
  const text = typeof entries === "string" ? entries : formatLedger(entries);
  const before = existsSync(file) ? await readFile(file, "utf8") : undefined;
  const changed = before !== text;
  if (changed) await writeFileAtomic(file, text);
  await writeRecord(file, text, before, record);
  return changed;
}
