// reconcileLedger: which published URLs redirect, which say "removed", and that the ledger never loses an entry.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mergeArchives } from "../../scripts/lib/archive/merge.ts";
import { parseArchive } from "../../scripts/lib/archive/parse-archive.ts";
import type { LedgerEntry } from "../../scripts/lib/ledger/ledger.ts";
import { currentEntries, publishedThreadSlugs, reconcileLedger } from "../../scripts/lib/ledger/reconcile.ts";
import { publishArchive } from "../../scripts/lib/published.ts";

const EXPORT = `## Comments

**alice**on Same Words · 2020-01-01T00:00:00.000Z · LW · GW

First.

**bob**on Same-Words · 2020-01-02T00:00:00.000Z · LW · GW

Second.
`;

function publish(text: string, ledger: LedgerEntry[] = []) {
  return publishArchive(mergeArchives([parseArchive(text, "x.md")]), publishedThreadSlugs(ledger));
}

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
