// Runs Eleventy programmatically with the project's configuration.
import Eleventy from "@11ty/eleventy";

export interface EleventyRun {
  /** Files Eleventy wrote. */
  written: number;
}

export async function runEleventy(outputDir: string): Promise<EleventyRun> {
  const eleventy = new Eleventy("content", outputDir, { configPath: ".eleventy.ts", quietMode: true });
  const result = (await eleventy.write()) as unknown;
  // write() resolves to [passthroughCopies, templates] in Eleventy 3; templates carry outputPath.
  const entries = Array.isArray(result) ? (result.flat(2) as { outputPath?: unknown }[]) : [];
  return { written: entries.filter((e) => typeof e?.outputPath === "string").length };
}
