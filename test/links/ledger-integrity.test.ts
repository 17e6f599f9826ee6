// The URL ledger as the build reads it: an emptied, cut or shortened ledger and a hand-edited unsafe URL stop the build, with the sample.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { KILL_AT_VARIABLE } from "../../scripts/lib/fault-point.ts";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";

const LEDGER = "archives/urls.json";
const RECORD = ".cache/ledger-record.json";
const KEPT_PAGE = "/comments/interstice/20210519-195243-229/";

describe("a damaged or shortened URL ledger stops the build", () => {
  let project: ProjectCopy;
  let ledgerText: string;
  let keptPage: string;
  const ledgerPath = (): string => path.join(project.dir, LEDGER);
  const pageAt = (url: string): Promise<string> => readFile(path.join(project.dir, "dist", url, "index.html"), "utf8");

  before(async () => {
    project = await copyProject();
    const first = await project.run("build");
    assert.equal(first.code, 0, first.stderr);
    ledgerText = await readFile(ledgerPath(), "utf8");
    keptPage = await pageAt(KEPT_PAGE);
  });
  after(() => project.remove());

  /** Builds with `text` as the ledger: the build fails, names the file, says how to restore it, and leaves the ledger and dist/ alone. */
  async function refused(text: string | undefined, message: RegExp): Promise<string> {
    if (text === undefined) await rm(ledgerPath());
    else await writeFile(ledgerPath(), text);
    const result = await project.run("build");
    assert.notEqual(result.code, 0, `the build accepted the ledger: ${result.stdout}`);
    assert.match(result.stderr, message);
    assert.match(result.stderr, /git checkout -- archives\/urls\.json/);
    assert.match(result.stderr, /git log -p/);
    if (text === undefined) assert.equal(existsSync(ledgerPath()), false, "no ledger is made up");
    else assert.equal(await readFile(ledgerPath(), "utf8"), text, "the ledger is left for the user to restore");
    assert.equal(await pageAt(KEPT_PAGE), keptPage);
    await writeFile(ledgerPath(), ledgerText);
    return result.stderr;
  }

  test("the build records the ledger's size under .cache/", async () => {
    const record = JSON.parse(await readFile(path.join(project.dir, RECORD), "utf8")) as { ledgers: Record<string, { entries: number }> };
    const entries = (JSON.parse(ledgerText) as unknown[]).length;
    assert.deepEqual(
      Object.values(record.ledgers).map((r) => r.entries),
      [entries],
    );
  });

  test("an empty ledger", async () => {
    await refused("", /archives\/urls\.json: the URL ledger is empty/);
  });

  test("a ledger cut at a line boundary", async () => {
    const lines = ledgerText.split("\n");
    await refused(lines.slice(0, 10).join("\n") + "\n", /archives\/urls\.json:10: damaged URL ledger: it ends without the closing \]/);
  });

  test("a ledger cut in the middle of a line", async () => {
    const cut = ledgerText.slice(0, Math.floor(ledgerText.length / 2));
    const line = cut.split("\n").length;
    await refused(cut, new RegExp(`archives/urls\\.json:${line}: damaged URL ledger`));
  });

  test("a valid ledger with fewer entries than the last build wrote, until the record is deleted", async () => {
    const lines = ledgerText.split("\n");
    // Three whole entries gone, the rest still a valid ledger: only the record can tell.
    const shorter = [...lines.slice(0, 2), ...lines.slice(5)].join("\n");
    JSON.parse(shorter);
    const stderr = await refused(shorter, /archives\/urls\.json: the URL ledger holds \d+ entries, but the last build wrote \d+/);
    assert.match(stderr, /delete \.cache\/ledger-record\.json/);
    // Deleting the record accepts it; the entries of pages still published come back.
    await writeFile(ledgerPath(), shorter);
    await rm(path.join(project.dir, RECORD));
    const accepted = await project.run("build");
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(await readFile(ledgerPath(), "utf8"), ledgerText);
  });

  test("a ledger deleted after a build", async () => {
    await refused(undefined, /archives\/urls\.json: the URL ledger holds 0 entries, but the last build wrote \d+/);
  });

  test("a hand-edited javascript: URL, naming its line", async () => {
    const lines = ledgerText.split("\n");
    const at = lines.findIndex((line) => line.includes('"kind":"comment"'));
    lines[at] = (lines[at] ?? "").replace('"authorUrl":"/authors/interstice/"', '"authorUrl":"javascript:alert(document.domain)"');
    await refused(lines.join("\n"), new RegExp(`archives/urls\\.json:${at + 1}: damaged URL ledger entry: authorUrl "javascript:alert\\(document\\.domain\\)" is not a site-relative path`));
  });

  test("a URL that leaves the site's shapes, naming its line", async () => {
    for (const bad of ["//evil.example/", "/authors/../../etc/", "/authors/a\\\\b/", "/authors/x/\\u0000/", "/elsewhere/interstice/"]) {
      const lines = ledgerText.split("\n");
      const at = lines.findIndex((line) => line.includes('"kind":"author"'));
      lines[at] = (lines[at] ?? "").replace('"url":"/authors/interstice/"', `"url":"${bad}"`);
      await refused(lines.join("\n"), new RegExp(`archives/urls\\.json:${at + 1}: damaged URL ledger entry: url `));
    }
  });

  test("a build killed after writing the ledger is put back by the next, which accepts the ledger it restored", async () => {
    const sample = path.join(project.dir, "archives/interstice.md");
    const exported = await readFile(sample, "utf8");
    const added = "**interstice**on A Thread Added Later · 2021-07-01T00:00:00.000Z · LW · GW\n\nA comment the killed build published.\n\n";
    await writeFile(sample, exported.replace("## Comments\n\n", `## Comments\n\n${added}`));
    const killed = await project.run("build", [], { [KILL_AT_VARIABLE]: "ledger" });
    assert.notEqual(killed.code, 0);
    const next = await project.run("build");
    assert.equal(next.code, 0, next.stderr);
    assert.match(await readFile(ledgerPath(), "utf8"), /\/comments\/interstice\/20210701-000000-000\//);
    await writeFile(sample, exported);
    await writeFile(ledgerPath(), ledgerText);
    await rm(path.join(project.dir, RECORD));
  });

  test("a first build with no ledger and no record makes both", async () => {
    await rm(path.join(project.dir, RECORD), { force: true });
    await rm(ledgerPath());
    const result = await project.run("build");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await readFile(ledgerPath(), "utf8"), ledgerText);
    assert.ok(existsSync(path.join(project.dir, RECORD)));
  });

  test("a removed page shows the ledger's names as text", async () => {
    const entry = { url: "/threads/a-gone-thread/", kind: "thread", title: '<img src=x onerror="alert(1)">Gone' };
    await writeFile(ledgerPath(), ledgerText.replace("[\n", `[\n${JSON.stringify(entry)},\n`));
    const result = await project.run("build");
    assert.equal(result.code, 0, result.stderr);
    const html = await pageAt("/threads/a-gone-thread/");
    assert.match(html, /removed from the archive/);
    assert.match(html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;Gone/);
    assert.doesNotMatch(html, /<img src=x/);
  });
});
