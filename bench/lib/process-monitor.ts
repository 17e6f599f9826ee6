// Runs a command and measures it as a whole tree: wall time, and each process's peak memory and CPU, children included.
//
// GNU time and getrusage report the peak of the largest *waited-for* child only, and miss
// grandchildren that another process reaps (Pagefind's Node API spawns its own binary), so the
// tree is sampled from /proc instead: every process whose parent chain leads to the command.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

/** Linux's USER_HZ: /proc/<pid>/stat reports CPU time in these ticks (100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessPeak {
  pid: number;
  /** A readable name: `node scripts/build.ts`, `tsx wrapper`, `pagefind_extended --service`... */
  name: string;
  /** Largest VmHWM seen (the kernel's own high-water mark of resident memory), in bytes. */
  peakRssBytes: number;
  /** User + system CPU time, at the last sample that saw the process. */
  cpuSeconds: number;
  /** Seconds after the start when the process was first and last seen. */
  firstSeen: number;
  lastSeen: number;
}

export interface OutputLine {
  /** Seconds after the start at which the line arrived. */
  at: number;
  stream: "stdout" | "stderr";
  text: string;
}

/** One point of the memory curve: where the memory goes over time, not only its peak. */
export interface TimelinePoint {
  at: number;
  treeRssBytes: number;
  /** Current RSS of each live process, by name. */
  processes: Record<string, number>;
}

export interface RunMeasurement {
  command: string;
  exitCode: number;
  /** Set when the monitor killed the tree for going over the memory cap. */
  killed?: string;
  wallSeconds: number;
  /** Every process seen, largest peak first. */
  processes: ProcessPeak[];
  /** Highest sum of the current RSS of all live processes of the tree at one sample, in bytes. */
  treePeakRssBytes: number;
  samples: number;
  timeline: TimelinePoint[];
  output: OutputLine[];
}

interface ProcEntry {
  ppid: number;
  cpuTicks: number;
}

/** Parses /proc/<pid>/stat; the command name in parentheses may itself hold spaces and parentheses. */
function readStat(pid: number): ProcEntry | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // After the name: state(0) ppid(1) ... utime(11) stime(12).
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // the process exited between listing and reading
  }
}

function readMemory(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string): number | undefined => {
      const match = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
      return match === null ? undefined : Number(match[1]) * 1024;
    };
    const hwm = kb("VmHWM");
    const rss = kb("VmRSS");
    // Zombies and kernel threads have no memory lines.
    return hwm === undefined || rss === undefined ? undefined : { hwm, rss };
  } catch {
    return undefined;
  }
}

/** A name a reader recognises: for Node, the script it runs rather than `node`. */
export function processName(cmdline: string[], cwd: string): string {
  const [exe = "?", ...args] = cmdline;
  const base = path.basename(exe);
  if (base !== "node" && !base.startsWith("node")) return [base, ...args].join(" ").slice(0, 60);
  // tsx's launcher only starts a second Node process with its loader: name it so that it is not mistaken for the build.
  const launcher = args.findIndex((a) => /[/\\]\.bin[/\\]tsx$|[/\\]tsx[/\\]dist[/\\]cli\.m?js$/.test(a));
  if (launcher !== -1) return `tsx launcher (${scriptOf(args.slice(launcher + 1), cwd)})`;
  return `node ${scriptOf(args, cwd)}`;
}

function scriptOf(args: string[], cwd: string): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--require" || arg === "--import" || arg === "-r") i++;
    else if (!arg.startsWith("-")) return path.isAbsolute(arg) ? path.relative(cwd, arg) : arg;
  }
  return "(no script)";
}

function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
  } catch {
    return [];
  }
}

/** The root and all its live descendants, found by walking every process's parent id. */
function descendants(root: number): Map<number, ProcEntry> {
  const all = new Map<number, ProcEntry>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readStat(Number(name));
    if (entry !== undefined) all.set(Number(name), entry);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of all) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree = new Map<number, ProcEntry>();
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const entry = all.get(pid);
    if (entry === undefined) continue;
    tree.set(pid, entry);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export interface RunOptions {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Prefix for the progress lines this run prints. */
  label: string;
  sampleMs?: number;
  /** How often to print a "still running" line with the current memory; the build is quiet for minutes. */
  heartbeatSeconds?: number;
  /** Echo the command's own output lines (with their time) as they arrive. */
  echo?: boolean;
  /**
   * Kill the whole tree when its summed RSS goes above this: the machine is shared, and a
   * build that would swap it to death is a result ("needs more than N GB"), not a reason to take
   * other people's work down.
   */
  memoryCapBytes?: number;
  timelineSeconds?: number;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Runs the command to completion, sampling its process tree; never throws for a non-zero exit. */
export async function runMeasured(options: RunOptions): Promise<RunMeasurement> {
  const { command, args, cwd, label, sampleMs = 100, heartbeatSeconds = 15, echo = true, memoryCapBytes = Infinity, timelineSeconds = 5 } = options;
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const child = spawn(command, args, { cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  const root = child.pid;
  if (root === undefined) throw new Error(`could not start ${command}`);

  const peaks = new Map<number, ProcessPeak>();
  let treePeak = 0;
  let currentTree = 0;
  let samples = 0;
  let killed: string | undefined;
  const timeline: TimelinePoint[] = [];
  const sample = (): void => {
    const now = elapsed();
    let sum = 0;
    const current: Record<string, number> = {};
    const tree = descendants(root);
    for (const [pid, entry] of tree) {
      const memory = readMemory(pid);
      if (memory === undefined) continue;
      sum += memory.rss;
      let peak = peaks.get(pid);
      if (peak === undefined) {
        peak = { pid, name: "?", peakRssBytes: 0, cpuSeconds: 0, firstSeen: now, lastSeen: now };
        peaks.set(pid, peak);
      }
      // Re-read every time: a process may exec another program after it was first seen (sh -> node).
      const cmdline = readCmdline(pid);
      if (cmdline.length > 0) peak.name = processName(cmdline, cwd);
      peak.peakRssBytes = Math.max(peak.peakRssBytes, memory.hwm);
      peak.cpuSeconds = entry.cpuTicks / CLOCK_TICKS_PER_SECOND;
      peak.lastSeen = now;
      current[peak.name] = (current[peak.name] ?? 0) + memory.rss;
    }
    currentTree = sum;
    treePeak = Math.max(treePeak, sum);
    samples++;
    if (now >= (timeline.at(-1)?.at ?? -Infinity) + timelineSeconds) timeline.push({ at: now, treeRssBytes: sum, processes: current });
    if (sum > memoryCapBytes && killed === undefined) {
      killed = `tree RSS ${mb(sum)} went over the ${mb(memoryCapBytes)} cap at +${now.toFixed(0)} s`;
      console.log(`  [${label}] killing the run: ${killed}`);
      // Only the processes of this run, by id, children first so none is re-parented and missed.
      for (const pid of [...tree.keys()].reverse()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  };

  const output: OutputLine[] = [];
  const collect = (stream: "stdout" | "stderr", source: NodeJS.ReadableStream): Promise<void> =>
    new Promise((resolve) => {
      const lines = createInterface({ input: source });
      lines.on("line", (text) => {
        const line = { at: elapsed(), stream, text };
        output.push(line);
        if (echo) console.log(`  [${label} +${line.at.toFixed(1)}s]${stream === "stderr" ? " (stderr)" : ""} ${text}`);
      });
      lines.on("close", resolve);
    });
  const streams = Promise.all([collect("stdout", child.stdout), collect("stderr", child.stderr)]);

  sample();
  const sampler = setInterval(sample, sampleMs);
  const heartbeat = setInterval(() => {
    const biggest = [...peaks.values()].filter((p) => p.lastSeen >= elapsed() - 1).sort((a, b) => b.peakRssBytes - a.peakRssBytes)[0];
    console.log(`  [${label} +${elapsed().toFixed(0)}s] still running; tree RSS now ${mb(currentTree)}, largest peak so far ${biggest ? `${mb(biggest.peakRssBytes)} (${biggest.name})` : "-"}`);
  }, heartbeatSeconds * 1000);

  // A signal death is reported the way a shell does: 128 + the signal's number (137 for SIGKILL).
  const exitCode = await new Promise<number>((resolve) => child.on("close", (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : (os.constants.signals[signal] ?? 0)))));
  const wallSeconds = elapsed();
  clearInterval(sampler);
  clearInterval(heartbeat);
  await streams;

  const measurement: RunMeasurement = {
    command: [command, ...args].join(" "),
    exitCode,
    wallSeconds,
    processes: [...peaks.values()].sort((a, b) => b.peakRssBytes - a.peakRssBytes),
    treePeakRssBytes: treePeak,
    samples,
    timeline,
    output,
  };
  if (killed !== undefined) measurement.killed = killed;
  return measurement;
}
