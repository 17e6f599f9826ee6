// `npm run fetch -- --user SLUG`: downloads a user's comments from the forum's API into archives/SLUG.json, resumably.
import { printErrorChain } from "./lib/cli.ts";
import { parseFetchOptions } from "./lib/fetch/fetch-options.ts";
import { type FetchSummary, fetchUserComments } from "./lib/fetch/fetch-user-comments.ts";
import { lockOutputFile } from "./lib/fetch/file-lock.ts";
import { GraphqlClient } from "./lib/fetch/graphql-client.ts";
import { formatCount, silentProgress, terminalProgress } from "./lib/fetch/progress.ts";

/** A forum that asks for a longer pause than this is left alone until the user runs the command again. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

const STARTED: Readonly<Record<FetchSummary["started"], string>> = {
  first: "read all comments",
  resumed: "continued an interrupted fetch",
  update: "checked every comment for edits",
  new: "fetched new comments",
  full: "read all comments again",
};

function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? "" : "s"}`;
}

try {
  const options = parseFetchOptions(process.argv.slice(2));
  const progress = options.quiet ? silentProgress : terminalProgress();
  const client = new GraphqlClient({
    endpoint: options.endpoint,
    userAgent: options.userAgent,
    delayMs: options.delayMs,
    backoffMs: options.backoffMs,
    maxRetries: options.retries,
    maxRetryAfterMs: MAX_RETRY_AFTER_MS,
    timeoutMs: options.timeoutMs,
    onRetry: (notice) => progress.retry(notice),
  });
  const lock = await lockOutputFile(options.outFile);
  // Every saved page is a whole file, so an interruption loses at most the page in flight.
  const interrupted = (signal: NodeJS.Signals, code: number): void => {
    progress.finish();
    lock.releaseNow();
    console.error(`fetch: stopped by ${signal}; what was fetched is saved in ${options.outFile}: run the same command again to continue`);
    process.exit(code);
  };
  process.once("SIGINT", () => interrupted("SIGINT", 130));
  process.once("SIGTERM", () => interrupted("SIGTERM", 143));
  try {
    const summary = await fetchUserComments({ ...options, client, progress });
    if (!options.quiet) {
      console.log(
        `fetch: ${formatCount(summary.comments)} comments of ${summary.user.slug} in ${options.outFile} ` +
          `(${STARTED[summary.started]}: ${formatCount(summary.added)} new, ${formatCount(summary.edited)} edited, ${plural(summary.pages, "page")}, ${plural(client.requestCount, "request")})`,
      );
    }
  } finally {
    progress.finish();
    await lock.release();
  }
} catch (error) {
  // Not exitWithError: its advice speaks of content/, dist/ and the ledger; the output file holds every page saved before the failure.
  printErrorChain(error);
  process.exit(1);
}
