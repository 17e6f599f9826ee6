// Reads an export file from disk, refusing what is not a readable UTF-8 text; JSON or text export by its content.
import { readFile } from "node:fs/promises";
import { fileStamp } from "../file-stamp.ts";
import { ArchiveError } from "./errors.ts";
import { parseArchive } from "./parse-archive.ts";
import { looksLikeJson, parseJsonArchive } from "./parse-json.ts";
import type { ParsedArchive } from "./types.ts";

export async function readArchive(file: string): Promise<ParsedArchive> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory, not an export file" : `cannot be read (${code ?? String(cause)})`;
    throw new ArchiveError(why, { file }, { cause });
  }
  if (bytes.length === 0) throw new ArchiveError("file is empty", { file, line: 1 });
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    if (nul !== -1) throw new Error("NUL byte");
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    // Name the first bad byte: invalid UTF-8 may come before the first NUL (a PNG's 0x89 does).
    const invalid = firstInvalidUtf8(bytes);
    const offset = nul === -1 ? invalid : Math.min(nul, invalid);
    const line = bytes.subarray(0, offset).toString("latin1").split("\n").length;
    throw new ArchiveError("not a UTF-8 text file (binary data found)", { file, line }, { cause });
  }
  // Checked on the decoded text, not before decoding, so a large export is decoded once: a NUL or an
  // invalid byte is never whitespace, so a blank file always decodes.
  if (!/\S/.test(text)) throw new ArchiveError("file is empty", { file, line: 1 });
  return parseInput(text, file);
}

/** Parses a file's text as whichever kind it is: JSON (of any accepted shape) or the plain-text export; the file's name says nothing. */
export function parseInput(text: string, file: string): ParsedArchive {
  return looksLikeJson(text) ? parseJsonArchive(text, file) : parseArchive(text, file);
}

/**
 * Exports parsed by earlier imports in this process (the dev server's), by file: one whose size,
 * modification and change times and inode are as they were is not read again. Only what a
 * successful parse returned is kept, so a bad export is reported again each time.
 */
export class ParsedExports {
  readonly #byFile = new Map<string, { stamp: string; parsed: ParsedArchive }>();

  async read(file: string): Promise<ParsedArchive> {
    const stamp = await fileStamp(file);
    const known = this.#byFile.get(file);
    if (stamp !== undefined && known?.stamp === stamp) return known.parsed;
    this.#byFile.delete(file);
    const parsed = await readArchive(file);
    if (stamp !== undefined) this.#byFile.set(file, { stamp, parsed });
    return parsed;
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  // Binary search for the shortest prefix that fails to decode (a prefix cut mid-character still decodes in stream mode).
  while (low < high) {
    const mid = (low + high) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      low = mid + 1;
    } catch {
      high = mid;
    }
  }
  return low;
}
