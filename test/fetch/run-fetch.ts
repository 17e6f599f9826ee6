// Runs the real command, `tsx scripts/fetch.ts …`, as a child process, optionally killing it part-way.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
const FETCH = path.join(REPO_ROOT, "scripts", "fetch.ts");

export interface FetchRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fast settings for tests: no pause between requests, short back-off. */
export const FAST = ["--delay", "0", "--backoff", "0.02", "--timeout", "10"];

export function runFetch(cwd: string, args: readonly string[], killWhen?: (kill: (signal?: NodeJS.Signals) => void) => void, env: NodeJS.ProcessEnv = {}): Promise<FetchRun> {
  return new Promise((resolve, reject) => {
    // Its own process group: tsx runs the script in a child process, and a kill must reach both, as a crash or Ctrl-C would.
    const child = spawn(TSX, [FETCH, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const kill = (signal: NodeJS.Signals = "SIGKILL"): void => {
      try {
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => kill(), 60_000);
    killWhen?.(kill);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** A fresh temp dir; the returned function removes it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "commentarium-fetch-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
