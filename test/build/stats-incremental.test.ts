// A comment added to the archive updates /stats/ and its author's statistics in an incremental build, which then equals a whole build.
import assert from "node:assert/strict";
import { appendFile, copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { compareTrees } from "../support/tree-compare.ts";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../support/project-copy.ts";

const FIXTURE = path.join(PROJECT_ROOT, "test/fixtures/site/fixture.md");
const ARGS = ["--archive", "exports/profile.md"];
/** In a month the fixture has no comment in, after all of its own. */
const ADDED = "\n\n**alice** on A notebook · 2024-03-05T06:07:08.009Z · LW · GW\n\nOne more entry, of seven words.\n";

async function build(project: ProjectCopy, args: string[] = []): Promise<string> {
  const result = await project.run("build", [...ARGS, ...args]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const read = (project: ProjectCopy, file: string): Promise<string> => readFile(path.join(project.dir, "dist", file), "utf8");

/** The bars of a page's month chart: data-month → data-comments. */
const bars = (html: string): Map<string, number> => new Map([...html.matchAll(/<rect class="chart__bar" [^>]*data-month="([^"]+)" data-comments="(\d+)"/g)].map((m) => [m[1] ?? "", Number(m[2])]));
const total = (html: string, name: string): number => Number(new RegExp(`<dt>${name}</dt><dd>([\\d,]+)`).exec(html)?.[1]?.replace(/,/g, "") ?? NaN);

describe("statistics in an incremental build", () => {
  let updated: ProjectCopy;
  let whole: ProjectCopy;
  const firstBuild: { stats: string; author: string } = { stats: "", author: "" };
  let updateOutput = "";

  before(async () => {
    [updated, whole] = await Promise.all([copyProject(), copyProject()]);
    for (const project of [updated, whole]) {
      await mkdir(path.join(project.dir, "exports"), { recursive: true });
      await copyFile(FIXTURE, path.join(project.dir, "exports/profile.md"));
    }
    await build(updated);
    firstBuild.stats = await read(updated, "stats/index.html");
    firstBuild.author = await read(updated, "authors/alice/index.html");
    for (const project of [updated, whole]) await appendFile(path.join(project.dir, "exports/profile.md"), ADDED);
    updateOutput = await build(updated);
    await build(whole, ["--full"]);
  });
  after(() => Promise.all([updated?.remove(), whole?.remove()]));

  test("the update renders only some pages, /stats/ and the author's own page among them, with the new comment counted", async () => {
    const match = /eleventy: rendering (\d+) of (\d+) pages/.exec(updateOutput);
    assert.ok(match !== null && Number(match[1]) < Number(match[2]), updateOutput);
    for (const [file, was] of [
      ["stats/index.html", firstBuild.stats],
      ["authors/alice/index.html", firstBuild.author],
    ] as const) {
      const now = await read(updated, file);
      const [barsBefore, barsNow] = [bars(was), bars(now)];
      assert.equal(barsNow.get("2024-03"), 1, `${file}: the new month's bar`);
      // Every month between the old last one and the new one is there, with none.
      assert.equal(barsNow.get("2024-02"), 0, file);
      for (const [month, count] of barsBefore) assert.equal(barsNow.get(month), count, `${file}: ${month}`);
      assert.equal(total(now, "Words"), total(was, "Words") + 6, `${file}: words`);
      if (file.startsWith("stats")) assert.equal(total(now, "Comments"), total(was, "Comments") + 1);
    }
  });

  test("publishes a site identical, file for file, to a whole build of the same input", async () => {
    const result = await compareTrees(path.join(updated.dir, "dist"), path.join(whole.dir, "dist"));
    assert.deepEqual({ onlyUpdated: result.onlyInFirst, onlyWhole: result.onlyInSecond, differing: result.differing.map((d) => d.file) }, { onlyUpdated: [], onlyWhole: [], differing: [] });
  });
});
