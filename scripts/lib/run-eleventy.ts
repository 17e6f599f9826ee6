// Runs Eleventy with the project's configuration, in a process of its own.
import { spawn } from "node:child_process";
import Eleventy from "@11ty/eleventy";
import { currentBatch, setBatch } from "./site/render-batches.ts";

export interface EleventyRun {
  /** Files Eleventy wrote. */
  written: number;
}

async function renderOnce(outputDir: string): Promise<number> {
  const eleventy = new Eleventy("content", outputDir, { configPath: ".eleventy.ts", quietMode: true });
  const result = (await eleventy.write()) as unknown;
  // write() resolves to [passthroughCopies, templates] in Eleventy 3; templates carry outputPath.
  const entries = Array.isArray(result) ? (result.flat(2) as { outputPath?: unknown }[]) : [];
  return entries.filter((e) => typeof e?.outputPath === "string").length;
}

/**
 * Renders the site into `outputDir` in this process, in as many Eleventy runs as its size needs
 * (see render-batches.ts); pages every run renders (home, feeds, ...) are simply written again.
 */
export async function renderSite(outputDir: string): Promise<EleventyRun> {
  let written = 0;
  try {
    for (let index = 0; ; index += 1) {
      setBatch(index);
      written += await renderOnce(outputDir);
      const count = currentBatch()?.count ?? 1;
      if (index + 1 >= count) break;
      console.log(`eleventy: run ${index + 1} of ${count} done, ${written} files written so far`);
    }
  } finally {
    setBatch(undefined);
  }
  return { written };
}

/**
 * The heap of Eleventy's process, in MB, for an archive of `comments`: ~1.25 GB for Eleventy and
 * one run of pages (at most 25,000, see render-batches.ts), plus ~6 KB a comment for the archive
 * (its facts and groupings; the HTML stays in the render cache's store). Measured at 100,000
 * comments: 1.87 GB peak with a 1,900 MB heap, and the whole render in 235 s; with half the
 * machine's memory (12 GB), 232 s, but V8 let the process grow to 4 GB before collecting.
 */
export function eleventyHeapMb(comments: number): number {
  return 1280 + Math.ceil((comments * 6) / 1024);
}

export interface RenderState {
  /** Comments in the archive, to size the process's heap. */
  comments: number;
  /** Manifest of the site being updated: render only the pages that changed since it (see render-plan.ts). */
  since?: string;
  /** Where to write this build's manifest. */
  manifestOut?: string;
}

/** Renders the site in a child process, whose heap is sized for the archive (see `eleventyHeapMb`). */
export function runEleventy(outputDir: string, state: RenderState): Promise<EleventyRun> {
  const heapMb = eleventyHeapMb(state.comments);
  // A larger young generation: loading the archive allocates many short-lived objects, and with
  // Node's default most of them are copied once before they die (planning at 100,000 comments: 10.7 -> 9.2 s).
  const args = [...process.execArgv, `--max-old-space-size=${heapMb}`, "--max-semi-space-size=64", "scripts/render-site.ts", outputDir];
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, COMMENTARIUM_RENDER_SINCE: state.since ?? "", COMMENTARIUM_RENDER_MANIFEST: state.manifestOut ?? "" };
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const written = /eleventy: (\d+) files written/.exec(output)?.[1];
      if (code === 0 && written !== undefined) resolve({ written: Number(written) });
      else reject(new Error(`Eleventy failed (${signal ?? `exit code ${code}`}); its messages are above`));
    });
  });
}
