// `npm start`: the dev server serves the site with search, and shows an edited export without a restart.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { compareTrees } from "../support/tree-compare.ts";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../support/project-copy.ts";

const PORT = 8099;
const COMMENT = `http://localhost:${PORT}/comments/interstice/20210519-195243-229/`;
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const rebuilds = (output: string): number => output.match(/eleventy: rendering/g)?.length ?? 0;
/** Whether the last build in the server's output has been re-indexed: each ends with a search line. */
const settled = (output: string): boolean => /search: \d+ pages indexed/.test(output.slice(output.lastIndexOf("eleventy: rendering")));

async function pageText(url: string): Promise<string> {
  return (await fetch(url)).text();
}

describe("the dev server", () => {
  let project: ProjectCopy;
  let server: ChildProcess;
  let output = "";

  before(async () => {
    project = await copyProject();
    server = spawn(`${PROJECT_ROOT}/node_modules/.bin/tsx`, ["scripts/serve.ts", "--port", String(PORT)], { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; i < 120 && !output.includes("Serving the site at"); i++) await wait(500);
    assert.match(output, new RegExp(`Serving the site at http://localhost:${PORT}/`), output);
  });
  after(async () => {
    // Removed only once the server has exited: a rebuild's last writes (the render cache) would race the removal.
    const exited = server.exitCode !== null || server.signalCode !== null ? Promise.resolve() : new Promise((resolve) => server.once("exit", resolve));
    server.kill();
    await exited;
    await project.remove();
  });

  test("serves comment pages and the search index", async () => {
    assert.match(await pageText(COMMENT), /least-rattling feedback/);
    const { shards } = (await (await fetch(`http://localhost:${PORT}/pagefind/shards.json`)).json()) as { shards: { path: string }[] };
    assert.ok(shards.length > 0);
    for (const shard of shards) assert.equal((await fetch(`http://localhost:${PORT}/pagefind/${shard.path}pagefind-entry.json`)).status, 200, shard.path);
  });

  // How soon is the benchmark's business (npm run bench); here, only that it comes without a restart.
  // Editors save by writing the file or by renaming a new one over it (which leaves a watch on the old file deaf).
  test("shows an export saved by write, then again, then saved by rename, then again, without a restart", async () => {
    const file = `${project.dir}/archives/interstice.md`;
    let sentence = "least-rattling feedback in driven systems.";
    for (const [save, how] of [[1, "write"], [2, "write"], [3, "rename"], [4, "rename"]] as const) {
      const saved = `least-rattling feedback in driven systems, save ${save} by ${how} while serving.`;
      const text = readFileSync(file, "utf8");
      assert.ok(text.includes(sentence), `the export has no ${sentence}`);
      if (how === "write") writeFileSync(file, text.replace(sentence, saved));
      else {
        const temporary = `${project.dir}/archives/.interstice.md.saving`;
        writeFileSync(temporary, text.replace(sentence, saved));
        renameSync(temporary, file);
      }
      sentence = saved;
      let seen = false;
      for (let i = 0; i < 120 && !seen; i++) {
        await wait(250);
        seen = (await pageText(COMMENT)).includes(saved);
      }
      assert.ok(seen, `save ${save} (by ${how}) was not served within 30 s:\n${output}`);
    }
  });

  test("a comment added and another taken out while serving: the site is what a whole build of the export makes", async (t) => {
    for (let i = 0; i < 40 && !settled(output); i++) await wait(250);
    const before = rebuilds(output);
    const file = `${project.dir}/archives/interstice.md`;
    const last = "**interstice**on Deepmind has made a general inductor";
    const text = readFileSync(file, "utf8");
    const added = "**interstice**on SGD's Bias · 2021-07-01T00:00:00.000Z · LW · GW\n\nA comment added while serving.\n\n";
    writeFileSync(file, text.slice(0, text.indexOf(last)).replace("## Comments\n\n", `## Comments\n\n${added}`));
    for (let i = 0; i < 80 && !(rebuilds(output) > before && settled(output)); i++) await wait(250);
    assert.ok(rebuilds(output) > before && settled(output), output);
    assert.match(await pageText(`http://localhost:${PORT}/comments/interstice/20210701-000000-000/`), /A comment added while serving/);
    // The statistics count it, on their page and on its author's: the sample's comments end in June 2021.
    for (const statsPage of ["stats/", "authors/interstice/"]) assert.match(await pageText(`http://localhost:${PORT}/${statsPage}`), /<th scope="row">July 2021<\/th><td data-month="2021-07">1<\/td>/, statsPage);

    // The rebuild read only the pages the import changed, not the archive.
    const rebuilt = output.slice(output.lastIndexOf("eleventy: rendering"));
    const reread = /; (\d+) pages? of the archive read again\)/.exec(rebuilt);
    assert.ok(reread && Number(reread[1]) > 0 && Number(reread[1]) < 10, rebuilt);

    const whole = await copyProject();
    t.after(() => whole.remove());
    for (const name of ["interstice.md", "urls.json"]) copyFileSync(path.join(project.dir, "archives", name), path.join(whole.dir, "archives", name));
    const build = await whole.run("build");
    assert.equal(build.code, 0, build.stderr);
    const compared = await compareTrees(path.join(project.dir, "dist"), path.join(whole.dir, "dist"));
    assert.deepEqual({ onlyServed: compared.onlyInFirst, onlyWhole: compared.onlyInSecond, differing: compared.differing.map((d) => d.file) }, { onlyServed: [], onlyWhole: [], differing: [] });
  });

  // The served site then differs from a whole build of the original templates.
  test("shows an edited template without a restart: a partial a layout includes, then the layout", async () => {
    const edit = async (file: string, from: string, to: string): Promise<void> => {
      const full = path.join(project.dir, file);
      const text = readFileSync(full, "utf8");
      assert.ok(text.includes(from), `${file} has no ${from}`);
      writeFileSync(full, text.replace(from, to));
      let seen = false;
      for (let i = 0; i < 240 && !seen; i++) {
        await wait(250);
        seen = (await pageText(COMMENT)).includes(to);
      }
      assert.ok(seen, `${file}: the change was not served within a minute:\n${output}`);
    };
    await edit("_includes/partials/neighbours.njk", '<span class="neighbours__label">Previous</span>', '<span class="neighbours__label">Previous (edited)</span>');
    await edit("_includes/layouts/comment.njk", '<span class="comment-page__on">on</span>', '<span class="comment-page__on">wrote on</span>');
  });

  // Last: the server is stopped (a build beside it would stop at once, see faults.test.ts).
  test("re-indexes search after a rebuild, and leaves dist/ as a later build, once the server has stopped, can update", async () => {
    // The server keeps its manifest up to date and nothing else: a change list is for the build's own processes.
    assert.deepEqual(readdirSync(path.join(project.dir, ".cache")).filter((name) => name.startsWith("site-manifest")), ["site-manifest.json"]);
    // Stopped once its last rebuild is indexed and recorded: a server stopped mid-rebuild leaves a site the next build renders whole.
    for (let i = 0; i < 80 && !settled(output); i++) await wait(250);
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGINT");
    await exited;
    const build = await project.run("build");
    assert.equal(build.code, 0, build.stderr);
    const plan = /eleventy: rendering (\d+) of (\d+) pages/.exec(build.stdout);
    assert.ok(plan && Number(plan[1]) < Number(plan[2]), build.stdout);
  });
});
