// `npm start`: the dev server serves the site with search, and shows an edited export without a restart.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../support/project-copy.ts";

const PORT = 8099;
const COMMENT = `http://localhost:${PORT}/comments/interstice/20210519-195243-229/`;
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
    server.kill();
    await project.remove();
  });

  test("serves comment pages and the search index", async () => {
    assert.match(await pageText(COMMENT), /least-rattling feedback/);
    const { shards } = (await (await fetch(`http://localhost:${PORT}/pagefind/shards.json`)).json()) as { shards: { path: string }[] };
    assert.ok(shards.length > 0);
    for (const shard of shards) assert.equal((await fetch(`http://localhost:${PORT}/pagefind/${shard.path}pagefind-entry.json`)).status, 200, shard.path);
  });

  test("shows an edited export within 5 seconds", async () => {
    const file = `${project.dir}/archives/interstice.md`;
    writeFileSync(file, readFileSync(file, "utf8").replace("least-rattling feedback in driven systems.", "least-rattling feedback in driven systems, edited while serving."));
    let seen = false;
    for (let i = 0; i < 20 && !seen; i++) {
      await wait(250);
      seen = (await pageText(COMMENT)).includes("edited while serving");
    }
    assert.ok(seen, `the change was not served within 5 s:\n${output}`);
  });

  test("re-indexes search after a rebuild, and leaves dist/ as a later build can update", async () => {
    for (let i = 0; i < 40 && !/search: \d+ pages indexed[\s\S]*search: \d+ pages indexed/.test(output); i++) await wait(250);
    const build = await project.run("build");
    assert.equal(build.code, 0, build.stderr);
    const plan = /eleventy: rendering (\d+) of (\d+) listed pages/.exec(build.stdout);
    assert.ok(plan && Number(plan[1]) < Number(plan[2]), build.stdout);
  });
});
