// A file's size, times and inode as one string: the same stamp means the file was neither written nor replaced since.
import { statSync, type Stats } from "node:fs";
import { stat } from "node:fs/promises";

const stampOf = (s: Stats): string => `${s.size} ${s.mtimeMs} ${s.ctimeMs} ${s.ino}`;

/** Undefined when the file cannot be stat'ed (it is missing). */
export function fileStamp(file: string): Promise<string | undefined> {
  return stat(file).then(stampOf, () => undefined);
}

export function fileStampSync(file: string): string | undefined {
  try {
    return stampOf(statSync(file));
  } catch {
    return undefined;
  }
}
