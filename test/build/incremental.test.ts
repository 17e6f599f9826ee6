// A build that updates dist/ with the changed pages only publishes exactly what a whole build publishes.
import assert from "node:assert/strict";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { compareTrees } from "../support/tree-compare.ts";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../support/project-copy.ts";

const FIXTURES = path.join(PROJECT_ROOT, "test/fixtures/links");
const ARGS = ["--archive", "exports/profile.md"];

async function useExport(project: ProjectCopy, fixture: string): Promise<void> {
  await mkdir(path.join(project.dir, "exports"), { recursive: true });
  await copyFile(path.join(FIXTURES, fixture), path.join(project.dir, "exports/profile.md"));
}

async function build(project: ProjectCopy, args: string[] = []): Promise<string> {
  const result = await project.run("build", [...ARGS, ...args]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** "rendering N of M pages" from a build's output. */
function rendering(stdout: string): { rendered: number; listed: number } {
  const match = /eleventy: rendering (\d+) of (\d+) pages/.exec(stdout);
  assert.ok(match, `no render plan in:\n${stdout}`);
  return { rendered: Number(match[1]), listed: Number(match[2]) };
}

async function htmlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".html")).map((f) => path.join(dir, f));
}

describe("updating dist/ in place", () => {
  let updated: ProjectCopy;
  let whole: ProjectCopy;
  let updateOutput: string;

  before(async () => {
    [updated, whole] = await Promise.all([copyProject(), copyProject()]);
    for (const project of [updated, whole]) {
      await useExport(project, "a.md");
      await build(project);
      // Added, reordered, edited, retitled and removed comments (see test/fixtures/links).
      await useExport(project, "a-prime.md");
    }
    updateOutput = await build(updated);
    await build(whole, ["--full"]);
  });
  after(() => Promise.all([updated.remove(), whole.remove()]));

  test("renders only some of the listed pages", () => {
    const { rendered, listed } = rendering(updateOutput);
    assert.ok(rendered > 0 && rendered < listed, `rendered ${rendered} of ${listed}`);
  });

  test("publishes a site identical, file for file, to a whole build of the same input", async () => {
    const result = await compareTrees(path.join(updated.dir, "dist"), path.join(whole.dir, "dist"));
    assert.deepEqual({ onlyUpdated: result.onlyInFirst, onlyWhole: result.onlyInSecond, differing: result.differing.map((d) => d.file) }, { onlyUpdated: [], onlyWhole: [], differing: [] });
  });

  test("renders the same site in several Eleventy runs as in one", async () => {
    const batched = await copyProject();
    try {
      await useExport(batched, "a-prime.md");
      await copyFile(path.join(whole.dir, "exports/urls.json"), path.join(batched.dir, "exports/urls.json"));
      const result = await batched.run("build", ARGS, { COMMENTARIUM_RENDER_BATCH_PAGES: "7" });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /eleventy: run 1 of \d+ done/);
      // The rendered comments are kept for the next build, as after a render in one run.
      const cache = JSON.parse(await readFile(path.join(batched.dir, ".cache/rendered-comments/index.json"), "utf8")) as { entries: unknown[] };
      const comments = JSON.parse(await readFile(path.join(batched.dir, "dist/comments.json"), "utf8")) as unknown[];
      assert.equal(cache.entries.length, comments.length);
      const compared = await compareTrees(path.join(batched.dir, "dist"), path.join(whole.dir, "dist"));
      assert.deepEqual({ onlyBatched: compared.onlyInFirst, onlyWhole: compared.onlyInSecond, differing: compared.differing.map((d) => d.file) }, { onlyBatched: [], onlyWhole: [], differing: [] });
    } finally {
      await batched.remove();
    }
  });

  test("renders no page again when nothing changed", async () => {
    const again = rendering(await build(updated));
    const whole = rendering(await build(updated, ["--full"]));
    assert.equal(whole.rendered, whole.listed);
    // The site a whole build replaced is deleted after the build, in a process of its own: only the one dist/ links to is left.
    const sites = path.join(updated.dir, ".cache/sites");
    for (let waited = 0; (await readdir(sites)).length > 1; waited += 100) {
      assert.ok(waited < 20_000, `still in ${sites}: ${(await readdir(sites)).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual((await readdir(updated.dir)).filter((name) => name.startsWith("dist")), ["dist"]);
    assert.equal(again.rendered, 0, `rendered ${again.rendered} of ${again.listed}`);
  });

  test("renders every page again after a template changed", async () => {
    const layout = path.join(updated.dir, "_includes/layouts/base.njk");
    await writeFile(layout, (await readFile(layout, "utf8")).replace("<head>", '<head>\n<meta name="generator-test" content="changed">'));
    const stdout = await build(updated);
    const { rendered, listed } = rendering(stdout);
    assert.equal(rendered, listed);
    assert.doesNotMatch(stdout, /^update:/m, "published whole, not moved into dist/ page by page");
    for (const file of await htmlFiles(path.join(updated.dir, "dist/comments"))) {
      assert.match(await readFile(file, "utf8"), /generator-test/, file);
    }
  });

  test("publishes the whole site rendered when the manifest of dist/ cannot be read", async () => {
    await writeFile(path.join(updated.dir, ".cache/site-manifest.json"), "{ not json");
    const stdout = await build(updated);
    const { rendered, listed } = rendering(stdout);
    assert.equal(rendered, listed);
    assert.doesNotMatch(stdout, /^update:/m, "not moved into dist/ as an update");
    const result = await compareTrees(path.join(updated.dir, "dist"), path.join(whole.dir, "dist"));
    assert.deepEqual(result.onlyInFirst, [], "nothing stale left in dist/");
    assert.deepEqual(result.onlyInSecond, []);
  });

  test("builds whole again when dist/ was replaced by something else", async () => {
    await writeFile(path.join(updated.dir, "dist/index.html"), "not this build's page");
    const { rendered, listed } = rendering(await build(updated));
    assert.equal(rendered, listed);
  });
});
