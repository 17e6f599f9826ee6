// The dev server's latency: how long after an export is saved `npm start` serves the new comment, and has re-indexed search, for several changes in a row.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ChangeLatency {
  /** What was changed, and the URL that had to appear. */
  change: string;
  url: string;
  /** From saving the export to the first 200 for the new comment's page. */
  servedSeconds: number;
  /** From saving the export to the server's report that search was re-indexed. */
  indexedSeconds: number;
}

export interface DevServerLatency {
  /** From starting `npm start` (over an up-to-date site) to "Serving the site at". */
  startSeconds: number;
  /** Each change, in the order made: the first rebuild of a server, then rebuilds of one that has rebuilt. */
  changes: ChangeLatency[];
}


export interface DevServerRun {
  /** The project copy to serve (already built). */
  cwd: string;
  command: string;
  /** `scripts/serve.ts` and its arguments, `--port` included. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /**
   * Saves a changed export; gives what changed and the site path of the page it adds
   * (`/comments/<author>/<stamp>/`). Called `changes` times once the server serves, each time once
   * the change before is re-indexed and `pauseSeconds` have passed.
   */
  save: () => Promise<{ change: string; path: string }>;
  changes: number;
  pauseSeconds: number;
  echo: boolean;
  /** Gives up on any one wait after this long. */
  timeoutSeconds: number;
}

const SERVING = "Serving the site at";
const SERVER_URL = /\[11ty\] Server at (http:\/\/\S+?)\/?$/;
const INDEXED = /^search: \d+ pages indexed/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the dev server in `run.cwd` and waits until it serves; then, for each change, saves it,
 * polls the new page (every 50 ms) and watches the server's output for its search re-index. The
 * server (its whole process group) is stopped in every case.
 */
export async function measureDevServer(run: DevServerRun): Promise<DevServerLatency> {
  const started = performance.now();
  const server = spawn(run.command, run.args, { cwd: run.cwd, env: run.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let serving: number | undefined;
  let baseUrl: string | undefined;
  const indexedAt: number[] = [];
  let output = "";
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    server.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  for (const stream of [server.stdout, server.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      output += `${line}\n`;
      if (run.echo) console.log(`  [dev server +${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`);
      baseUrl ??= SERVER_URL.exec(line)?.[1];
      if (line.startsWith(SERVING)) serving = performance.now();
      if (INDEXED.test(line)) indexedAt.push(performance.now());
    });
  }
  /** Throws when the server is gone, or `what` has not happened within the timeout since `since`. */
  const stillWaiting = (what: string, since: number): void => {
    if (exited) throw new Error(`the dev server exited while waiting for ${what}:\n${output.slice(-2000)}`);
    if (performance.now() - since > run.timeoutSeconds * 1000) throw new Error(`no ${what} within ${run.timeoutSeconds} s:\n${output.slice(-2000)}`);
  };
  const waitFor = async (what: string, done: () => boolean, since: number): Promise<void> => {
    while (!done()) {
      stillWaiting(what, since);
      await sleep(50);
    }
  };
  try {
    await waitFor(`"${SERVING}"`, () => serving !== undefined && baseUrl !== undefined, started);
    const startSeconds = ((serving ?? started) - started) / 1000;
    const changes: ChangeLatency[] = [];
    while (changes.length < run.changes) {
      if (changes.length > 0) await sleep(run.pauseSeconds * 1000);
      const indexedBefore = indexedAt.length;
      const change = await run.save();
      const saved = performance.now();
      const url = `${baseUrl ?? ""}${change.path}`;
      let servedAt: number | undefined;
      while (servedAt === undefined) {
        const status = await fetch(url).then(
          async (response) => (await response.arrayBuffer(), response.status),
          () => 0,
        );
        if (status === 200) servedAt = performance.now();
        else {
          stillWaiting(`200 for ${url}`, saved);
          await sleep(50);
        }
      }
      await waitFor("a search re-index", () => indexedAt.length > indexedBefore, saved);
      const indexed = indexedAt[indexedBefore] ?? saved;
      changes.push({ change: change.change, url, servedSeconds: (servedAt - saved) / 1000, indexedSeconds: (indexed - saved) / 1000 });
    }
    return { startSeconds, changes };
  } finally {
    if (!exited && server.pid !== undefined) {
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([gone, sleep(10_000)]);
    }
  }
}
