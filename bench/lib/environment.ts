// What the figures were measured on: the machine, and which code (other engineers change the working tree as we measure).
import { execFileSync } from "node:child_process";
import os from "node:os";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  platform: string;
}

export interface CodeVersion {
  commit: string;
  /** Uncommitted paths in the working tree the copies were made from (`git status --porcelain`). */
  uncommitted: string[];
}

export function machineInfo(): Machine {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

export function codeVersion(root: string): CodeVersion {
  const git = (...args: string[]): string => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  return { commit: git("rev-parse", "--short", "HEAD") || "unknown", uncommitted: git("status", "--porcelain").split("\n").filter((l) => l !== "") };
}

/** The 1-minute load average: above ~0 it means someone else's work shared the cores with this run. */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0;
}
