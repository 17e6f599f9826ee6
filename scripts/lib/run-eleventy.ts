// Runs Eleventy with the project's configuration, in a process of its own.
import { spawn } from "node:child_process";
import { totalmem } from "node:os";
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
 * Renders the site in a child process. Eleventy keeps every page it rendered until it
 * finishes (about 5.5 GB at 100,000 comments), more than Node's default heap allows; in a
 * child the heap can be sized for it, and all of it is returned before Pagefind starts.
 */
export interface RenderState {
  /** Manifest of the site being updated: render only the pages that changed since it (see render-plan.ts). */
  since?: string;
  /** Where to write this build's manifest. */
  manifestOut?: string;
}

export function runEleventy(outputDir: string, state: RenderState = {}): Promise<EleventyRun> {
  const heapMb = Math.max(4096, Math.floor(totalmem() / 1024 / 1024 / 2));
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
