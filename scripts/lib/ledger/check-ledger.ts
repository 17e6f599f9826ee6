// Checks a built site against the URL ledger: every URL ever published must still serve a page.
import { existsSync } from "node:fs";
import path from "node:path";
import type { LedgerEntry } from "./ledger.ts";

/** The ledger entries whose URL has no page in `siteDir` (a directory URL needs its index.html). */
export function unresolvedEntries(entries: readonly LedgerEntry[], siteDir: string): LedgerEntry[] {
  return entries.filter((entry) => {
    const file = entry.url.endsWith("/") ? path.join(siteDir, entry.url, "index.html") : path.join(siteDir, entry.url);
    return !existsSync(file);
  });
}
