// The content manifest as an import of this process last left it, so that the next import (the dev server's) need not list and stat every page.
import path from "node:path";
import { fileStampSync } from "../file-stamp.ts";
import type { ContentFiles, ContentScan } from "./content-scan.ts";
import { MANIFEST_FILE, type Manifest, type ManifestLines } from "./manifest.ts";

const manifestStamp = (dir: string): string | undefined => fileStampSync(path.join(dir, MANIFEST_FILE));

/**
 * Trusts the directory to hold what this process wrote there while its manifest is the file this
 * process wrote: anyone else's import rewrites the manifest, and is then scanned. A page edited by
 * hand meanwhile is not noticed (a scan would see it modified after the manifest); the next
 * `npm run build` restores it.
 */
export class ContentMemory {
  #remembered: { dir: string; stamp: string; manifest: Manifest; lines: ManifestLines } | undefined;

  /** What `dir` holds, as a scan would tell it, when its manifest is still the one remembered. */
  recall(dir: string): ContentScan | undefined {
    const remembered = this.#remembered;
    if (remembered === undefined || remembered.dir !== dir || remembered.stamp !== manifestStamp(dir)) return undefined;
    // Every page as the manifest describes it, written before it: each entry holds (see entryHolds).
    // Asked of the manifest's map, not copied into one of their own: 100,000 entries.
    const { pages } = remembered.manifest;
    const files: ContentFiles = {
      get: (file) => {
        const entry = pages.get(file);
        return entry === undefined ? undefined : { size: entry.size, mtimeMs: 0 };
      },
      keys: () => pages.keys(),
      size: pages.size,
    };
    return { files, manifest: { ...remembered.manifest, mtimeMs: Infinity } };
  }

  /** The sorted lines of the manifest `recall` described, for the next write to patch rather than sort again. */
  manifestLines(): ManifestLines | undefined {
    return this.#remembered?.lines;
  }

  /** `dir` now holds exactly the pages `manifest` lists, and its manifest file says so (in `lines`). */
  remember(dir: string, manifest: Manifest, lines: ManifestLines): void {
    const stamp = manifestStamp(dir);
    this.#remembered = stamp === undefined ? undefined : { dir, stamp, manifest, lines };
  }

  forget(): void {
    this.#remembered = undefined;
  }
}
