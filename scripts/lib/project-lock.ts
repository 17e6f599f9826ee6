// One command at a time changes a project's content/, dist/ and ledger: the others wait, or stop when the holder never ends.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export const LOCK_FILE = ".cache/project.lock";

/** Who holds the lock; `started` tells a live holder from an unrelated process that got its pid later. */
interface LockHolder {
  readonly pid: number;
  readonly command: string;
  readonly started: string | undefined;
}

/** Commands that hold the lock until the user stops them: waiting for one would never end. */
const LONG_RUNNING = new Set(["start"]);

export class ProjectLockedError extends Error {
  constructor(holder: LockHolder) {
    super(
      `another command holds this project: \`npm ${holder.command === "start" ? "start" : `run ${holder.command}`}\` (pid ${holder.pid}). ` +
        `Stop it first (Ctrl+C in its terminal, or \`kill ${holder.pid}\`); two commands at once would mix their sites.`,
    );
    this.name = "ProjectLockedError";
  }
}

/** The kernel's start time of `pid` (clock ticks since boot), or undefined where /proc does not tell. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; the start time is the 22nd field of the line.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const started = processStart(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof holder.pid !== "number" || typeof holder.command !== "string") return undefined;
    return { pid: holder.pid, command: holder.command, started: typeof holder.started === "string" ? holder.started : undefined };
  } catch {
    return undefined;
  }
}

/** Creates the lock file only if there is none; false when another holder has it. */
function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new Error(`could not create the lock file ${file}`, { cause: error });
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a lock whose holder is gone. It is first renamed to a name of this process's own, so
 * that of two commands finding the same dead holder only one removes it; a live lock taken by
 * mistake (another command replaced the dead one meanwhile) is put back.
 */
function removeDeadLock(file: string, dead: LockHolder): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  const moved = readHolder(aside);
  if (moved === undefined || (moved.pid === dead.pid && moved.started === dead.started)) rmSync(aside, { force: true });
  else renameSync(aside, file);
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ProjectLock {
  release(): void;
}

/**
 * Takes the project's lock for `command` (`build`, `import`, `check-links`, `start`), in the
 * project at `root`. While another one-shot command holds it, waits (saying so once); while a dev
 * server holds it, throws ProjectLockedError. A lock left by a killed command is taken over. The
 * lock is released when the process exits, however it exits short of SIGKILL.
 */
export async function lockProject(command: string, { root = ".", say = (line: string) => console.log(line) }: { root?: string; say?: (line: string) => void } = {}): Promise<ProjectLock> {
  const file = path.join(root, LOCK_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const me: LockHolder = { pid: process.pid, command, started: processStart(process.pid) };
  let announced = false;
  while (!tryCreate(file, me)) {
    const holder = readHolder(file);
    if (holder === undefined) {
      // Created but not yet written by its holder, or a damaged file: give a writer a moment.
      await wait(100);
      const again = readHolder(file);
      if (again === undefined) removeDeadLock(file, { pid: -1, command: "", started: undefined });
      continue;
    }
    if (!isAlive(holder)) {
      removeDeadLock(file, holder);
      continue;
    }
    if (LONG_RUNNING.has(holder.command)) throw new ProjectLockedError(holder);
    if (!announced) say(`waiting: \`npm run ${holder.command}\` (pid ${holder.pid}) is changing this project; this command goes on when it ends`);
    announced = true;
    await wait(200);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off("exit", release);
    const holder = readHolder(file);
    if (holder?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on("exit", release);
  return { release };
}
