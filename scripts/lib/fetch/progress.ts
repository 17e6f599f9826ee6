// What a fetch shows on stderr while it runs: comments so far, pages, and the time left when the total is known.
import type { RetryNotice } from "./graphql-client.ts";

export interface FetchProgress {
  /** Comments of this pass reached so far, counting those saved by an interrupted run of it. */
  readonly position: number;
  /** The user's comment count as the forum reports it, when it does. */
  readonly total: number | undefined;
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
  const startedAt = performance.now();
  let firstPosition: number | undefined;
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let lineOpen = false;
  const endLine = (): void => {
    if (lineOpen) stream.write("\n");
    lineOpen = false;
  };
  return {
    page(progress) {
      firstPosition ??= progress.position;
      const now = performance.now();
      const line = progressLine(progress, firstPosition, now - startedAt);
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

export function progressLine(progress: FetchProgress, firstPosition: number, elapsedMs: number): string {
  const { position, total, pages, changes } = progress;
  let line = `fetch: ${formatCount(position)}${total !== undefined ? ` of ~${formatCount(Math.max(total, position))}` : ""} comments, ${formatCount(pages)} page${pages === 1 ? "" : "s"}`;
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
