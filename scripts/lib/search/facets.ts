// Reads the filter values and their page counts back from a Pagefind bundle's own filter files, so the search page can list them without loading them.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** Filter name -> value -> number of pages. */
export type Facets = Record<string, Record<string, number>>;

/** Every Pagefind data file starts, once decompressed, with this marker; CBOR follows. */
const PAGEFIND_MARKER = "pagefind_dcd";

type Cbor = number | string | Uint8Array | boolean | null | Cbor[] | { [key: string]: Cbor };

/**
 * A minimal CBOR reader: unsigned and negative integers, byte and text strings, arrays, maps and
 * the simple values, which is all Pagefind's filter files use. Anything else is an error, so a
 * changed file format stops the build instead of publishing wrong filter lists.
 */
export function decodeCbor(bytes: Uint8Array): Cbor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder();
  let at = 0;
  const argument = (info: number): number => {
    if (info < 24) return info;
    const size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (size === undefined) throw new Error(`CBOR: unsupported length encoding ${info} at byte ${at}`);
    const value = size === 1 ? view.getUint8(at) : size === 2 ? view.getUint16(at) : size === 4 ? view.getUint32(at) : Number(view.getBigUint64(at));
    at += size;
    return value;
  };
  const item = (): Cbor => {
    if (at >= bytes.length) throw new Error("CBOR: unexpected end of data");
    const initial = view.getUint8(at++);
    const major = initial >> 5;
    const info = initial & 31;
    switch (major) {
      case 0:
        return argument(info);
      case 1:
        return -1 - argument(info);
      case 2:
      case 3: {
        const length = argument(info);
        const slice = bytes.subarray(at, at + length);
        at += length;
        return major === 2 ? slice : text.decode(slice);
      }
      case 4:
        return Array.from({ length: argument(info) }, item);
      case 5: {
        const map: { [key: string]: Cbor } = {};
        for (let i = argument(info); i > 0; i--) map[String(item())] = item();
        return map;
      }
      case 7:
        if (info === 20 || info === 21) return info === 21;
        if (info === 22) return null;
        throw new Error(`CBOR: unsupported simple value ${info} at byte ${at - 1}`);
      default:
        throw new Error(`CBOR: unsupported major type ${major} at byte ${at - 1}`);
    }
  };
  const value = item();
  if (at !== bytes.length) throw new Error(`CBOR: ${bytes.length - at} bytes left over`);
  return value;
}

/** One filter file (`filter/*.pf_filter`): `[name, [[value, [page, ...]], ...]]`, gzipped behind Pagefind's marker. */
export function decodeFilterFile(compressed: Uint8Array): { name: string; counts: Record<string, number> } {
  const raw = gunzipSync(compressed);
  if (raw.subarray(0, PAGEFIND_MARKER.length).toString("latin1") !== PAGEFIND_MARKER) throw new Error("not a Pagefind data file");
  const decoded = decodeCbor(raw.subarray(PAGEFIND_MARKER.length));
  if (!Array.isArray(decoded) || typeof decoded[0] !== "string" || !Array.isArray(decoded[1])) throw new Error("unexpected filter file layout");
  const counts: Record<string, number> = {};
  for (const entry of decoded[1]) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || !Array.isArray(entry[1])) throw new Error("unexpected filter value layout");
    counts[entry[0]] = entry[1].length;
  }
  return { name: decoded[0], counts };
}

/** Every filter of the bundle in `bundleDir`, with each value's page count. */
export async function readBundleFacets(bundleDir: string): Promise<Facets> {
  const dir = path.join(bundleDir, "filter");
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".pf_filter")).sort();
  const facets: Facets = {};
  for (const name of names) {
    try {
      const { name: filter, counts } = decodeFilterFile(await readFile(path.join(dir, name)));
      facets[filter] = counts;
    } catch (error) {
      throw new Error(`cannot read Pagefind filter file ${path.join(dir, name)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return facets;
}

/** Adds up the counts of several bundles' facets. */
export function mergeFacets(all: readonly Facets[]): Facets {
  const merged: Facets = {};
  for (const facets of all) {
    for (const [filter, counts] of Object.entries(facets)) {
      const into = (merged[filter] ??= {});
      for (const [value, count] of Object.entries(counts)) into[value] = (into[value] ?? 0) + count;
    }
  }
  return merged;
}

/** The same counts with keys in a fixed order, so the written file depends only on its content. */
export function sortedCounts(counts: Record<string, number> = {}): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
