// A failed build, whichever stage fails, exits non-zero and leaves the previous content/ and dist/ exactly as they were.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";

/** Every file under `dir` with its bytes, to compare trees exactly. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const entries = await Promise.all(files.map(async (e) => [path.relative(dir, path.join(e.parentPath, e.name)), (await readFile(path.join(e.parentPath, e.name))).toString("base64")] as const));
  return new Map(entries);
}

/** Processes still rendering a site in `dir` (an update starts Eleventy before the import is done). */
function renderProcessesIn(dir: string): string[] {
  return readdirSync("/proc").filter((id) => {
    try {
      return /^\d+$/.test(id) && readFileSync(`/proc/${id}/cmdline`, "utf8").includes("render-site.ts") && readlinkSync(`/proc/${id}/cwd`) === dir;
    } catch {
      return false;
    }
  });
}

async function assertNoRenderLeft(dir: string): Promise<void> {
  for (let tries = 0; renderProcessesIn(dir).length > 0 && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(renderProcessesIn(dir), [], "no Eleventy process outlives the build");
}

describe("a failed build", () => {
  let project: ProjectCopy;
  let content: Map<string, string>;
  let dist: Map<string, string>;

  before(async () => {
    project = await copyProject();
    const built = await project.run("build");
    assert.equal(built.code, 0, built.stderr);
    content = await snapshot(path.join(project.dir, "content/archive"));
    dist = await snapshot(path.join(project.dir, "dist"));
  });
  after(() => project.remove());

  async function assertUntouched(): Promise<void> {
    assert.deepEqual(await snapshot(path.join(project.dir, "content/archive")), content);
    assert.deepEqual(await snapshot(path.join(project.dir, "dist")), dist);
    assert.deepEqual(readdirSync(project.dir).filter((f) => f.startsWith("dist")), ["dist"], "no staging directory is left behind");
    await assertNoRenderLeft(project.dir);
  }

  test("on a corrupt header names file and line", async () => {
    const file = path.join(project.dir, "archives/broken.md");
    await writeFile(file, "## Comments\n\n**alice**on A Post · 2021-13-45T99:00:00.000Z · LW · GW\n\nText.\n");
    const result = await project.run("build", ["--archive", "archives/interstice.md", "--archive", "archives/broken.md"]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /archives\/broken\.md:3: timestamp "2021-13-45T99:00:00.000Z" is not a real instant/);
    await assertUntouched();
  });

  test("on a missing file names it", async () => {
    const result = await project.run("build", ["--archive", "archives/nowhere.md"]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /archives\/nowhere\.md: file not found/);
    await assertUntouched();
  });

  test("in Eleventy (a broken template) keeps the old site", async () => {
    await writeFile(path.join(project.dir, "content/broken.njk"), "{% if %}");
    try {
      const result = await project.run("build");
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /broken\.njk/);
      assert.deepEqual(await snapshot(path.join(project.dir, "dist")), dist);
      assert.deepEqual(readdirSync(project.dir).filter((f) => f.startsWith("dist")), ["dist"]);
    } finally {
      await rm(path.join(project.dir, "content/broken.njk"));
    }
  });
});
