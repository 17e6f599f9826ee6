// The import's one error type: it names the file and line a user has to look at (and the column, where one is known).
import type { SourceLocation } from "./types.ts";

export class ArchiveError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  /** 1-based; only for JSON input, where a line may hold a whole document. */
  readonly column: number | undefined;

  constructor(message: string, where: { file: string; line?: number; column?: number }, options?: { cause?: unknown }) {
    const at = where.line === undefined ? "" : `:${where.line}${where.column === undefined ? "" : `:${where.column}`}`;
    super(`${where.file}${at}: ${message}`, options);
    this.name = "ArchiveError";
    this.file = where.file;
    this.line = where.line;
    this.column = where.line === undefined ? undefined : where.column;
  }

  static at(source: SourceLocation, message: string, cause?: unknown): ArchiveError {
    return new ArchiveError(message, source, cause === undefined ? undefined : { cause });
  }
}
