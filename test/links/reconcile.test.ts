// reconcileLedger: which published URLs redirect, which say "removed", and that the ledger never loses an entry.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { mergeArchives } from "../../scripts/lib/archive/merge.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import type { LedgerEntry } from "../../scripts/lib/ledger/ledger.ts";
import { currentEntries, publishedCommentDigests, publishedThreadSlugs, reconcileLedger } from "../../scripts/lib/ledger/reconcile.ts";
import { authorSlug } from "../../scripts/lib/permalinks.ts";
import { publishArchive } from "../../scripts/lib/published.ts";

const EXPORT = `## Comments

**alice**on Same Words · 2020-01-01T00:00:00.000Z · LW · GW

First.

**bob**on Same-Words · 2020-01-02T00:00:00.000Z · LW · GW

Second.
`;

function publish(text: string, ledger: readonly LedgerEntry[] = []) {
  return publishArchive(mergeArchives([parseArchive(text, "x.md")]), publishedThreadSlugs(ledger), undefined, publishedCommentDigests(ledger));
}

/** The ledger after building `exports` one after the other, each against the ledger the one before left. */
function buildInTurn(...exports: string[]): { ledger: readonly LedgerEntry[]; last: ReturnType<typeof reconcileLedger> } {
  let ledger: readonly LedgerEntry[] = [];
  let last: ReturnType<typeof reconcileLedger> | undefined;
  for (const text of exports) {
    last = reconcileLedger(ledger, publish(text, ledger));
    ledger = last.entries;
  }
  assert.ok(last !== undefined);
  return { ledger, last };
}

const redirectsOf = (result: ReturnType<typeof reconcileLedger>): string[][] => result.redirects.map((r) => [r.url, r.to]).sort();

describe("reconcileLedger", () => {
  test("an identity published under an older URL rule redirects to its URL now", () => {
    const archive = publish(EXPORT);
    const old: LedgerEntry[] = currentEntries(archive).map((e) =>
      e.kind === "comment" && e.author === "alice" ? { ...e, url: "/c/alice/2020-01-01/" } : e.kind === "author" && e.author === "alice" ? { ...e, url: "/u/alice/" } : e,
    );
    const result = reconcileLedger(old, archive);
    assert.deepEqual(
      result.redirects.map((r) => [r.url, r.to]),
      [
        ["/c/alice/2020-01-01/", "/comments/alice/20200101-000000-000/"],
        ["/u/alice/", "/authors/alice/"],
      ],
    );
    assert.equal(result.removed.length, 0);
    assert.ok(result.entries.some((e) => e.url === "/c/alice/2020-01-01/"), "old URLs stay in the ledger");
  });

  test("a comment missing from the input is removed, not redirected, and keeps its ledger entry", () => {
    const before = currentEntries(publish(EXPORT));
    const after = publish(EXPORT.split("**bob**")[0] ?? "");
    const result = reconcileLedger(before, after);
    // Bob's only comment was the only one on "Same-Words": the comment, its author and its thread all leave.
    assert.deepEqual(result.removed.map((e) => e.url).sort(), ["/authors/bob/", "/comments/bob/20200102-000000-000/", "/threads/same-words-3f09e5/"]);
    assert.equal(result.entries.length, before.length, "nothing is dropped");
  });

  test("a title that slugs like a published one never takes over its URL", () => {
    // Published when only "Same-Words" existed: it holds the plain slug.
    const first = publish(EXPORT.split("**alice**")[0] + "**bob**" + (EXPORT.split("**bob**")[1] ?? ""));
    const ledger = currentEntries(first);
    assert.ok(ledger.some((e) => e.kind === "thread" && e.title === "Same-Words" && e.url === "/threads/same-words/"));
    // "Same Words" arrives and sorts first; without the ledger it would take the plain slug.
    const unpinned = publish(EXPORT);
    assert.equal(unpinned.threads.find((t) => t.title === "Same Words")?.slug, "same-words");
    const pinned = publish(EXPORT, ledger);
    assert.equal(pinned.threads.find((t) => t.title === "Same-Words")?.slug, "same-words");
    assert.match(pinned.threads.find((t) => t.title === "Same Words")?.slug ?? "", /^same-words-[0-9a-f]{6}$/);
    assert.deepEqual(reconcileLedger(ledger, pinned).redirects, []);
  });
});

describe("moves across later builds", () => {
  const retitled = (title: string): string => EXPORT.replaceAll("Same Words", title);

  test("a retitled thread redirects build after build, and from every old title to the newest", () => {
    const once = buildInTurn(EXPORT, retitled("Other Words"));
    assert.deepEqual(redirectsOf(once.last), [["/threads/same-words/", "/threads/other-words/"]]);
    // The comments' entries now name the new thread: only the ledger's movedTo still leads there.
    const again = buildInTurn(EXPORT, retitled("Other Words"), retitled("Other Words"), retitled("Other Words"));
    assert.deepEqual(redirectsOf(again.last), [["/threads/same-words/", "/threads/other-words/"]]);
    assert.deepEqual(again.last.removed, []);
    const twice = buildInTurn(EXPORT, retitled("Other Words"), retitled("Third Words"), retitled("Third Words"));
    assert.deepEqual(redirectsOf(twice.last), [
      ["/threads/other-words/", "/threads/third-words/"],
      ["/threads/same-words/", "/threads/third-words/"],
    ]);
    // Back to the first title: its URL is live again, and the others lead to it.
    const back = buildInTurn(EXPORT, retitled("Other Words"), retitled("Third Words"), EXPORT, EXPORT);
    assert.deepEqual(redirectsOf(back.last), [
      ["/threads/other-words/", "/threads/same-words/"],
      ["/threads/third-words/", "/threads/same-words/"],
    ]);
  });

  test("a chain of moves that loops, or ends at a removed page, is removed, not followed forever", () => {
    const archive = publish(EXPORT);
    const loop: LedgerEntry[] = [
      { url: "/threads/x/", kind: "thread", title: "X", movedTo: "/threads/y/" },
      { url: "/threads/y/", kind: "thread", title: "Y", movedTo: "/threads/x/" },
      { url: "/authors/z/", kind: "author", author: "z", authorName: "Z", movedTo: "/authors/gone/" },
    ];
    const result = reconcileLedger([...currentEntries(archive), ...loop], archive);
    assert.deepEqual(result.removed.map((e) => e.url).sort(), ["/authors/z/", "/threads/x/", "/threads/y/"]);
    assert.deepEqual(result.redirects, []);
  });

  test("a username that changes in case or Unicode form redirects its comments and author page", () => {
    for (const [before, after] of [["alice", "Alice"], ["Jose\u0301", "jos\u00e9"]] as const) {
      const first = EXPORT.replaceAll("**alice**", `**${before}**`);
      const { last, ledger } = buildInTurn(first, first.replaceAll(`**${before}**`, `**${after}**`), first.replaceAll(`**${before}**`, `**${after}**`));
      assert.deepEqual(redirectsOf(last), [
        [`/authors/${authorSlug(before)}/`, `/authors/${authorSlug(after)}/`],
        [`/comments/${authorSlug(before)}/20200101-000000-000/`, `/comments/${authorSlug(after)}/20200101-000000-000/`],
      ]);
      assert.deepEqual(last.removed, []);
      // A ledger written before entries had digests: the instant and the folded username still find it.
      const old = currentEntries(publish(first)).map((e) => (e.kind === "comment" ? { ...e, digest: undefined } : e));
      const result = reconcileLedger(JSON.parse(JSON.stringify(old)) as LedgerEntry[], publish(first.replaceAll(`**${before}**`, `**${after}**`), ledger));
      assert.deepEqual(redirectsOf(result), redirectsOf(last));
    }
  });

  test("an author renamed outright is followed by the instant and text of their comments", () => {
    const { last } = buildInTurn(EXPORT, EXPORT.replace("**bob**", "**robert**"));
    assert.deepEqual(redirectsOf(last), [
      ["/authors/bob/", "/authors/robert/"],
      ["/comments/bob/20200102-000000-000/", "/comments/robert/20200102-000000-000/"],
    ]);
  });

  test("a newcomer of the same author and instant never takes over a published URL", () => {
    const first = "## Comments\n\n**alice**on T · 2020-01-01T00:00:00.000Z · LW · GW\n\nFirst text.\n";
    const ledger = currentEntries(publish(first));
    // Enough newcomers that some sort before the first comment's digest.
    const later = Array.from({ length: 8 }, (_, n) => `\n**alice**on T · 2020-01-01T00:00:00.000Z · LW · GW\n\nNewcomer ${n}.\n`);
    const both = publish(first + later.join(""), ledger);
    assert.equal(both.comments.find((c) => c.page.permalink === "/comments/alice/20200101-000000-000/")?.body, "First text.");
    assert.equal(both.comments.length, 9);
    assert.deepEqual(reconcileLedger(ledger, both).redirects, []);
    // Without a ledger (or one without digests) the lowest digest keeps the plain id, as before.
    const fresh = publish(first + later.join(""));
    assert.notEqual(fresh.comments.find((c) => c.page.permalink === "/comments/alice/20200101-000000-000/")?.body, "First text.");
  });
});

describe("a build never drops a ledger entry", () => {
  const authors = ["alice", "Alice", "bob"];
  const threads = ["One", "Two", "Two (edited)"];
  const comment = fc.record({ author: fc.integer({ min: 0, max: 2 }), thread: fc.integer({ min: 0, max: 2 }), minute: fc.integer({ min: 0, max: 5 }), text: fc.integer({ min: 0, max: 3 }) });
  const exportOf = (comments: { author: number; thread: number; minute: number; text: number }[]): string =>
    "## Comments\n\n" +
    comments.map((c) => `**${authors[c.author]}**on ${threads[c.thread]} · 2020-01-01T00:0${c.minute}:00.000Z · LW · GW\n\nText ${c.text}.\n`).join("\n");

  test("every URL of the ledger stays in it, and is live, redirected or removed", () => {
    fc.assert(
      fc.property(fc.array(fc.array(comment, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }), (builds) => {
        let ledger: readonly LedgerEntry[] = [];
        for (const comments of builds) {
          const archive = publish(exportOf(comments), ledger);
          const result = reconcileLedger(ledger, archive);
          const urls = result.entries.map((e) => e.url);
          assert.equal(new Set(urls).size, urls.length, "one entry per URL");
          for (const old of ledger) assert.ok(urls.includes(old.url), `${old.url} dropped`);
          const live = new Set(currentEntries(archive).map((e) => e.url));
          for (const old of ledger) {
            const ways = [live.has(old.url), result.redirects.some((r) => r.url === old.url), result.removed.some((e) => e.url === old.url)];
            assert.equal(ways.filter(Boolean).length, 1, `${old.url}: ${ways.join(", ")}`);
          }
          for (const r of result.redirects) assert.ok(live.has(r.to), `${r.url} redirects to ${r.to}, which is not live`);
          ledger = result.entries;
        }
      }),
      { numRuns: 60 },
    );
  });
});
