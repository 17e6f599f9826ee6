// What an import leaves for the next one in the same process (the dev server's), so that it reads again only what changed.
import { ParsedExports } from "./archive/read-archive.ts";
import { ContentMemory } from "./content/content-memory.ts";
import { fileStamp } from "./file-stamp.ts";
import { readLedger, type LedgerEntry, type LedgerFile } from "./ledger/ledger.ts";
import type { PublishedComments } from "./published.ts";

export class ImportMemory {
  /** Exports parsed, by file: one unchanged since is not read again. */
  readonly exports = new ParsedExports();
  /** The content directory as the last import left it: not scanned again while its manifest is unchanged. */
  readonly content = new ContentMemory();
  /** Comments as published, by id: published again as they were while their facts and text are equal (see PublishedComments). */
  readonly published: PublishedComments = new Map();
  #ledger: { readonly file: string; readonly stamp: string; readonly entries: readonly LedgerEntry[] } | undefined;

  /** The URL ledger in `file` (see readLedger), read again only when the file changed. The import only reads the entries. */
  async readLedger(file: string): Promise<readonly LedgerEntry[]> {
    const stamp = await fileStamp(file);
    if (stamp !== undefined && this.#ledger?.file === file && this.#ledger.stamp === stamp) return this.#ledger.entries;
    this.#ledger = undefined;
    const entries = await readLedger(file);
    if (stamp !== undefined) this.#ledger = { file, stamp, entries };
    return entries;
  }

  /**
   * `file` now holds `written` (see ledgerFile), which this process wrote there: the next import
   * takes its entries instead of reading back tens of megabytes it just wrote.
   */
  async ledgerWritten(file: string, written: LedgerFile): Promise<void> {
    const stamp = await fileStamp(file);
    this.#ledger = stamp === undefined ? undefined : { file, stamp, entries: written.entries };
  }
}
