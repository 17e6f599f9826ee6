// One fetch at a time per output file: two would race on its temp file. A lock left by a killed run is taken over.
import { readFileSync, rmSync } from "node:fs";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";

export interface OutputLock {
  release(): Promise<void>;
  /** For a signal handler, which cannot wait. */
  releaseNow(): void;
}

/** Takes `${file}.lock` for this process. */
export async function lockOutputFile(file: string): Promise<OutputLock> {
  const lock = `${file}.lock`;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(lock, { force: true }), releaseNow: () => rmSync(lock, { force: true }) };
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot create the lock file ${lock}`, { cause });
    }
    const holder = Number((await readFile(lock, "utf8").catch(() => "")).trim());
    if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
      throw new Error(`another fetch (process ${holder}) is writing ${file}; wait for it to finish, or delete ${lock} if it is gone`);
    }
    await rm(lock, { force: true });
  }
  throw new Error(`cannot take the lock file ${lock}: another fetch keeps creating it`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process stays signalable until its parent reaps it; on Linux, its state says it is a zombie.
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}
