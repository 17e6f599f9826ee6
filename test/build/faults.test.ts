// A build killed at any stage, run twice at once, or out of disk never loses a published page: dist/ is always a whole site.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { compareTrees } from "../support/tree-compare.ts";
import { KILL_AT_VARIABLE, type BuildStage } from "../../scripts/lib/fault-point.ts";
import { LOCK_FILE } from "../../scripts/lib/project-lock.ts";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../support/project-copy.ts";

const EXPORT = "archives/interstice.md";
const COMMENT_PAGE = "dist/comments/interstice/20210519-195243-229/index.html";

/** Replaces the sample comment's sentence with one naming `marker`, so each build has something to change. */
function editExport(project: ProjectCopy, marker: string): void {
  const file = path.join(project.dir, EXPORT);
  const text = readFileSync(file, "utf8");
  const edited = text.replace(/least-rattling feedback in driven systems[^\n]*?\./, `least-rattling feedback in driven systems, ${marker}.`);
  assert.notEqual(edited, text);
  writeFileSync(file, edited);
}

/** Every file under `dir` (through a link) with its bytes. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(await Promise.all(files.map(async (e) => [path.relative(dir, path.join(e.parentPath, e.name)), (await readFile(path.join(e.parentPath, e.name))).toString("base64")] as const)));
}

/** Names under dist/ that only a build in progress would make. */
function temporaryFiles(dist: string): string[] {
  return readdirSync(dist, { recursive: true }).map(String).filter((name) => /(^|\/)\.|\.new-|\.tmp-|\.old-|staging/.test(name));
}

/** What must hold whenever no build runs: dist/ a whole site with nothing temporary, the ledger whole. */
function assertPublishable(project: ProjectCopy, minimumLedgerEntries: number): void {
  const dist = path.join(project.dir, "dist");
  assert.ok(existsSync(path.join(dist, "index.html")), "dist/ holds a site");
  assert.ok(existsSync(path.join(project.dir, COMMENT_PAGE)), "the comment's page is published");
  assert.ok(existsSync(path.join(dist, "pagefind/shards.json")), "the search index is there");
  assert.deepEqual(temporaryFiles(dist), [], "nothing temporary inside dist/");
  assert.deepEqual(readdirSync(project.dir).filter((name) => name.startsWith("dist.")), [], "no staging folder beside dist/");
  const ledger = JSON.parse(readFileSync(path.join(project.dir, "archives/urls.json"), "utf8")) as unknown[];
  assert.ok(ledger.length >= minimumLedgerEntries, `the ledger keeps its ${minimumLedgerEntries} URLs (has ${ledger.length})`);
}

/** Every comment page the shard list names is indexed: a shard without its bundle would lose search results. */
function assertSearchWhole(project: ProjectCopy, comments: number): void {
  const bundle = path.join(project.dir, "dist/pagefind");
  const { shards } = JSON.parse(readFileSync(path.join(bundle, "shards.json"), "utf8")) as { shards: { path: string; pages: number }[] };
  for (const shard of shards) assert.ok(existsSync(path.join(bundle, shard.path, "pagefind-entry.json")), `shard ${shard.path} has its bundle`);
  assert.equal(
    shards.reduce((sum, shard) => sum + shard.pages, 0),
    comments,
  );
}

function ledgerSize(project: ProjectCopy): number {
  return (JSON.parse(readFileSync(path.join(project.dir, "archives/urls.json"), "utf8")) as unknown[]).length;
}

function pageShows(project: ProjectCopy, marker: string): boolean {
  return readFileSync(path.join(project.dir, COMMENT_PAGE), "utf8").includes(marker);
}

const STAGES: readonly BuildStage[] = ["import", "render", "index", "swap", "ledger", "commit"];

describe("a build killed at any stage", () => {
  let project: ProjectCopy;
  let comments: number;

  before(async () => {
    project = await copyProject();
    const built = await project.run("build");
    assert.equal(built.code, 0, built.stderr);
    comments = readdirSync(path.join(project.dir, "dist/comments/interstice")).length;
  });
  after(() => project.remove());

  for (const mode of ["update", "whole"] as const) {
    for (const stage of STAGES) {
      test(`${mode} build killed at ${stage}: dist/ and the ledger stay whole, and the next build finishes the change`, async () => {
        const entries = ledgerSize(project);
        const marker = `${mode} ${stage}`;
        editExport(project, marker);
        const killed = await project.run("build", mode === "whole" ? ["--full"] : [], { [KILL_AT_VARIABLE]: stage });
        assert.equal(killed.code, 137, `killed by SIGKILL at ${stage}:\n${killed.stdout}\n${killed.stderr}`);
        assertPublishable(project, entries);

        const next = await project.run("build");
        assert.equal(next.code, 0, next.stderr);
        assert.match(next.stdout, /put back \d+ changes of a build that was interrupted/);
        assert.ok(pageShows(project, marker), "the next build publishes the change");
        assertPublishable(project, entries);
        assertSearchWhole(project, comments);
        assert.deepEqual(readdirSync(path.join(project.dir, ".cache/sites")).length, 1, "only the published site is kept");
      });
    }
  }

  test("after all those kills, dist/ is what a whole build of the same input makes", async (t) => {
    const whole = await copyProject();
    t.after(() => whole.remove());
    for (const file of [EXPORT, "archives/urls.json"]) writeFileSync(path.join(whole.dir, file), readFileSync(path.join(project.dir, file)));
    const built = await whole.run("build");
    assert.equal(built.code, 0, built.stderr);
    const compared = await compareTrees(path.join(project.dir, "dist/"), path.join(whole.dir, "dist/"));
    assert.ok(compared.identical, JSON.stringify({ ...compared, differing: compared.differing.slice(0, 3) }, null, 1));
  });
});

describe("two commands at once", () => {
  let project: ProjectCopy;

  before(async () => {
    project = await copyProject();
    const built = await project.run("build");
    assert.equal(built.code, 0, built.stderr);
  });
  after(() => project.remove());

  test("two builds started together: one waits for the other, and the site and its search are whole", async () => {
    editExport(project, "built twice at once");
    const [first, second] = await Promise.all([project.run("build"), project.run("build")]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.match(first.stdout + second.stdout, /waiting: `npm run build` \(pid \d+\) is changing this project/);
    assert.ok(pageShows(project, "built twice at once"));
    assertPublishable(project, 0);
    assertSearchWhole(project, readdirSync(path.join(project.dir, "dist/comments/interstice")).length);
    assert.equal(existsSync(path.join(project.dir, LOCK_FILE)), false, "the lock is released");
  });

  test("an import and a build started together do not interleave", async () => {
    editExport(project, "imported beside a build");
    const [imported, built] = await Promise.all([project.run("import"), project.run("build")]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(built.code, 0, built.stderr);
    assert.ok(pageShows(project, "imported beside a build"));
    assertPublishable(project, 0);
  });

  test("beside a running dev server, a build stops at once and says why", async () => {
    // This test's own process stands for the server: a live process holding the lock for `start`.
    const lock = path.join(project.dir, LOCK_FILE);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, command: "start" }));
    const before = await snapshot(path.join(project.dir, "dist"));
    try {
      const built = await project.run("build");
      assert.equal(built.code, 1);
      assert.match(built.stderr, /^error: another command holds this project: `npm start` \(pid \d+\)\. Stop it first/m);
      assert.deepEqual(await snapshot(path.join(project.dir, "dist")), before);
    } finally {
      rmSync(lock, { force: true });
    }
  });

  test("a lock left by a killed command is taken over", async () => {
    const dead = spawn(process.execPath, ["-e", ""]);
    const pid = dead.pid;
    await new Promise((resolve) => dead.once("exit", resolve));
    writeFileSync(path.join(project.dir, LOCK_FILE), JSON.stringify({ pid, command: "build" }));
    const built = await project.run("build");
    assert.equal(built.code, 0, built.stderr);
    assert.doesNotMatch(built.stdout, /waiting/);
  });
});

/** Runs `command`; false (and the reason, for the skip message) where this machine does not allow it. */
function tryRun(command: string, args: readonly string[]): { ok: true } | { ok: false; reason: string } {
  try {
    execFileSync(command, args, { stdio: "pipe" });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: String((error as { stderr?: Buffer }).stderr ?? error).trim() };
  }
}

describe("a file system that refuses the build", () => {
  const mountPoint = path.join(PROJECT_ROOT, "test/output/small-disk");
  let mounted: { ok: true } | { ok: false; reason: string } = { ok: false, reason: "not tried" };

  before(() => {
    mkdirSync(mountPoint, { recursive: true });
    mounted = tryRun("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", mountPoint]);
  });
  after(() => {
    if (mounted.ok) tryRun("umount", ["-l", mountPoint]);
  });

  /** Fills the disk so that `free` bytes are left, in a file removed by `release`. */
  function fill(free: number): () => void {
    const filler = path.join(mountPoint, "filler");
    const { bavail, bsize } = statfsSync(mountPoint);
    const size = Math.max(0, bavail * bsize - free);
    execFileSync("fallocate", ["-l", String(size), filler]);
    return () => rmSync(filler, { force: true });
  }

  test("a full disk at any point of an update: exit 1, one error line, content/, dist/ and the ledger as they were", async (t) => {
    if (!mounted.ok) return t.skip(`cannot mount a small tmpfs here (${mounted.reason})`);
    const project = await copyProject(mountPoint);
    t.after(() => project.remove());
    const first = await project.run("build");
    assert.equal(first.code, 0, first.stderr);
    // From no space at all to enough for most of an update: the build fails at a different stage each time.
    for (const free of [0, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024]) {
      editExport(project, `edited with ${free} bytes free`);
      const content = await snapshot(path.join(project.dir, "content/archive"));
      const dist = await snapshot(path.join(project.dir, "dist"));
      const ledger = readFileSync(path.join(project.dir, "archives/urls.json"), "utf8");
      const release = fill(free);
      const built = await project.run("build");
      release();
      if (built.code === 0) {
        assert.ok(pageShows(project, `edited with ${free} bytes free`), "a build that succeeds publishes the change");
      } else {
        assert.equal(built.code, 1, `${free} bytes free: ${built.stderr}`);
        const errors = built.stderr.split("\n").filter((line) => line.startsWith("error: "));
        assert.equal(errors.length, 1, built.stderr);
        assert.match(errors[0] ?? "", /no space is left on its device: free some space and run the command again/, built.stderr);
        assert.deepEqual(await snapshot(path.join(project.dir, "content/archive")), content, `${free} bytes free: content/ as it was`);
        assert.deepEqual(await snapshot(path.join(project.dir, "dist")), dist, `${free} bytes free: dist/ as it was`);
        assert.equal(readFileSync(path.join(project.dir, "archives/urls.json"), "utf8"), ledger);
      }
      assertPublishable(project, 0);
      // With room again, the next build completes the change.
      const again = await project.run("build");
      assert.equal(again.code, 0, again.stderr);
      assert.ok(pageShows(project, `edited with ${free} bytes free`));
    }
  });

  test("a read-only site: exit 1, one error line naming the path, nothing changed", async (t) => {
    const project = await copyProject();
    const first = await project.run("build");
    assert.equal(first.code, 0, first.stderr);
    const site = realpathSync(path.join(project.dir, "dist"));
    const readOnly = tryRun("mount", ["--bind", site, site]);
    // The mount goes before the copy: a folder under a mount cannot be removed.
    t.after(async () => {
      if (readOnly.ok) tryRun("umount", ["-l", site]);
      await project.remove();
    });
    if (!readOnly.ok) return t.skip(`cannot bind-mount here (${readOnly.reason})`);
    const remounted = tryRun("mount", ["-o", "remount,bind,ro", site]);
    if (!remounted.ok) return t.skip(`cannot remount read-only here (${remounted.reason})`);
    editExport(project, "edited on a read-only site");
    const content = await snapshot(path.join(project.dir, "content/archive"));
    const dist = await snapshot(path.join(project.dir, "dist"));
    const built = await project.run("build");
    assert.equal(built.code, 1, built.stdout + built.stderr);
    const errors = built.stderr.split("\n").filter((line) => line.startsWith("error: "));
    assert.equal(errors.length, 1, built.stderr);
    // A read-only mount over the site is also a mount point: renaming out of it fails first.
    assert.match(errors[0] ?? "", /^error: could not write dist\/\S+: (its file system is read-only|it is on another file system than the project \(a mount point, or a read-only mount\))/);
    assert.deepEqual(await snapshot(path.join(project.dir, "content/archive")), content);
    assert.deepEqual(await snapshot(path.join(project.dir, "dist")), dist);
    assert.ok(lstatSync(path.join(project.dir, "dist")).isSymbolicLink());
  });
});
