// A throw-away copy of the project to run the real commands in, so tests never touch the working tree's content/ or dist/.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The repository's own files, as a user's clone has them (`.gitignore` included): tracked files
 * and new ones git does not ignore, so work not yet committed is what the tests run.
 */
async function repositoryFiles(): Promise<string[]> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split("\0").filter((file) => file !== "");
}

export interface ProjectCopy {
  dir: string;
  /** Runs `npx tsx scripts/<script>.ts ...args` in the copy; never throws, returns the exit code and output. */
  run(script: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

/** A copy in a new folder under `parent` (default: the system's temporary folder). */
export async function copyProject(parent = tmpdir()): Promise<ProjectCopy> {
  const dir = await mkdtemp(path.join(parent, "commentarium-"));
  const made = new Set<string>();
  for (const file of await repositoryFiles()) {
    const target = path.join(dir, file);
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    // A file deleted in the working tree but not yet in git's index is simply not copied.
    await cp(path.join(PROJECT_ROOT, file), target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
  await symlink(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return {
    dir,
    async run(script, args = [], env = {}) {
      const tsx = path.join(PROJECT_ROOT, "node_modules/.bin/tsx");
      try {
        const { stdout, stderr } = await run(tsx, [`scripts/${script}.ts`, ...args], { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
