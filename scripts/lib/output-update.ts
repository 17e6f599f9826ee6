// The published dist/: a link to the current site, switched in one rename by a whole build, or updated file by file.
import { existsSync, lstatSync, readdirSync, readlinkSync } from "node:fs";
import { mkdir, readdir, readFile, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { removeInBackground, type FileChanges, type FileTransaction } from "./file-transaction.ts";

/** Where the sites dist/ links to live: build state on the project's disk, so that switching is a rename. */
export const SITES_DIR = ".cache/sites";

/**
 * Which dist/ a manifest describes: the inode and time of its home page, which every build
 * writes. A dist/ replaced or rebuilt by anything else no longer matches, and is rebuilt in full.
 */
export interface OutputStamp {
  ino: number;
  mtimeMs: number;
}

async function stampOf(outputDir: string): Promise<OutputStamp | undefined> {
  try {
    const { ino, mtimeMs } = await stat(path.join(outputDir, "index.html"));
    return { ino, mtimeMs };
  } catch {
    return undefined;
  }
}

/** True when `stampFile` records the dist/ that is in `outputDir` now. */
export async function outputMatches(outputDir: string, stampFile: string): Promise<boolean> {
  const now = await stampOf(outputDir);
  if (now === undefined) return false;
  try {
    const recorded = JSON.parse(await readFile(stampFile, "utf8")) as OutputStamp;
    return recorded.ino === now.ino && recorded.mtimeMs === now.mtimeMs;
  } catch {
    return false;
  }
}

/** Records which dist/ `outputDir` holds now (see outputMatches), through the build's `changes` when given. */
export async function recordOutput(outputDir: string, stampFile: string, changes?: FileChanges): Promise<void> {
  const now = await stampOf(outputDir);
  if (now === undefined) throw new Error(`${outputDir}/index.html is missing after the build`);
  await mkdir(path.dirname(stampFile), { recursive: true });
  if (changes === undefined) await writeFile(stampFile, JSON.stringify(now));
  else changes.replace([[stampFile, changes.stage(path.basename(stampFile), JSON.stringify(now))]]);
}

/** Moves every file under `from` to the same place under `to`, replacing what is there; returns how many. */
export async function moveInto(changes: FileChanges, from: string, to: string): Promise<number> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const moves = entries.filter((entry) => entry.isFile()).map((entry): [string, string] => {
    const relative = path.relative(from, path.join(entry.parentPath, entry.name));
    return [path.join(to, relative), path.join(from, relative)];
  });
  changes.replace(moves);
  return moves.length;
}

/** Deletes site-relative `files` under `outputDir`, and each folder they leave empty. */
export async function removeFiles(changes: FileChanges, outputDir: string, files: readonly string[]): Promise<void> {
  changes.remove(files.map((file) => path.join(outputDir, file)));
  const dirs = new Set<string>();
  for (const file of files) for (let dir = path.dirname(file); dir !== "." && dir !== ""; dir = path.dirname(dir)) dirs.add(dir);
  // Deepest first, so a parent is tried after its children.
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    await rmdir(path.join(outputDir, dir)).catch(() => undefined);
  }
}

/** A new folder for a whole build's site, which `publishSite` links dist/ to. */
export function newSiteDir(): string {
  return path.join(SITES_DIR, `${new Date().toISOString().replace(/[-:.]/g, "")}-${process.pid}`);
}

/** Points `outputDir` at the finished site in `siteDir`, in one rename: dist/ is never missing. */
export function publishSite(transaction: FileTransaction, outputDir: string, siteDir: string): void {
  transaction.relink(outputDir, path.relative(path.dirname(outputDir), siteDir));
}

/** The site folder `outputDir` links to, if it is such a link. */
function linkedSite(outputDir: string): string | undefined {
  try {
    return lstatSync(outputDir).isSymbolicLink() ? path.resolve(path.dirname(outputDir), readlinkSync(outputDir)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Deletes, in the background, every site folder dist/ does not link to: those a whole build
 * replaced, and those killed builds left half-made; and the staging folders of older versions.
 */
export function removeOldSites(outputDir: string): void {
  const current = linkedSite(outputDir);
  const sites = existsSync(SITES_DIR) ? readdirSync(SITES_DIR).map((name) => path.resolve(SITES_DIR, name)) : [];
  const staleStaging = readdirSync(path.dirname(path.resolve(outputDir)))
    .filter((name) => name.startsWith(`${path.basename(outputDir)}.new-`) || name === `.${path.basename(outputDir)}.staging`)
    .map((name) => path.resolve(path.dirname(path.resolve(outputDir)), name));
  const retired = existsSync(".cache/retired") ? [path.resolve(".cache/retired")] : [];
  removeInBackground([...sites.filter((site) => site !== current), ...staleStaging, ...retired]);
}
