// What the content directory holds before an import writes: every file with its size and time, and the manifest.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { MANIFEST_FILE, readManifest, type StoredManifest } from "./manifest.ts";

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** What a write asks of the files found: a file's stamp, and every file's path. */
export interface ContentFiles {
  get(file: string): FileStamp | undefined;
  keys(): Iterable<string>;
  readonly size: number;
}

export interface ContentScan {
  /** Every file below the content dir but the manifest, by its path relative to the dir. */
  files: ContentFiles;
  manifest: StoredManifest | undefined;
}

/** Every file below `dir` but the manifest, relative to it. A walk of our own: readdir's `recursive` plus path.relative costs six times as much. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    let entries;
    try {
      entries = readdirSync(relative === "" ? dir : path.join(dir, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && relative === "") return;
      throw error;
    }
    for (const entry of entries) {
      const file = relative === "" ? entry.name : `${relative}${path.sep}${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && file !== MANIFEST_FILE) files.push(file);
    }
  };
  walk("");
  return files;
}

/** Lists and stats the content dir and reads its manifest. */
export function scanContent(dir: string): ContentScan {
  const files = new Map<string, FileStamp>();
  const root = path.join(dir, path.sep);
  for (const file of listFiles(dir)) {
    const stat = statSync(root + file, { throwIfNoEntry: false });
    if (stat !== undefined) files.set(file, { size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return { files, manifest: readManifest(dir) };
}
