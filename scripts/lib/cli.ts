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

/** Prints an error the way a user needs it (message, then its causes) and exits non-zero. */
export function exitWithError(error: unknown): never {
  let current: unknown = error;
  let prefix = "error: ";
  while (current instanceof Error) {
    console.error(`${prefix}${current.message}`);
    current = current.cause;
    prefix = "  caused by: ";
  }
  if (current !== undefined && !(current instanceof Error)) console.error(`${prefix}${String(current)}`);
  process.exit(1);
}
