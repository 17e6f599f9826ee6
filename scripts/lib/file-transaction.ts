// All of one build's changes to content/, dist/, the ledger and build state take effect together, or not at all.
import { spawn } from "node:child_process";
import { appendFileSync, closeSync, copyFileSync, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, type Stats } from "node:fs";
import path from "node:path";

/**
 * Where a build keeps its journal and the files it replaced. Inside the project (build state,
 * never published), so that every change is a rename on one file system.
 */
export const TRANSACTION_DIR = ".cache/transaction";

/** The folder, inside the transaction's, that keeps what its changes replaced. */
const SAVED = "saved";

/**
 * One change, written to the journal before it is made. `saved` names where the old file or
 * folder is kept until the build commits; `existed` says whether there was one.
 */
interface JournalEntry {
  readonly target: string;
  readonly saved: string;
  readonly existed: boolean;
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs a change of `target`, and names `target` in a file-system error it throws: the user must
 * hear which file of theirs could not be written, not which file of the journal.
 */
function changing<T>(target: string, change: () => T): T {
  try {
    return change();
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (typeof failure.code === "string") failure.path = target;
    throw error;
  }
}

/** Puts `saved` back at `target`: by rename, or by copy where `target` is on another file system (a protected file). */
function restore(saved: string, target: string): void {
  try {
    renameSync(saved, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    copyFileSync(saved, target);
    rmSync(saved);
  }
}

/** Puts every journalled target back as it was: newest change first. Returns how many it restored. */
function undoJournal(dir: string): number {
  const journal = path.join(dir, "journal");
  if (!existsSync(journal)) return 0;
  const entries: JournalEntry[] = [];
  for (const line of readFileSync(journal, "utf8").split("\n")) {
    // A line cut short by a kill was never acted on: its change is made only after the line is on disk.
    try {
      if (line !== "") entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      break;
    }
  }
  for (const entry of entries.reverse()) {
    const saved = path.join(dir, SAVED, entry.saved);
    if (lstatOrUndefined(saved) !== undefined) {
      if (lstatOrUndefined(entry.target)?.isDirectory()) rmSync(entry.target, { recursive: true, force: true });
      // Its folder may have gone with the last file the build removed from it.
      mkdirSync(path.dirname(entry.target), { recursive: true });
      restore(saved, entry.target);
    } else if (!entry.existed) {
      rmSync(entry.target, { recursive: true, force: true });
    }
    // Else the change had not begun: the target is still the old one.
  }
  rmSync(journal, { force: true });
  return entries.length;
}

const REMOVE_SCRIPT = "for (const dir of process.argv.slice(1)) require('node:fs').rmSync(dir, { recursive: true, force: true });";

/** Deletes `dirs` in a process the build does not wait for: a replaced site can be 300,000 files. */
export function removeInBackground(dirs: readonly string[]): void {
  if (dirs.length === 0) return;
  spawn(process.execPath, ["-e", REMOVE_SCRIPT, ...dirs], { detached: true, stdio: "ignore" }).unref();
}

/** Replacing and removing files and folders, each change whole: what a build's stages write through. */
export interface FileChanges {
  /** A new path in a staging folder on the target's file system, outside anything published. */
  stagingPath(name: string): string;
  /** Writes `text` to a new staging path and returns it. */
  stage(name: string, text: string | Uint8Array): string;
  /** Replaces each target (file, folder or link) by the staged file or folder given for it. */
  replace(changes: readonly (readonly [target: string, staged: string])[]): void;
  /** Deletes each target, file or folder. */
  remove(targets: readonly string[]): void;
}

/** Changes made at once, without a journal: for the dev server, whose site is rebuilt whole by the next build if it is interrupted. */
export class ImmediateChanges implements FileChanges {
  private staged = 0;

  constructor(readonly stagingDir: string) {}

  stagingPath(name: string): string {
    mkdirSync(this.stagingDir, { recursive: true });
    return path.join(this.stagingDir, `${process.pid}-${this.staged++}-${name.replace(/[^\w.-]+/g, "_")}`);
  }

  stage(name: string, text: string | Uint8Array): string {
    const staged = this.stagingPath(name);
    writeFileSync(staged, text);
    return staged;
  }

  replace(changes: readonly (readonly [target: string, staged: string])[]): void {
    for (const [target, staged] of changes) {
      mkdirSync(path.dirname(target), { recursive: true });
      if (lstatOrUndefined(target)?.isDirectory()) {
        const old = this.stagingPath("old");
        renameSync(target, old);
        renameSync(staged, target);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(staged, target);
      }
    }
  }

  remove(targets: readonly string[]): void {
    for (const target of targets) rmSync(target, { recursive: true, force: true });
  }
}

/**
 * A journalled set of file changes. Each change saves what it replaces (a hard link for a file,
 * so the target is never missing; the folder itself for a folder) after writing its journal line,
 * so `rollback`, or the next `begin` after a kill, can put everything back. `commit` makes the
 * changes final by deleting the journal.
 */
export class FileTransaction implements FileChanges {
  private readonly journal: string;
  private readonly savedDir: string;
  /** New files are written here first, on the project's file system, never inside a published folder. */
  readonly stagingDir: string;
  private changes = 0;
  private staged = 0;
  private open = true;

  private constructor(private readonly dir: string) {
    this.journal = path.join(dir, "journal");
    this.savedDir = path.join(dir, SAVED);
    this.stagingDir = path.join(dir, "staging");
  }

  /**
   * Starts a transaction in `dir`. What an interrupted one left is undone first, and its
   * leftovers deleted; `recovered` reports how many changes were put back.
   */
  static begin(dir = TRANSACTION_DIR, recovered: (changes: number) => void = () => undefined): FileTransaction {
    const undone = undoJournal(dir);
    if (undone > 0) recovered(undone);
    if (existsSync(dir)) {
      const aside = `${dir}.old-${process.pid}`;
      renameSync(dir, aside);
      removeInBackground([aside]);
    }
    const transaction = new FileTransaction(dir);
    mkdirSync(transaction.savedDir, { recursive: true });
    mkdirSync(transaction.stagingDir, { recursive: true });
    return transaction;
  }

  private check(): void {
    if (!this.open) throw new Error("the file transaction has already ended");
  }

  /** Writes the journal lines of the next changes, durably, before any of them is made. */
  private record(targets: readonly string[]): JournalEntry[] {
    this.check();
    const entries = targets.map((target): JournalEntry => ({ target, saved: String(this.changes++), existed: lstatOrUndefined(target) !== undefined }));
    if (entries.length === 0) return entries;
    appendFileSync(this.journal, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    fsyncFile(this.journal);
    return entries;
  }

  private save(entry: JournalEntry): void {
    if (!entry.existed) return;
    const saved = path.join(this.savedDir, entry.saved);
    if (lstatOrUndefined(entry.target)?.isDirectory()) renameSync(entry.target, saved);
    // A link, not a copy: the target is never missing, and a target the link cannot reach (another
    // file system) could not take the staged file by rename either, so this fails before any change.
    else linkSync(entry.target, saved);
  }

  stagingPath(name: string): string {
    return path.join(this.stagingDir, `${this.staged++}-${name.replace(/[^\w.-]+/g, "_")}`);
  }

  stage(name: string, text: string | Uint8Array): string {
    const staged = this.stagingPath(name);
    writeFileSync(staged, text);
    return staged;
  }

  replace(changes: readonly (readonly [target: string, staged: string])[]): void {
    const entries = this.record(changes.map(([target]) => target));
    const made = new Set<string>();
    changes.forEach(([target, staged], i) => {
      const entry = entries[i] as JournalEntry;
      changing(target, () => {
        this.save(entry);
        const parent = path.dirname(target);
        if (!made.has(parent)) mkdirSync(parent, { recursive: true });
        made.add(parent);
        renameSync(staged, target);
      });
    });
  }

  /** Keeps each target until the commit. */
  remove(targets: readonly string[]): void {
    for (const entry of this.record(targets)) if (entry.existed) changing(entry.target, () => renameSync(entry.target, path.join(this.savedDir, entry.saved)));
  }

  /** Keeps a copy of each target, which the caller then changes (in place or by rename); rollback puts the copy back. */
  protect(targets: readonly string[]): void {
    for (const entry of this.record(targets)) {
      if (entry.existed) changing(entry.target, () => copyFileSync(entry.target, path.join(this.savedDir, entry.saved)));
    }
  }

  /** Points the symbolic link `link` at `target`, in one rename. */
  relink(link: string, target: string): void {
    const staged = this.stagingPath(path.basename(link));
    symlinkSync(target, staged);
    this.replace([[link, staged]]);
  }

  /** Makes every change final. What was replaced is deleted in the background. */
  commit(): void {
    this.check();
    this.open = false;
    rmSync(this.journal, { force: true });
    const aside = `${this.dir}.old-${process.pid}`;
    rmSync(aside, { recursive: true, force: true });
    renameSync(this.dir, aside);
    removeInBackground([aside]);
  }

  /** Puts back everything changed so far. If that fails, the journal stays for the next `begin` to finish. */
  rollback(): void {
    if (!this.open) return;
    this.open = false;
    undoJournal(this.dir);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
