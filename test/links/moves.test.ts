// Published URLs that move keep leading to their page across later builds, and no newcomer takes over a URL: the real build on the sample.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { authorSlug, shortHash } from "../../scripts/lib/permalinks.ts";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";

const SAMPLE = "archives/interstice.md";

/** The digest that tells apart comments of one author and instant: it ends the suffixed URL. */
const commentTextKey = (threadTitle: string, body: string): string => shortHash(`${threadTitle}\u0000${body}`, 8);

interface LedgerLine {
  url: string;
  kind: string;
  digest?: string;
  movedTo?: string;
}

async function build(project: ProjectCopy, args: string[] = []): Promise<string> {
  const result = await project.run("build", args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout + result.stderr;
}

const pageAt = (project: ProjectCopy, url: string): Promise<string> => readFile(path.join(project.dir, "dist", url, "index.html"), "utf8");

async function editSample(project: ProjectCopy, edit: (text: string) => string): Promise<void> {
  const file = path.join(project.dir, SAMPLE);
  const before = await readFile(file, "utf8");
  const after = edit(before);
  assert.notEqual(after, before, "the edit changes the export");
  await writeFile(file, after);
}

async function ledgerOf(project: ProjectCopy): Promise<LedgerLine[]> {
  return JSON.parse(await readFile(path.join(project.dir, "archives/urls.json"), "utf8")) as LedgerLine[];
}

/** The page at `url` is the moved page, redirecting to `to`. */
async function assertRedirect(project: ProjectCopy, url: string, to: string, when: string): Promise<void> {
  const html = await pageAt(project, url);
  const target = to.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  assert.match(html, new RegExp(`<meta http-equiv="refresh" content="0; url=[^"]*${target}"`), `${when}: ${url} does not redirect to ${to}`);
  assert.match(html, /This page has moved/, when);
  assert.doesNotMatch(html, /removed from the archive/, when);
}

describe("a retitled thread", () => {
  let project: ProjectCopy;
  before(async () => {
    project = await copyProject();
    await build(project);
  });
  after(() => project.remove());

  test("keeps redirecting from its old URL across later builds, incremental and whole", async () => {
    await editSample(project, (text) => text.replace("on SGD's Bias ·", "on SGD's Bias (revised) ·"));
    await build(project);
    await assertRedirect(project, "/threads/sgds-bias/", "/threads/sgds-bias-revised/", "the build after the edit");
    await build(project);
    await assertRedirect(project, "/threads/sgds-bias/", "/threads/sgds-bias-revised/", "the next build");
    await build(project);
    await assertRedirect(project, "/threads/sgds-bias/", "/threads/sgds-bias-revised/", "a third build");
    await build(project, ["--full"]);
    await assertRedirect(project, "/threads/sgds-bias/", "/threads/sgds-bias-revised/", "a whole build");
    const entry = (await ledgerOf(project)).find((e) => e.url === "/threads/sgds-bias/");
    assert.equal(entry?.movedTo, "/threads/sgds-bias-revised/", "the ledger records where the thread went");
  });

  test("retitled twice, both old URLs lead to the newest", async () => {
    await editSample(project, (text) => text.replace("on SGD's Bias (revised) ·", "on SGD's Bias (revised twice) ·"));
    for (const args of [[], [], ["--full"]]) {
      await build(project, args);
      await assertRedirect(project, "/threads/sgds-bias/", "/threads/sgds-bias-revised-twice/", `build ${args.join(" ")}`);
      await assertRedirect(project, "/threads/sgds-bias-revised/", "/threads/sgds-bias-revised-twice/", `build ${args.join(" ")}`);
    }
  });
});

describe("a second comment with the same author and instant", () => {
  const instant = "2021-05-19T19:52:43.229Z";
  const url = "/comments/interstice/20210519-195243-229/";
  const firstText = "Another example of this sort of thing: least-rattling feedback in driven systems.";
  // A newcomer whose digest sorts before the first comment's, so the lowest-digest rule alone would give it the plain URL.
  const firstKey = commentTextKey("SGD's Bias", firstText);
  const newcomer = Array.from({ length: 64 }, (_, n) => `A later comment at the very same instant, number ${n}.`).find((text) => commentTextKey("SGD's Bias", text) < firstKey);
  let project: ProjectCopy;
  before(async () => {
    project = await copyProject();
    await build(project);
  });
  after(() => project.remove());

  test("leaves the published URL showing the comment it first showed", async () => {
    assert.ok(newcomer !== undefined);
    assert.match(await pageAt(project, url), /least-rattling feedback/);
    await editSample(project, (text) => text.replace(`**interstice**on SGD's Bias · ${instant}`, `**interstice**on SGD's Bias · ${instant} · LW · GW\n\n${newcomer}\n\n**interstice**on SGD's Bias · ${instant}`));
    for (const args of [[], ["--full"]]) {
      await build(project, args);
      // The comment's own text, not the neighbour links under it, which name the newcomer.
      const plain = await pageAt(project, url);
      const body = plain.slice(plain.indexOf('<div class="comment-body'), plain.indexOf('<footer class="comment-page__footer"'));
      assert.match(body, /least-rattling feedback/, "the first comment keeps its URL");
      assert.doesNotMatch(body, /A later comment at the very same instant/);
      const suffixed = `/comments/interstice/20210519-195243-229-${commentTextKey("SGD's Bias", newcomer)}/`;
      assert.match(await pageAt(project, suffixed), /A later comment at the very same instant/, "the newcomer gets the suffixed URL");
    }
    const ledger = await ledgerOf(project);
    assert.equal(ledger.find((e) => e.url === url)?.digest, firstKey, "the ledger keeps which comment holds the URL");
  });
});

describe("a username that changes only in case", () => {
  const newSlug = authorSlug("Interstice");
  let project: ProjectCopy;
  before(async () => {
    project = await copyProject();
    await build(project);
  });
  after(() => project.remove());

  test("redirects its comment and author URLs to the new ones, build after build", async () => {
    assert.notEqual(newSlug, "interstice");
    await editSample(project, (text) => text.replaceAll("**interstice**", "**Interstice**"));
    for (const args of [[], [], ["--full"]]) {
      const output = await build(project, args);
      assert.doesNotMatch(output, /missing: /, "nothing is reported removed");
      await assertRedirect(project, "/comments/interstice/20210519-195243-229/", `/comments/${newSlug}/20210519-195243-229/`, `build ${args.join(" ")}`);
      await assertRedirect(project, "/comments/interstice/20210619-155432-790/", `/comments/${newSlug}/20210619-155432-790/`, `build ${args.join(" ")}`);
      await assertRedirect(project, "/authors/interstice/", `/authors/${newSlug}/`, `build ${args.join(" ")}`);
      assert.match(await pageAt(project, `/comments/${newSlug}/20210519-195243-229/`), /least-rattling feedback/);
    }
  });
});
