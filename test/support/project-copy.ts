// A throw-away copy of the project to run the real commands in, so tests never touch the working tree's content/ or dist/.
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
const COPIED = ["package.json", "tsconfig.json", ".eleventy.ts", "site.config.json", "scripts", "_includes", "archives"];

export interface ProjectCopy {
  dir: string;
  /** Runs `npx tsx scripts/<script>.ts ...args` in the copy; never throws, returns the exit code and output. */
  run(script: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

export async function copyProject(): Promise<ProjectCopy> {
  const dir = await mkdtemp(path.join(tmpdir(), "commentarium-"));
  for (const entry of COPIED) await cp(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  // Templates only: the generated pages under content/archive are what each test makes itself.
  const generated = path.join(PROJECT_ROOT, "content", "archive");
  await cp(path.join(PROJECT_ROOT, "content"), path.join(dir, "content"), { recursive: true, filter: (src) => src !== generated && !src.startsWith(generated + path.sep) });
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
