// The floor, run by bench/run.ts as its own process (so its memory is measured like the build's):
// the least work any pipeline must do with these exports. Parse each file with the project's
// parser, render every comment with the project's markdown-it setup, write one HTML file each.
// `tsx bench/lib/floor.ts --out DIR --archive a.md [--archive b.md ...]`
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readArchive } from "../../scripts/lib/archive/read-archive.ts";
import { renderCommentHtml } from "../../scripts/lib/site/markdown/index.ts";

/** Comments per output directory: 100,000 files in one directory would measure the file system, not the work. */
const PER_DIRECTORY = 1000;

function page(title: string, html: string): string {
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body><article>\n${html}</article></body>\n</html>\n`;
}

const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, archive: { type: "string", multiple: true } } });
  const out = values.out;
  const archives = values.archive ?? [];
  if (out === undefined || archives.length === 0) throw new Error("usage: floor.ts --out DIR --archive FILE...");

  let written = 0;
  let parseSeconds = 0;
  let renderSeconds = 0;
  // One file at a time: parsed, rendered, written, dropped. The floor keeps nothing it no longer needs.
  for (const file of archives) {
    const parseStart = performance.now();
    const parsed = await readArchive(file);
    parseSeconds += (performance.now() - parseStart) / 1000;
    const renderStart = performance.now();
    for (const comment of parsed.comments) {
      const dir = path.join(out, String(Math.floor(written / PER_DIRECTORY)));
      if (written % PER_DIRECTORY === 0) mkdirSync(dir, { recursive: true });
      const html = renderCommentHtml(comment.body, `c-${written}`);
      writeFileSync(path.join(dir, `${written}.html`), page(escapeText(`${comment.author.name} on ${comment.threadTitle}`), html));
      written++;
    }
    renderSeconds += (performance.now() - renderStart) / 1000;
    console.log(`floor: ${file}: ${parsed.comments.length} comments (${written} so far)`);
  }
  console.log(`floor: ${written} comments; parse ${parseSeconds.toFixed(1)} s, render+write ${renderSeconds.toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
