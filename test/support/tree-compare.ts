// Compares two built sites byte for byte: an incremental build must equal a from-scratch build of the same input.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

export interface TreeDifference {
  /** Differing file: the first byte offset that differs and a little text either side, to see why. */
  file: string;
  sizes: [number, number];
  offset: number;
  context: [string, string];
}

export interface TreeComparison {
  identical: boolean;
  files: [number, number];
  bytes: [number, number];
  onlyInFirst: string[];
  onlyInSecond: string[];
  differing: TreeDifference[];
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

function firstDifference(a: Buffer, b: Buffer): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return length;
}

const around = (bytes: Buffer, offset: number): string => bytes.subarray(Math.max(0, offset - 60), offset + 60).toString("utf8");

/** Compares every file of both trees (nothing excluded); reads in batches so 100,000 files stay cheap on memory. */
export async function compareTrees(first: string, second: string, onProgress?: (done: number, total: number) => void): Promise<TreeComparison> {
  const [a, b] = await Promise.all([listFiles(first), listFiles(second)]);
  const inB = new Set(b);
  const inA = new Set(a);
  const common = a.filter((f) => inB.has(f));
  const differing: TreeDifference[] = [];
  const bytes: [number, number] = [0, 0];
  for (let i = 0; i < common.length; i += 256) {
    await Promise.all(
      common.slice(i, i + 256).map(async (file) => {
        const [x, y] = await Promise.all([readFile(path.join(first, file)), readFile(path.join(second, file))]);
        bytes[0] += x.length;
        bytes[1] += y.length;
        if (x.equals(y)) return;
        const offset = firstDifference(x, y);
        differing.push({ file, sizes: [x.length, y.length], offset, context: [around(x, offset), around(y, offset)] });
      }),
    );
    if (onProgress !== undefined && (i / 256) % 100 === 99) onProgress(i + 256, common.length);
  }
  differing.sort((p, q) => (p.file < q.file ? -1 : 1));
  const onlyInFirst = a.filter((f) => !inB.has(f));
  const onlyInSecond = b.filter((f) => !inA.has(f));
  return {
    identical: onlyInFirst.length === 0 && onlyInSecond.length === 0 && differing.length === 0,
    files: [a.length, b.length],
    bytes,
    onlyInFirst,
    onlyInSecond,
    differing,
  };
}
