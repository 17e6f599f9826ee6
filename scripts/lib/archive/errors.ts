// The import's one error type: it names the file and line a user has to look at.
import type { SourceLocation } from "./types.ts";

export class ArchiveError extends Error {
  readonly file: string;
  readonly line: number | undefined;

  constructor(message: string, where: { file: string; line?: number }, options?: { cause?: unknown }) {
    super(`${where.file}${where.line === undefined ? "" : `:${where.line}`}: ${message}`, options);
    this.name = "ArchiveError";
    this.file = where.file;
    this.line = where.line;
  }

  static at(source: SourceLocation, message: string, cause?: unknown): ArchiveError {
    return new ArchiveError(message, source, cause === undefined ? undefined : { cause });
  }
}
