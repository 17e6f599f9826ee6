// Command-line options shared by the import, build and serve commands.
import { parseArgs } from "node:util";
import { defaultLedgerFile } from "./ledger/ledger.ts";

export const DEFAULT_ARCHIVES = ["archives/interstice.md"];
export const CONTENT_DIR = "content/archive";

export interface CliOptions {
  archives: string[];
  /** The URL ledger (default: urls.json beside the first archive). */
  ledger: string;
  /** Fail when a published comment is missing from the input. */
  strict: boolean;
  /** Render every page, even when dist/ could be updated with the changed pages only. */
  full: boolean;
}

export function parseCliOptions(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      archive: { type: "string", multiple: true },
      ledger: { type: "string" },
      strict: { type: "boolean", default: false },
      full: { type: "boolean", default: false },
    },
    allowPositionals: false,
  });
  const archives = values.archive?.length ? values.archive : DEFAULT_ARCHIVES;
  return { archives, ledger: values.ledger ?? defaultLedgerFile(archives), strict: values.strict ?? false, full: values.full ?? false };
}

/** What to do about a failed file-system call, by its code. */
const FILE_SYSTEM_ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: "no space is left on its device: free some space and run the command again",
  EDQUOT: "the disk quota is used up: free some space and run the command again",
  EROFS: "its file system is read-only: make it writable and run the command again",
  EACCES: "permission denied: make it writable by this user (or run as its owner) and run the command again",
  EPERM: "the operation is not permitted there: check its owner and permissions and run the command again",
  EXDEV: "it is on another file system than the project (a mount point, or a read-only mount): keep dist/, content/ and .cache/ on the project's own disk, writable",
  EBUSY: "it is in use (a mount point or an open program): free it and run the command again",
  EMFILE: "too many files are open: raise the limit (ulimit -n) and run the command again",
  ENOTEMPTY: "a folder expected to be empty is not: remove it and run the command again",
};

/** The first failed file-system call in `error`'s chain of causes, with a path. */
function fileSystemFailure(error: unknown): (NodeJS.ErrnoException & { code: string }) | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const failure = current as NodeJS.ErrnoException;
    if (typeof failure.code === "string" && FILE_SYSTEM_ADVICE[failure.code] !== undefined) return failure as NodeJS.ErrnoException & { code: string };
  }
  return undefined;
}

/**
 * Prints an error the way a user needs it (message, then its causes) and exits non-zero. A
 * failed file-system call is told first, with its path and what to do about it.
 */
export function exitWithError(error: unknown): never {
  const failure = fileSystemFailure(error);
  if (failure !== undefined) {
    const where = failure.path === undefined ? "a file" : failure.path;
    console.error(`error: could not write ${where}: ${FILE_SYSTEM_ADVICE[failure.code]}. Nothing was changed: content/, dist/ and the URL ledger are as they were.`);
    for (let current: unknown = error; current instanceof Error; current = current.cause) console.error(`  caused by: ${current.message}`);
    process.exit(1);
  }
  printErrorChain(error);
  process.exit(1);
}

/** `error: <message>`, then each cause on a line of its own. */
export function printErrorChain(error: unknown): void {
  let current: unknown = error;
  let prefix = "error: ";
  while (current instanceof Error) {
    console.error(`${prefix}${current.message}`);
    current = current.cause;
    prefix = "  caused by: ";
  }
  if (current !== undefined) console.error(`${prefix}${String(current)}`);
}
