// Updating a published dist/ in place: the changed pages a build rendered move in, retired pages go.
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";

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

export async function recordOutput(outputDir: string, stampFile: string): Promise<void> {
  const now = await stampOf(outputDir);
  if (now === undefined) throw new Error(`${outputDir}/index.html is missing after the build`);
  await mkdir(path.dirname(stampFile), { recursive: true });
  await writeFile(stampFile, JSON.stringify(now));
}

/** Moves every file under `from` to the same place under `to`, replacing what is there; returns how many. */
export async function moveInto(from: string, to: string): Promise<number> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const made = new Set<string>();
  let moved = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const relative = path.relative(from, path.join(entry.parentPath, entry.name));
    const target = path.join(to, relative);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await rename(path.join(from, relative), target);
    moved += 1;
  }
  return moved;
}

/** Deletes site-relative `files` under `outputDir`, and each folder they leave empty. */
export async function removeFiles(outputDir: string, files: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const file of files) {
    await rm(path.join(outputDir, file), { force: true });
    for (let dir = path.dirname(file); dir !== "." && dir !== ""; dir = path.dirname(dir)) dirs.add(dir);
  }
  // Deepest first, so a parent is tried after its children.
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    await rmdir(path.join(outputDir, dir)).catch(() => undefined);
  }
}

/** Where a whole build puts the dist/ it replaced, for `removeRetired` to delete. */
export const RETIRED_DIR = ".cache/retired";

/** Moves the site in `outputDir`, if any, out of the way into RETIRED_DIR (build state on the same disk, so this is a rename). */
export async function retireOutput(outputDir: string): Promise<void> {
  try {
    await stat(outputDir);
  } catch {
    return;
  }
  await mkdir(RETIRED_DIR, { recursive: true });
  await rename(outputDir, path.join(RETIRED_DIR, `${path.basename(outputDir)}-${process.pid}-${Date.now()}`));
}

const REMOVE_SCRIPT = "for (const dir of process.argv.slice(1)) require('node:fs').rmSync(dir, { recursive: true, force: true });";

/**
 * Deletes every retired site in RETIRED_DIR in a process of its own, which the build does not
 * wait for: at 100,000 comments a site is 330,000 files, which took this disk 90 s to delete,
 * and nothing needs them gone. One interrupted is deleted by the next build's call.
 */
export async function removeRetired(): Promise<void> {
  let names: string[];
  try {
    names = await readdir(RETIRED_DIR);
  } catch {
    return;
  }
  if (names.length === 0) return;
  const child = spawn(process.execPath, ["-e", REMOVE_SCRIPT, ...names.map((name) => path.join(RETIRED_DIR, name))], { detached: true, stdio: "ignore" });
  child.unref();
}
