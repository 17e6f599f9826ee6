// Property tests: any archive renderArchive writes parses back to the same records, and URLs do not move when comments come and go.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ArchiveError } from "../../scripts/lib/archive/errors.ts";
import { parseCommentHeader } from "../../scripts/lib/archive/header.ts";
import { mergeArchives } from "../../scripts/lib/archive/merge.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import { HEADER_VARIANTS, renderArchive, renderCommentHeader, renderPostItem, type RenderableComment, type RenderablePost } from "../../scripts/lib/archive/render-archive.ts";
import { authorSlug, commentStamp } from "../../scripts/lib/permalinks.ts";
import { publishArchive } from "../../scripts/lib/published.ts";

// ---- generators -------------------------------------------------------------------------------

const instant = fc
  .date({ min: new Date("1995-01-01T00:00:00.000Z"), max: new Date("2099-12-31T23:59:59.999Z"), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Text a header can carry: one line, no surrounding whitespace, not empty. */
const oneLine = (s: string): boolean => s !== "" && s.trim() === s && !/[\r\n]/.test(s);

const username = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,11}$/) },
  { weight: 1, arbitrary: fc.constantFrom("interstice", "Alice", "alice", "ALICE", "wei_dai", "../../etc/passwd", "_/x", "Ωmega", "日本", "a.b") },
);

const displayName = fc
  .oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 15 }), fc.constantFrom("Wei Dai", "Dr. Ö (PhD)", '"Quoted": #x', "Line\u2028Sep"))
  // A name holding `**` followed by `on ` could end the bold text early: the header would be ambiguous.
  .filter((s) => oneLine(s) && !s.includes("**"));

const author = fc.tuple(username, fc.option(displayName, { nil: undefined })).map(([u, name]) => ({ username: u, name: name ?? u }));

const title = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 12 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "A · B · C",
        `Front matter: "x" #y --- layout: evil [a] {b} &c *d`,
        "**bold** and *em*",
        "[deleted post]",
        "Looks Linked · LW · GW",
        "Recap · 2020-01-01T00:00:00.000Z",
        "Emoji 🎉 👩‍👩‍👧",
        "日本語",
        "Sep\u2028arated",
        "C++",
        "C#",
      ),
    },
  )
  .filter(oneLine);

/** A body word: no whitespace, and none of the export's footnote or fence syntax. */
const word = fc
  .oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }), fc.constantFrom("*is*a", "**b**", "#", "##", "1.", "-", ">", "<b>", "&amp;", "·", "[x]", "(y)", "👩‍👩‍👧"))
  .filter((w) => !/[\s`~\u21A9]/u.test(w) && !w.includes("^{[") && !w.includes("[^"));

const proseLine = fc
  .tuple(fc.constantFrom("", "", "", "  "), fc.array(word, { minLength: 1, maxLength: 8 }))
  .map(([indent, ws]) => indent + ws.join(" "))
  .filter((line) => parseCommentHeader(line) === undefined);

const paragraph = fc.array(proseLine, { minLength: 1, maxLength: 3 }).map((ls) => ls.join("\n"));

/** A fenced code block holding header-shaped lines, which must stay body text. */
const codeBlock = fc
  .tuple(
    fc.constantFrom("```", "~~~", "````", "~~~~~"),
    fc.constantFrom("", "js", "markdown"),
    fc.array(
      fc.oneof(
        fc.tuple(author, title, instant, fc.constantFrom(...HEADER_VARIANTS), fc.boolean()).map(([a, t, at, header, links]) =>
          renderCommentHeader({ author: a, threadTitle: t, postedAt: at, body: "", header, links }),
        ),
        proseLine,
        fc.constant(""),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([fence, info, lines]) => [fence + info, ...lines, fence].join("\n"));

/** A body as parseArchive returns it: blocks, and maybe `[^n]` footnotes in the converted form. */
const body = fc.oneof(
  { weight: 1, arbitrary: fc.constant("") },
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        paragraph,
        fc.array(fc.tuple(fc.constantFrom("\n\n", "\n\n", "\n\n\n"), fc.oneof(paragraph, codeBlock)), { maxLength: 4 }),
        fc.array(fc.array(fc.array(proseLine.map((l) => l.trimStart()), { minLength: 1, maxLength: 2 }).map((ls) => ls.join("\n")), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
      )
      .map(([first, rest, notes]) => {
        const refs = notes.map((_, i) => `[^${i + 1}]`).join(" ");
        const main = (refs === "" ? first : `${first} ${refs}`) + rest.map(([sep, block]) => sep + block).join("");
        // The first note is one paragraph: the export cannot tell where a longer one starts.
        const definitions = notes.map((ps, i) => `[^${i + 1}]: ${(i === 0 ? ps.slice(0, 1) : ps).map((p, j) => (j === 0 ? p : p.replace(/^/gm, "    "))).join("\n\n")}`);
        return [main, ...definitions].join("\n\n");
      }),
  },
);

const comment: fc.Arbitrary<RenderableComment> = fc.record({
  author,
  postedAt: instant,
  threadTitle: title,
  body,
  header: fc.constantFrom(...HEADER_VARIANTS),
  links: fc.boolean(),
});

const post: fc.Arbitrary<RenderablePost> = fc
  .tuple(title, instant, fc.option(fc.tuple(fc.integer({ min: -50, max: 500 }), fc.nat(300)), { nil: undefined }))
  .map(([t, at, scored]) => (scored === undefined ? { title: t, postedAt: at } : { title: t, postedAt: at, score: scored[0], votes: scored[1] }))
  // A post item that reads as a comment header is a different line; the format cannot tell them apart.
  .filter((p) => parseCommentHeader(renderPostItem(p)) === undefined);

const identity = (c: RenderableComment): string => `${c.author.username}\u0000${c.postedAt}`;

// ---- properties -------------------------------------------------------------------------------

describe("renderArchive and parseArchive", () => {
  test("property: parseArchive(renderArchive(x)) gives back x, whatever the header variants, line endings and BOM", () => {
    fc.assert(
      fc.property(
        fc.array(comment, { minLength: 1, maxLength: 8 }),
        fc.array(post, { maxLength: 4 }),
        fc.constantFrom("\n" as const, "\r\n" as const),
        fc.boolean(),
        (comments, posts, newline, bom) => {
          const text = renderArchive(comments, posts, { newline, bom });
          const parsed = parseArchive(text, "gen.md");
          assert.deepEqual(parsed.warnings, []);
          assert.deepEqual(
            parsed.comments.map(({ author: a, postedAt, threadTitle, body: b }) => ({ author: a, postedAt, threadTitle, body: b })),
            comments.map(({ author: a, postedAt, threadTitle, body: b }) => ({ author: a, postedAt, threadTitle, body: b })),
          );
          assert.deepEqual(
            parsed.posts.map(({ title: t, postedAt, score, votes }) => ({ title: t, postedAt, score, votes })),
            posts.map(({ title: t, postedAt, score, votes }) => ({ title: t, postedAt, score, votes })),
          );
          const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
          for (const [i, c] of parsed.comments.entries()) {
            assert.equal(lines[c.source.line - 1], renderCommentHeader(comments[i] ?? c), "source.line is the header line");
          }
          for (const p of parsed.posts) assert.ok(comments.some((c) => c.author.username === p.author.username), "a post's author is one of the file's commenters");
        },
      ),
      { numRuns: 300 },
    );
  });

  test("property: an archive without comments is refused", () => {
    fc.assert(
      fc.property(fc.array(post, { maxLength: 3 }), (posts) => {
        assert.throws(() => parseArchive(renderArchive([], posts), "gen.md"), (e: unknown) => e instanceof ArchiveError && e.line === 1);
      }),
      { numRuns: 50 },
    );
  });
});

describe("permalinks", () => {
  const publish = (files: RenderableComment[][]) =>
    publishArchive(mergeArchives(files.map((cs, i) => parseArchive(renderArchive(cs), `f${i}.md`))));
  const urls = (files: RenderableComment[][]): Map<string, string> =>
    new Map(publish(files).comments.map((c) => [`${c.page.author.username}\u0000${c.page.date}`, c.page.permalink]));

  const archives = fc
    .tuple(
      fc.uniqueArray(comment, { selector: identity, minLength: 1, maxLength: 12 }),
      fc.uniqueArray(comment, { selector: identity, maxLength: 6 }),
      fc.infiniteStream(fc.integer()),
    )
    .map(([base, extra, randoms]) => {
      const known = new Set(base.map(identity));
      const added = extra.filter((c) => !known.has(identity(c)));
      return { base, added, keys: base.map(() => randoms.next().value as number), more: added.map(() => randoms.next().value as number) };
    });

  test("property: unchanged when comments are added, removed or reordered, and equal to /comments/<author-slug>/<stamp>/", () => {
    fc.assert(
      fc.property(archives, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), ({ base, added, keys, more }, keep) => {
        const before = urls([base]);
        assert.equal(before.size, base.length, "one URL per comment");
        assert.equal(new Set(before.values()).size, base.length, "no two comments share a URL");
        for (const c of base) {
          assert.equal(before.get(identity(c)), `/comments/${authorSlug(c.author.username)}/${commentStamp(c.postedAt)}/`);
        }

        const kept = base.filter((_, i) => keep[i] ?? true);
        const mixed = [...kept.map((c, i) => ({ c, k: keys[i] ?? 0 })), ...added.map((c, i) => ({ c, k: more[i] ?? 0 }))].sort((a, b) => a.k - b.k).map((x) => x.c);
        if (mixed.length === 0) return;
        const half = Math.floor(mixed.length / 2);
        for (const files of [[mixed], [mixed.slice(0, half), mixed.slice(half)].filter((f) => f.length > 0)]) {
          const after = urls(files);
          assert.equal(new Set(after.values()).size, after.size);
          for (const [id, url] of after) {
            if (before.has(id)) assert.equal(url, before.get(id), "a comment keeps its URL");
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test("property: thread and comment URLs do not depend on the order of comments or files", () => {
    fc.assert(
      fc.property(archives, ({ base, keys }) => {
        const shuffled = base.map((c, i) => ({ c, k: keys[i] ?? 0 })).sort((a, b) => a.k - b.k).map((x) => x.c);
        const a = publish([base]);
        const b = publish([shuffled.slice(0, 1), shuffled.slice(1)].filter((f) => f.length > 0));
        const threads = (p: typeof a): string[] => p.threads.map((t) => `${t.title}\u0000${t.permalink}`).sort();
        const comments = (p: typeof a): string[] => p.comments.map((c) => `${c.page.author.username}\u0000${c.page.date}\u0000${c.page.permalink}\u0000${c.page.thread.slug}`).sort();
        assert.deepEqual(threads(b), threads(a));
        assert.deepEqual(comments(b), comments(a));
      }),
      { numRuns: 150 },
    );
  });
});
