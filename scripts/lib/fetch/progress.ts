// What a fetch shows on stderr while it runs: comments so far, pages, and the time left when the total is known.
import type { RetryNotice } from "./graphql-client.ts";

export interface FetchProgress {
  /** "read": reading whole comments; "check": a later run asking every comment for its edit date; "changed": fetching the new and edited. */
  readonly phase: "read" | "check" | "changed";
  /** Comments of this phase reached so far (when reading, counting those saved by an interrupted run). */
  readonly position: number;
  /** How many the phase has to reach: the user's comment count as the forum reports it, when it does; the changed ones. */
  readonly total: number | undefined;
  /** Pages of the run so far. */
  readonly pages: number;
  /** What changed in a file that an earlier run saved (on a first run, every comment is new). */
  readonly changes: { readonly added: number; readonly edited: number } | undefined;
}

export interface ProgressReporter {
  page(progress: FetchProgress): void;
  retry(notice: RetryNotice): void;
  /** Ends the progress line before anything else is printed. */
  finish(): void;
}

export const silentProgress: ProgressReporter = { page() {}, retry() {}, finish() {} };

/** On a terminal the line is rewritten after every page; in a log, one line every `logEveryMs`. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, logEveryMs = 5_000): ProgressReporter {
  // The rate that the estimate extrapolates is measured from the first page of each phase on.
  let phase: { name: FetchProgress["phase"]; position: number; at: number } | undefined;
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let lineOpen = false;
  const endLine = (): void => {
    if (lineOpen) stream.write("\n");
    lineOpen = false;
  };
  return {
    page(progress) {
      const now = performance.now();
      if (phase?.name !== progress.phase) {
        if (phase !== undefined) endLine();
        phase = { name: progress.phase, position: progress.position, at: now };
        lastLoggedAt = Number.NEGATIVE_INFINITY;
      }
      const line = progressLine(progress, phase.position, now - phase.at);
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
        lineOpen = true;
      } else if (now - lastLoggedAt >= logEveryMs) {
        stream.write(`${line}\n`);
        lastLoggedAt = now;
      }
    },
    retry({ attempt, waitMs, reason }) {
      endLine();
      stream.write(`fetch: ${reason}; retrying in ${(waitMs / 1000).toFixed(1)} s (retry ${attempt})\n`);
    },
    finish: endLine,
  };
}

/** The line for `progress`, with the time left extrapolated from the comments reached since `firstPosition`, `elapsedMs` ago. */
export function progressLine(progress: FetchProgress, firstPosition: number, elapsedMs: number): string {
  const { phase, position, total, pages, changes } = progress;
  const of = total === undefined ? "" : phase === "changed" ? ` of ${formatCount(total)}` : ` of ~${formatCount(Math.max(total, position))}`;
  const what = phase === "read" ? "comments" : phase === "check" ? "comments checked for edits" : "new or edited comments fetched";
  let line = `fetch: ${formatCount(position)}${of} ${what}, ${formatCount(pages)} page${pages === 1 ? "" : "s"}`;
  if (changes !== undefined) line += ` (${formatCount(changes.added)} new, ${formatCount(changes.edited)} edited)`;
  if (total !== undefined && total > 0) {
    line += `, ${Math.min(100, Math.floor((position / total) * 100))}%`;
    const rate = (position - firstPosition) / elapsedMs;
    if (rate > 0 && position < total) line += `, about ${formatDuration((total - position) / rate)} left`;
  }
  return line;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
