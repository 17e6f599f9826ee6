// Updating a published dist/ in place: the changed pages a build rendered move in, retired pages go.
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
