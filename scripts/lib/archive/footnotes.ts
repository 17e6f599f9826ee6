// Turns the export's `^{[n]}` references and trailing `... ↩︎` texts into Markdown footnotes.

/** The back-link the export leaves at the end of each footnote text (U+21A9 U+FE0E). */
const BACKLINK = /\s*\u21A9\uFE0E?$/u;
const REFERENCE = /\^\{\[(\d+)\]\}/g;

export type FootnoteResult =
  | { kind: "none"; body: string }
  | { kind: "converted"; body: string; count: number }
  | { kind: "unmatched"; body: string; reason: string };

/**
 * Converts a comment body's footnotes. Each footnote text ends with the back-link; only its
 * last paragraph carries it, so a text runs from just after the previous footnote's last
 * paragraph. The first footnote's start cannot be told from the main text, so it is taken
 * to be one paragraph: an earlier paragraph of it stays in the main text, never lost.
 * When references and texts do not match, the body is returned exactly as it was.
 */
export function convertFootnotes(body: string): FootnoteResult {
  // Most comments have no footnotes: skip the paragraph scan for them.
  if (!body.includes("^{[") && !body.includes("\u21A9")) return { kind: "none", body };
  const references = [...body.matchAll(REFERENCE)].map((m) => Number(m[1]));
  const paragraphs = body.split(/\n[ \t]*\n/);
  // The includes() first: the pattern's leading \s* makes a miss cost a scan from every position.
  const closing = paragraphs.flatMap((p, i) => (p.includes("\u21A9") && BACKLINK.test(p) ? [i] : []));
  if (references.length === 0 && closing.length === 0) return { kind: "none", body };

  const numbers = [...new Set(references)];
  const expected = numbers.map((_, i) => i + 1);
  const lastParagraph = paragraphs.length - 1;
  const firstText = closing[0];
  const problem =
    numbers.join() !== expected.join()
      ? `footnote references ${numbers.map((n) => `[${n}]`).join(" ") || "(none)"} are not numbered 1..n in order`
      : closing.length !== numbers.length
        ? `${numbers.length} footnote reference(s) but ${closing.length} footnote text(s) ending in ↩︎`
        : closing.at(-1) !== lastParagraph
          ? "text follows the last footnote"
          : firstText === undefined || firstText === 0
            ? "no main text before the footnotes"
            : undefined;
  if (problem !== undefined) return { kind: "unmatched", body, reason: problem };

  const main = paragraphs.slice(0, firstText).join("\n\n").replace(REFERENCE, "[^$1]");
  const definitions = closing.map((end, i) => {
    const start = i === 0 ? end : (closing[i - 1] ?? 0) + 1;
    const text = paragraphs.slice(start, end + 1);
    text[text.length - 1] = (text.at(-1) ?? "").replace(BACKLINK, "");
    // Continuation paragraphs are indented so that markdown-it-footnote keeps them in the note.
    const indented = text.map((p, j) => (j === 0 ? p : p.replace(/^/gm, "    ")));
    return `[^${i + 1}]: ${indented.join("\n\n")}`;
  });
  return { kind: "converted", body: `${main}\n\n${definitions.join("\n\n")}`, count: numbers.length };
}
