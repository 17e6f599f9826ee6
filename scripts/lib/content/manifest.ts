// The content manifest: a digest of what each page was rendered from, so a re-import renders and reads only pages whose inputs changed.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FileTransaction } from "../file-transaction.ts";

/**
 * Beside the page folders, not in them: whatever reads pages reads `<kind>/**.md` only, so it is
 * never taken for a page; and no page path can name it.
 */
export const MANIFEST_FILE = "manifest.tsv";

const HEADER = "commentarium content manifest 1";

export interface ManifestEntry {
  /** Digest of the page's inputs (see pageDigest in render-page.ts). */
  digest: string;
  /** The page file's size in bytes, as written. */
  size: number;
}

export interface Manifest {
  /** Identifies the renderer: a digest of inputs says what the text is only for the renderer that made it. */
  renderer: string;
  pages: Map<string, ManifestEntry>;
}

export interface StoredManifest extends Manifest {
  /**
   * When the manifest was written, after every page it lists. A page modified at or after this
   * time may have been edited since, so its entry is not trusted (the manifest holds no times of
   * its own, so it is the same text for the same pages).
   */
  mtimeMs: number;
}

/** A manifest's page lines, `path<TAB>digest<TAB>size` sorted by path (see manifestText), and the paths. */
export interface ManifestLines {
  /** The pages' paths, sorted; `lines[i]` is the line of `files[i]`. */
  files: string[];
  lines: string[];
}

const listable = (file: string): boolean => !/[\0-\t\n]/.test(file);
const manifestLine = (file: string, entry: ManifestEntry): string => `${file}\t${entry.digest}\t${entry.size}\n`;

export function manifestLines(pages: Iterable<[string, ManifestEntry]>): ManifestLines {
  const lines: string[] = [];
  for (const [file, entry] of pages) if (listable(file)) lines.push(manifestLine(file, entry));
  // The lines themselves are sorted: a tab sorts before any character of a path, so lines sort
  // as their paths do, and the default sort needs no comparator call per comparison.
  lines.sort();
  return { files: lines.map((line) => line.slice(0, line.indexOf("\t"))), lines };
}

/** A header line, then a line per page sorted by path: the same pages give the same bytes. */
export function manifestText(renderer: string, { lines }: ManifestLines): string {
  return `${HEADER}\t${renderer}\n${lines.join("")}`;
}

/** Where `file` is, or would go, in the sorted `files`. */
function position(files: readonly string[], file: string): number {
  let low = 0;
  let high = files.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((files[middle] ?? "") < file) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * `before` with the pages in `set` (new or changed) and without those in `removed`: what
 * manifestLines gives for the pages after the change, without listing and sorting every page
 * again (at 100,000 pages, a third of a second for each import of a dev server).
 */
export function patchManifestLines(before: ManifestLines, set: Iterable<[string, ManifestEntry]>, removed: Iterable<string>): ManifestLines {
  const files = [...before.files];
  const lines = [...before.lines];
  for (const file of removed) {
    const at = position(files, file);
    if (files[at] === file) {
      files.splice(at, 1);
      lines.splice(at, 1);
    }
  }
  for (const [file, entry] of set) {
    if (!listable(file)) continue;
    const at = position(files, file);
    if (files[at] === file) {
      lines[at] = manifestLine(file, entry);
    } else {
      files.splice(at, 0, file);
      lines.splice(at, 0, manifestLine(file, entry));
    }
  }
  return { files, lines };
}

/**
 * The manifest in `text`, or undefined when it is not one (damaged or edited by hand: then none of
 * it is trusted). Lines are cut with indexOf rather than split and matched: it is read on every
 * import, and at 100,000 pages this is several times faster than JSON.
 */
export function parseManifest(text: string): Manifest | undefined {
  const headerEnd = text.indexOf("\n");
  const [header, renderer, ...rest] = text.slice(0, Math.max(headerEnd, 0)).split("\t");
  if (header !== HEADER || renderer === undefined || renderer === "" || rest.length > 0) return undefined;
  const pages = new Map<string, ManifestEntry>();
  for (let start = headerEnd + 1; start < text.length; ) {
    const end = text.indexOf("\n", start);
    const tab = text.indexOf("\t", start);
    const tab2 = tab === -1 ? -1 : text.indexOf("\t", tab + 1);
    if (end === -1 || tab === -1 || tab2 === -1 || tab2 > end || tab === start) return undefined;
    const size = Number(text.slice(tab2 + 1, end));
    const digest = text.slice(tab + 1, tab2);
    if (!Number.isSafeInteger(size) || size < 0 || text.slice(tab2 + 1, end).trim() === "" || digest === "" || digest.includes("\n")) return undefined;
    pages.set(text.slice(start, tab), { digest, size });
    start = end + 1;
  }
  return { renderer, pages };
}

export function readManifest(dir: string): StoredManifest | undefined {
  const file = path.join(dir, MANIFEST_FILE);
  try {
    const { mtimeMs } = statSync(file);
    const manifest = parseManifest(readFileSync(file, "utf8"));
    return manifest === undefined ? undefined : { ...manifest, mtimeMs };
  } catch {
    return undefined;
  }
}

/** How many pages under `kind/` (`comments`, `threads`) the manifest in `dir` lists, counted without parsing it; 0 without one. */
export function manifestPageCount(dir: string, kind: string): number {
  let text: string;
  try {
    text = readFileSync(path.join(dir, MANIFEST_FILE), "utf8");
  } catch {
    return 0;
  }
  const line = `\n${kind}/`;
  let count = 0;
  for (let at = text.indexOf(line); at !== -1; at = text.indexOf(line, at + 1)) count++;
  return count;
}

/** Written beside and renamed, so a crash leaves the old manifest or the new one, never half of one. */
export function writeManifest(dir: string, text: string, transaction?: FileTransaction): void {
  const file = path.join(dir, MANIFEST_FILE);
  if (transaction !== undefined) return transaction.replace([[file, transaction.stage(MANIFEST_FILE, text)]]);
  const staged = `${file}.new-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(staged, text);
    renameSync(staged, file);
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  }
}

/**
 * Whether the file on disk is the page the entry describes, without reading it: same size, and
 * not modified since the manifest was written (a page edited by hand, or restored from elsewhere, is).
 */
export function entryHolds(entry: ManifestEntry, file: { size: number; mtimeMs: number }, manifest: StoredManifest): boolean {
  return file.size === entry.size && file.mtimeMs < manifest.mtimeMs;
}
