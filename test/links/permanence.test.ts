// Published URLs survive a re-export: added, reordered, edited, retitled and removed comments, with the real build.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../support/project-copy.ts";

const FIXTURES = path.join(PROJECT_ROOT, "test/fixtures/links");

interface LedgerLine {
  url: string;
  kind: string;
  author?: string;
  postedAt?: string;
}

async function ledgerOf(project: ProjectCopy): Promise<LedgerLine[]> {
  return JSON.parse(await readFile(path.join(project.dir, "exports/urls.json"), "utf8")) as LedgerLine[];
}

async function pageAt(project: ProjectCopy, url: string): Promise<string> {
  return readFile(path.join(project.dir, "dist", url, "index.html"), "utf8");
}

async function useExport(project: ProjectCopy, fixture: string): Promise<void> {
  await mkdir(path.join(project.dir, "exports"), { recursive: true });
  await copyFile(path.join(FIXTURES, fixture), path.join(project.dir, "exports/profile.md"));
}

describe("permanent links across a re-export", () => {
  let project: ProjectCopy;
  let ledgerA: LedgerLine[];
  const textA = new Map<string, string>();
  let secondBuild: { code: number; stdout: string; stderr: string };

  before(async () => {
    project = await copyProject();
    await useExport(project, "a.md");
    const first = await project.run("build", ["--archive", "exports/profile.md"]);
    assert.equal(first.code, 0, first.stderr);
    ledgerA = await ledgerOf(project);
    for (const entry of ledgerA) if (entry.kind === "comment") textA.set(entry.url, await pageAt(project, entry.url));
    await useExport(project, "a-prime.md");
    secondBuild = await project.run("build", ["--archive", "exports/profile.md"]);
    assert.equal(secondBuild.code, 0, secondBuild.stderr);
  });
  after(() => project.remove());

  test("the first build records every comment, thread and author URL in the ledger", () => {
    const kinds = ledgerA.map((e) => e.kind).sort();
    assert.deepEqual(kinds.filter((k) => k === "comment").length, 5);
    assert.ok(ledgerA.some((e) => e.url === "/threads/a-title-soon-edited/"));
    assert.ok(ledgerA.some((e) => e.url === "/authors/carol/"));
    assert.ok(ledgerA.some((e) => e.url === "/comments/alice/20200301-100000-000/"));
  });

  test("the ledger only grows, and is sorted one entry per line", async () => {
    const text = await readFile(path.join(project.dir, "exports/urls.json"), "utf8");
    const ledgerB = JSON.parse(text) as LedgerLine[];
    for (const entry of ledgerA) assert.ok(ledgerB.some((e) => e.url === entry.url), `${entry.url} dropped from the ledger`);
    const urls = ledgerB.map((e) => e.url);
    assert.deepEqual(urls, [...urls].sort());
    assert.equal(text.split("\n").length, ledgerB.length + 3, "one entry per line between [ and ]");
    assert.ok(urls.includes("/comments/erin/20190601-000000-000/"), "new comments are added");
  });

  test("every URL of the first build still resolves", () => {
    for (const entry of ledgerA) {
      assert.ok(existsSync(path.join(project.dir, "dist", entry.url, "index.html")), `${entry.url} does not resolve`);
    }
  });

  test("a comment that still exists is at the same URL, with its current text", async () => {
    assert.match(await pageAt(project, "/comments/alice/20200301-100000-000/"), /Alpha comment about ledgers/);
    const edited = await pageAt(project, "/comments/alice/20200210-080000-001/");
    assert.match(edited, /this sentence is new/);
    assert.match(textA.get("/comments/alice/20200210-080000-001/") ?? "", /Charlie comment/);
  });

  test("the retitled thread's old URL redirects to the new one", async () => {
    const html = await pageAt(project, "/threads/a-title-soon-edited/");
    assert.match(html, /<meta http-equiv="refresh" content="0; url=[^"]*\/threads\/a-title-after-editing\/"/);
    assert.match(html, /<link rel="canonical" href="[^"]*\/threads\/a-title-after-editing\/"/);
    assert.match(html, /<a [^>]*href="[^"]*\/threads\/a-title-after-editing\/"/);
    assert.match(secondBuild.stdout, /moved: \/threads\/a-title-soon-edited\/ -> \/threads\/a-title-after-editing\//);
  });

  test("the removed comment's URL says it was removed, with its thread and author", async () => {
    const html = await pageAt(project, "/comments/bob/20200215-123045-123/");
    assert.match(html, /removed from the archive/i);
    assert.match(html, /href="[^"]*\/threads\/thread-two\/"/);
    assert.match(html, /href="[^"]*\/authors\/bob\/"/);
    assert.doesNotMatch(html, /Bravo comment/, "the removed text is not republished");
    assert.match(secondBuild.stderr, /missing: comment \/comments\/bob\/20200215-123045-123\//);
  });

  test("check-links passes on the rebuilt site", async () => {
    const result = await project.run("check-links", ["--archive", "exports/profile.md"]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /check-links: (\d+) of \1 ledger URLs resolve/);
  });

  test("--strict fails on the missing comment and leaves dist/ as it was", async () => {
    const before = await pageAt(project, "/comments/alice/20200301-100000-000/");
    const result = await project.run("build", ["--archive", "exports/profile.md", "--strict"]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--strict: 1 published comment\(s\) missing/);
    assert.equal(await pageAt(project, "/comments/alice/20200301-100000-000/"), before);
  });

  test("check-links fails when a ledger URL has no page", async () => {
    const ledgerFile = path.join(project.dir, "exports/urls.json");
    const text = await readFile(ledgerFile, "utf8");
    await writeFile(ledgerFile, text.replace("[\n", '[\n{"url":"/comments/nobody/20000101-000000-000/","kind":"comment-typo"},\n'));
    const damaged = await project.run("check-links", ["--archive", "exports/profile.md"]);
    assert.notEqual(damaged.code, 0, "a damaged ledger line is an error");
    assert.match(damaged.stderr, /urls\.json:2: damaged URL ledger entry/);
    await writeFile(ledgerFile, text);
  });
});

describe("two exports of the same comments taken at different dates", () => {
  test("give the same URLs", async () => {
    const project = await copyProject();
    try {
      await useExport(project, "a.md");
      assert.equal((await project.run("import", ["--archive", "exports/profile.md"])).code, 0);
      const urlsOf = async (): Promise<string[]> => {
        const files = await readdir(path.join(project.dir, "content/archive/comments"), { recursive: true });
        return files.filter((f) => f.endsWith(".md")).sort();
      };
      const fromA = await urlsOf();
      // The later export has more comments and a different order; the comments of A keep their pages.
      await useExport(project, "a-prime.md");
      await mkdir(path.join(project.dir, "exports/old"), { recursive: true });
      await copyFile(path.join(FIXTURES, "a.md"), path.join(project.dir, "exports/old/profile.md"));
      assert.equal((await project.run("import", ["--archive", "exports/old/profile.md", "--archive", "exports/profile.md"])).code, 0);
      const fromBoth = await urlsOf();
      assert.equal(fromA.length, 5);
      for (const page of fromA) assert.ok(fromBoth.includes(page), `${page} changed path`);
      assert.equal(fromBoth.length, 8, "the union of both exports, each comment once");
    } finally {
      await project.remove();
    }
  });
});
