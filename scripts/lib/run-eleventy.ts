// Runs Eleventy with the project's configuration, in a process of its own.
import { spawn } from "node:child_process";
import Eleventy, { type UserConfig } from "@11ty/eleventy";
import type { RenderSession } from "./site/render-session.ts";
import { errorFromChain } from "./process-error.ts";
import { isFromRender, type RenderRequest, type ToRender } from "./render-channel.ts";

export interface EleventyRun {
  /** Files Eleventy wrote. */
  written: number;
}

async function renderOnce(outputDir: string, session: RenderSession): Promise<number> {
  const eleventy = new Eleventy("content", outputDir, { configPath: ".eleventy.ts", quietMode: true, config: (config: UserConfig) => session.attach(config) });
  const result = (await eleventy.write()) as unknown;
  // write() resolves to [passthroughCopies, templates] in Eleventy 3; templates carry outputPath.
  const entries = Array.isArray(result) ? (result.flat(2) as { outputPath?: unknown }[]) : [];
  return entries.filter((e) => typeof e?.outputPath === "string").length;
}

/**
 * Renders the site into `outputDir` in this process for `session`, in as many Eleventy runs as its
 * size needs (see render-batches.ts).
 */
export async function renderSite(outputDir: string, session: RenderSession): Promise<EleventyRun> {
  let written = 0;
  try {
    for (let index = 0; ; index += 1) {
      session.batch = { ...session.batch, index };
      written += await renderOnce(outputDir, session);
      const count = session.batch.count ?? 1;
      if (index + 1 >= count) break;
      console.log(`eleventy: run ${index + 1} of ${count} done, ${written} files written so far`);
    }
  } finally {
    session.batch = undefined;
  }
  return { written };
}

/**
 * The heap of Eleventy's process, in MB, for an archive of `comments`: ~1.25 GB for Eleventy and
 * one run of pages (at most 40,000 comment pages' worth, see render-batches.ts), plus ~6 KB a comment for the archive
 * (its facts and groupings; the HTML stays in the render cache's store). Measured at 100,000
 * comments: 1.87 GB peak with a 1,900 MB heap, and the whole render in 235 s; with half the
 * machine's memory (12 GB), 232 s, but V8 let the process grow to 4 GB before collecting.
 */
export function eleventyHeapMb(comments: number): number {
  return 1280 + Math.ceil((comments * 6) / 1024);
}

export interface RenderState extends RenderRequest {
  /** Comments in the archive, to size the process's heap. */
  readonly comments: number;
}

/** A render process: started, and later told to go (or not). */
interface RenderProcess {
  heapMb: number;
  /** Resolves once the pages and the build's changes are written (the `changesWritten` message), rejects when the process fails first. */
  rendered: Promise<void>;
  /** Resolves when the process has ended well (its manifest written), rejects when it fails. */
  done: Promise<EleventyRun>;
  /** Tells a waiting process to render, with the content files the import wrote or deleted (see render-site.ts). */
  go(contentChanged: string[]): void;
  cancel(): void;
}

/**
 * Called after each run of a batched render of the whole site but the last, with the months
 * (first and last) whose comment pages later runs render: every other comment page is written.
 */
export type PagesWrittenListener = (pending: [string, string]) => void;

/**
 * Spawns `scripts/render-site.ts` with a heap of `heapMb`. With `waiting`, it first prepares what
 * does not depend on the archive and renders only when `go` is called (see render-site.ts).
 */
function spawnRender(outputDir: string, state: Omit<RenderState, "comments">, heapMb: number, waiting: boolean, onPagesWritten?: PagesWrittenListener): RenderProcess {
  // A larger young generation: loading the archive allocates many short-lived objects, and with
  // Node's default most of them are copied once before they die (planning at 100,000 comments: 10.7 -> 9.2 s).
  const args = [...process.execArgv, `--max-old-space-size=${heapMb}`, "--max-semi-space-size=64", "scripts/render-site.ts", outputDir];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const tell = (message: ToRender): void => {
    // A process that died early is still waited for: its failure surfaces through `done`.
    if (child.connected) child.send(message, () => undefined);
  };
  tell({ kind: "start", request: { since: state.since, manifestOut: state.manifestOut }, waitForImport: waiting });
  let failure: Error | undefined;
  let written: number | undefined;
  let changesWritten: () => void = () => undefined;
  const marker = new Promise<void>((resolve) => (changesWritten = resolve));
  child.on("message", (message) => {
    if (!isFromRender(message)) return;
    if (message.kind === "failed") failure = errorFromChain(message.chain);
    else if (message.kind === "done") written = message.written;
    else if (message.kind === "changesWritten") changesWritten();
    else onPagesWritten?.([message.pending[0], message.pending[1]]);
  });
  const done = new Promise<EleventyRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0 && written !== undefined) resolve({ written });
      else reject(new Error(`Eleventy failed (${signal ?? `exit code ${code}`})${failure === undefined ? "; its messages are above" : ""}`, failure === undefined ? undefined : { cause: failure }));
    });
  });
  const rendered = Promise.race([marker, done.then(() => undefined)]);
  // Callers await one of the two; the other's failure is the same and must not go unhandled.
  rendered.catch(() => undefined);
  return {
    heapMb,
    rendered,
    done,
    go: (contentChanged) => tell({ kind: "go", contentChanged }),
    cancel: () => {
      done.catch(() => undefined);
      child.kill();
    },
  };
}

/** Renders the site in a child process, whose heap is sized for the archive (see `eleventyHeapMb`). */
export function runEleventy(outputDir: string, state: RenderState, onPagesWritten?: PagesWrittenListener): Promise<EleventyRun> {
  return spawnRender(outputDir, state, eleventyHeapMb(state.comments), false, onPagesWritten).done;
}

/** An Eleventy process started before the import has written the archive. */
export interface PendingRender {
  /**
   * Renders the archive the import wrote, of `comments` comments, `contentChanged` the pages it
   * wrote or deleted (relative to the content directory). Resolves once the pages and the
   * changes file are written; the process then still writes its manifest (see `finished`).
   */
  render(comments: number, contentChanged: string[]): Promise<void>;
  /** Resolves when the process has ended, its manifest written; rejects if it failed. */
  finished(): Promise<EleventyRun>;
  /** Ends the process without rendering (the import failed). */
  cancel(): void;
}

/**
 * Starts the Eleventy process of an update while the import still runs: on a machine with a core
 * to spare it loads Eleventy, the render cache, the previous manifest and the archive's pages as
 * they are meanwhile (about 6 s at 100,000 comments), and then reads again only the pages the
 * import changed. Its heap is sized for `expectedComments` with room to grow; should the
 * archive have outgrown it, `render` starts a process of the right size instead.
 */
export function startEleventy(outputDir: string, state: Omit<RenderState, "comments">, expectedComments: number, onPagesWritten?: PagesWrittenListener): PendingRender {
  let current = spawnRender(outputDir, state, eleventyHeapMb(Math.ceil(expectedComments * 1.1) + 1000), true, onPagesWritten);
  return {
    render(comments, contentChanged) {
      if (eleventyHeapMb(comments) > current.heapMb) {
        current.cancel();
        current = spawnRender(outputDir, state, eleventyHeapMb(comments), false, onPagesWritten);
      } else {
        current.go(contentChanged);
      }
      return current.rendered;
    },
    finished: () => current.done,
    cancel: () => current.cancel(),
  };
}
