// Footnotes: `^{[n]}` references and trailing `... ↩︎` texts become `[^n]` / `[^n]: ...`, and no word is ever lost.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { convertFootnotes } from "../../scripts/lib/archive/footnotes.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import { wordMultiset } from "./helpers.ts";

const BACK = "\u21A9\uFE0E";

describe("convertFootnotes", () => {
  test("references and texts, the last text over several paragraphs", () => {
    const raw = [
      "Main^{[1]} text, again^{[1]}, and^{[2]} more.",
      "Second main paragraph.",
      `Note one. ${BACK}`,
      "Note two, first paragraph\nwith a soft break",
      "second paragraph",
      `last paragraph ${BACK}`,
    ].join("\n\n");
    assert.deepEqual(convertFootnotes(raw), {
      kind: "converted",
      count: 2,
      body: [
        "Main[^1] text, again[^1], and[^2] more.",
        "Second main paragraph.",
        "[^1]: Note one.",
        "[^2]: Note two, first paragraph\nwith a soft break",
        "    second paragraph",
        "    last paragraph",
      ].join("\n\n"),
    });
  });

  test("a back-link without the variation selector, and ten notes", () => {
    const refs = Array.from({ length: 10 }, (_, i) => `w${i + 1}^{[${i + 1}]}`).join(" ");
    const texts = Array.from({ length: 10 }, (_, i) => `n${i + 1} \u21A9`);
    const result = convertFootnotes([refs, ...texts].join("\n\n"));
    assert.equal(result.kind, "converted");
    assert.equal(result.body.split("\n\n").at(-1), "[^10]: n10");
    assert.match(result.body, /^w1\[\^1\] w2\[\^2\] .* w10\[\^10\]\n\n\[\^1\]: n1\n\n/);
  });

  test("a multi-paragraph first note: its earlier paragraphs stay in the main text, never lost", () => {
    const result = convertFootnotes(`Main^{[1]}.\n\nNote start\n\nnote end ${BACK}`);
    assert.deepEqual(result, { kind: "converted", count: 1, body: "Main[^1].\n\nNote start\n\n[^1]: note end" });
  });

  test("no footnotes: the body as it is", () => {
    assert.deepEqual(convertFootnotes("Plain text, an arrow ↩︎ inside, and [^1] written out."), {
      kind: "none",
      body: "Plain text, an arrow ↩︎ inside, and [^1] written out.",
    });
  });

  const unmatched: [string, string, RegExp][] = [
    ["more references than texts", `a^{[1]} b^{[2]}\n\none ${BACK}`, /2 footnote reference\(s\) but 1/],
    ["a text without reference", `a\n\none ${BACK}`, /0 footnote reference\(s\) but 1/],
    ["references without text", "a^{[1]}", /1 footnote reference\(s\) but 0/],
    ["not numbered from 1", `a^{[2]}\n\none ${BACK}`, /not numbered 1\.\.n/],
    ["out of order", `a^{[2]} b^{[1]}\n\none ${BACK}\n\ntwo ${BACK}`, /not numbered 1\.\.n/],
    ["text after the last note", `a^{[1]}\n\none ${BACK}\n\nafter`, /text follows the last footnote/],
    ["no main text", `a^{[1]} ${BACK}`, /no main text/],
  ];
  for (const [name, raw, reason] of unmatched) {
    test(`unmatched (${name}): text kept exactly, with a reason`, () => {
      const result = convertFootnotes(raw);
      assert.equal(result.kind, "unmatched");
      assert.equal(result.body, raw);
      assert.match(result.kind === "unmatched" ? result.reason : "", reason);
    });
  }

  test("an unmatched comment is a warning naming file and line; the comment is kept exactly", () => {
    const parsed = parseArchive(`## Comments\n\n**u**on T · 2021-01-01T00:00:00.000Z\n\nok\n\n**u**on T · 2021-01-02T00:00:00.000Z\n\na^{[1]} b^{[2]}\n\none ${BACK}\n`, "dir/export.md");
    assert.deepEqual(parsed.warnings, [
      { source: { file: "dir/export.md", line: 7 }, message: "footnotes left as plain text: 2 footnote reference(s) but 1 footnote text(s) ending in ↩︎" },
    ]);
    assert.equal(parsed.comments[1]?.body, `a^{[1]} b^{[2]}\n\none ${BACK}`);
  });

  /** Words with the footnote syntax (either form) taken out: conversion may change only that. */
  const words = (text: string): string[] => wordMultiset(text.replace(/\^\{\[\d+\]\}/g, "").replace(/\[\^\d+\]:?/g, "").replace(/\u21A9\uFE0E?/g, ""));

  const plainWord = fc.constantFrom("alpha", "beta", "*is*a", "C#", "(a)", "—", "日本", "👩‍👩‍👧", "**b**", "`c`");
  const markerWord = fc.constantFrom("^{[1]}", "^{[2]}", "^{[3]}", "x^{[1]}", "y^{[2]}", "z^{[3]}", "[^x]", "^{[", "]}", "↩");
  const lineOf = (w: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.array(w, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(" "));

  test("property: any mix of markers: never drops, adds or changes a word; unconverted bodies are returned exactly", () => {
    const line = lineOf(fc.oneof(plainWord, markerWord));
    const paragraph = fc.tuple(fc.array(line, { minLength: 1, maxLength: 3 }), fc.constantFrom("", ` ${BACK}`, "\u21A9", ` ${BACK}  `)).map(([ls, end]) => ls.join("\n") + end);
    const body = fc.tuple(fc.array(paragraph, { minLength: 1, maxLength: 7 }), fc.constantFrom("\n\n", "\n\n\n", "\n \n")).map(([ps, sep]) => ps.join(sep));
    fc.assert(
      fc.property(body, (raw) => {
        const result = convertFootnotes(raw);
        assert.deepEqual(words(result.body), words(raw));
        if (result.kind !== "converted") assert.equal(result.body, raw);
      }),
      { numRuns: 500 },
    );
  });

  test("property: well-formed footnotes (references 1..n in order, then n texts) are all converted, no word lost", () => {
    const prose = fc.array(lineOf(plainWord), { minLength: 1, maxLength: 2 }).map((ls) => ls.join("\n"));
    const wellFormed = fc.integer({ min: 1, max: 4 }).chain((n) =>
      fc
        .tuple(
          fc.array(prose, { minLength: 1, maxLength: 3 }),
          // The first text is one paragraph: the format cannot tell where a longer one starts.
          fc.tuple(...Array.from({ length: n }, (_, i) => fc.array(prose, { minLength: 1, maxLength: i === 0 ? 1 : 3 }))),
        )
        .map(([main, notes]) => {
          const refs = Array.from({ length: n }, (_, i) => `^{[${i + 1}]}`).join(" and ");
          const withRefs = [...main.slice(0, -1), `${main.at(-1) ?? ""} ${refs}`];
          return { n, raw: [...withRefs, ...notes.map((ps) => `${ps.join("\n\n")} ${BACK}`)].join("\n\n") };
        }),
    );
    fc.assert(
      fc.property(wellFormed, ({ n, raw }) => {
        const result = convertFootnotes(raw);
        assert.equal(result.kind, "converted");
        assert.equal(result.kind === "converted" ? result.count : 0, n);
        assert.deepEqual(words(result.body), words(raw));
        const defined = [...result.body.matchAll(/^\[\^(\d+)\]: /gm)].map((m) => Number(m[1]));
        assert.deepEqual(defined, Array.from({ length: n }, (_, i) => i + 1));
        assert.doesNotMatch(result.body, /\^\{\[|\u21A9/, "no export footnote syntax is left");
      }),
      { numRuns: 300 },
    );
  });
});
