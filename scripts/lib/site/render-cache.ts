// Rendered comments kept on disk between builds, so a rebuild renders the Markdown of changed pages only.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import type { LoadedComment } from "./site-archive.ts";

/** How a page file looked when it was rendered: a different size or time means it was written since. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

interface CachedComment {
  stamp: FileStamp;
  loaded: LoadedComment;
}

export interface RenderCache {
  get(file: string, stamp: FileStamp): LoadedComment | undefined;
  set(file: string, stamp: FileStamp, loaded: LoadedComment): void;
  /** Writes the entries set since loading (the cache then holds exactly the current archive). */
  save(): void;
}

interface CacheFile {
  /** Rendering code the entries were made with; any other code starts an empty cache. */
  codeDigest: string;
  entries: [string, CachedComment][];
}

const sameStamp = (a: FileStamp, b: FileStamp): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs;

function readCacheFile(file: string, codeDigest: string): Map<string, CachedComment> {
  try {
    const cached = deserialize(readFileSync(file)) as CacheFile;
    if (cached.codeDigest === codeDigest) return new Map(cached.entries);
  } catch {
    // Missing, unreadable or from another Node version: render everything once.
  }
  return new Map();
}

/** A cache in `file` for rendering code `codeDigest`; entries not used in this build are dropped when saved. */
export function openRenderCache(file: string, codeDigest: string): RenderCache {
  const previous = readCacheFile(file, codeDigest);
  const current = new Map<string, CachedComment>();
  let rendered = 0;
  return {
    get(page, stamp) {
      const hit = previous.get(page);
      if (hit === undefined || !sameStamp(hit.stamp, stamp)) return undefined;
      current.set(page, hit);
      return hit.loaded;
    },
    set(page, stamp, loaded) {
      current.set(page, { stamp, loaded });
      rendered += 1;
    },
    save() {
      // Hundreds of megabytes at 100,000 comments: not rewritten when it would say the same.
      if (rendered === 0 && current.size === previous.size) return;
      const data: CacheFile = { codeDigest, entries: [...current] };
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, serialize(data));
      renameSync(`${file}.tmp`, file);
    },
  };
}
