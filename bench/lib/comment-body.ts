// Synthetic comment bodies in the export's Markdown: prose with a long-tailed length and the constructs real comments have.
import { Random, WeightedSampler, zipfWeights } from "./random.ts";
import { ACCENTED_WORDS, CJK_SENTENCES, COMMON_WORDS, EMOJI, pseudoWords } from "./vocabulary.ts";

/** Median and spread of body length in characters: log-normal, mean ≈ median·e^(σ²/2) ≈ 1.3 KB. */
const MEDIAN_CHARS = 800;
const LENGTH_SIGMA = 0.8;
const MAX_CHARS = 40_000;

export class BodyWriter {
  private readonly words: string[];
  private readonly sampler: WeightedSampler;

  constructor(private readonly random: Random) {
    // ~20k distinct words with a Zipf law, like real prose; the common words form the head.
    this.words = [...COMMON_WORDS, ...pseudoWords(20_000, random.fork(1))];
    this.sampler = new WeightedSampler(zipfWeights(this.words.length, 1.05));
  }

  private word(): string {
    const r = this.random;
    if (r.chance(0.004)) return r.pick(ACCENTED_WORDS);
    const word = this.words[this.sampler.sample(r)] ?? "the";
    // Emphasis, occasionally touching the next word as the export leaves it (`*is*a`).
    if (r.chance(0.006)) return `*${word}*`;
    if (r.chance(0.002)) return `**${word}**`;
    if (r.chance(0.001)) return `\`${word}()\``;
    return word;
  }

  sentence(): string {
    const r = this.random;
    if (r.chance(0.01)) return r.pick(CJK_SENTENCES);
    const count = r.int(5, 24);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(this.word() + (i < count - 1 && r.chance(0.06) ? "," : ""));
    const first = words[0] ?? "";
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    const end = r.chance(0.08) ? "?" : r.chance(0.02) ? "!" : ".";
    return words.join(" ") + end + (r.chance(0.006) ? ` ${r.pick(EMOJI)}` : "");
  }

  private paragraph(): string {
    const sentences: string[] = [];
    const count = this.random.int(1, 6);
    for (let i = 0; i < count; i++) sentences.push(this.sentence());
    return sentences.join(" ");
  }

  private list(): string {
    const ordered = this.random.chance(0.3);
    const items = this.random.int(2, 6);
    return Array.from({ length: items }, (_, i) => `${ordered ? `${i + 1}.` : "-"} ${this.sentence()}`).join("\n");
  }

  private codeBlock(): string {
    const r = this.random;
    const lines = Array.from({ length: r.int(2, 12) }, () => `  x = f(${r.int(0, 99)}) + g(y, ${r.int(0, 9)})`);
    // A header-shaped line inside a fence is body text; real archives have them (pasted comments).
    if (r.chance(0.1)) lines.push("**someone**on Quoted Post · 2020-01-01T00:00:00.000Z · LW · GW");
    return ["```python", "def step(x, y):", ...lines, "```"].join("\n");
  }

  /** Other constructs the sanitiser and the link rules must handle. */
  private oddParagraph(): string {
    const r = this.random;
    switch (r.int(0, 3)) {
      case 0:
        return `See https://example.org/${r.pick(this.words)}/${r.int(1, 9999)} for the ${this.word()} version.`;
      case 1:
        return `Raw markup stays text: <b>${this.word()}</b> and <script>alert(${r.int(0, 9)})</script>.`;
      case 2:
        return `The bound is O() in the ${this.word()} case, as the formula was stripped.`;
      default:
        return `![${this.word()} diagram](https://example.org/img/${r.int(1, 999)}.png)`;
    }
  }

  /** Main text of a comment: prose paragraphs with occasional lists, code and odd constructs. */
  private mainParagraphs(targetChars: number): { paragraphs: string[]; prose: number[] } {
    const r = this.random;
    const paragraphs: string[] = [];
    const prose: number[] = [];
    let length = 0;
    while (length < targetChars || prose.length === 0) {
      let p: string;
      if (paragraphs.length > 0 && r.chance(0.08)) p = this.list();
      else if (paragraphs.length > 0 && r.chance(0.03)) p = this.codeBlock();
      else if (r.chance(0.015)) p = this.oddParagraph();
      else {
        p = this.paragraph();
        prose.push(paragraphs.length);
      }
      paragraphs.push(p);
      length += p.length + 2;
    }
    return { paragraphs, prose };
  }

  /**
   * Footnotes in the form parseArchive produces (`word[^n]`, definitions last, continuation
   * paragraphs indented), which renderArchive writes back as the export's `^{[n]}` and ` ↩︎`.
   * Only notes after the first may have several paragraphs: the export cannot tell where a
   * first note's text starts, so a multi-paragraph first note would not survive the round trip.
   */
  private addFootnotes(paragraphs: string[], prose: number[]): string[] {
    const r = this.random;
    const count = Math.min(prose.length, r.int(1, 3));
    // References must be numbered 1..n in reading order, so the chosen paragraphs are sorted.
    const chosen = this.distinct(prose, count).sort((a, b) => a - b);
    chosen.forEach((index, i) => {
      const text = paragraphs[index] ?? "";
      // After the first sentence's last word: `word[^n].`
      const cut = text.search(/[.?!](\s|$)/u);
      paragraphs[index] = cut === -1 ? `${text}[^${i + 1}]` : `${text.slice(0, cut)}[^${i + 1}]${text.slice(cut)}`;
    });
    const notes: string[] = [];
    for (let i = 0; i < count; i++) {
      const continued = i > 0 && r.chance(0.15);
      notes.push(`[^${i + 1}]: ${this.sentence()}${continued ? `\n\n    ${this.sentence()}` : ""}`);
    }
    return [...paragraphs, ...notes];
  }

  /** `count` distinct items of `items` (a partial Fisher-Yates shuffle). */
  private distinct(items: readonly number[], count: number): number[] {
    const pool = [...items];
    for (let i = 0; i < count && i < pool.length; i++) {
      const j = this.random.int(i, pool.length - 1);
      [pool[i], pool[j]] = [pool[j] ?? 0, pool[i] ?? 0];
    }
    return pool.slice(0, count);
  }

  body(): string {
    const r = this.random;
    const target = Math.min(MAX_CHARS, Math.max(40, Math.round(r.logNormal(MEDIAN_CHARS, LENGTH_SIGMA))));
    const { paragraphs, prose } = this.mainParagraphs(target);
    const all = r.chance(0.06) ? this.addFootnotes(paragraphs, prose) : paragraphs;
    return all.join("\n\n");
  }
}
