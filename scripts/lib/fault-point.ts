// Named points between a build's stages where the crash tests kill it, to prove a kill anywhere loses nothing.
/** The stages a build passes, in order (an update indexes after its swap, a whole build before). */
export type BuildStage = "import" | "render" | "index" | "swap" | "ledger" | "commit";

/** The variable the crash tests set to the stage a build must die at; nothing else reads it. */
export const KILL_AT_VARIABLE = "COMMENTARIUM_TEST_KILL_AT";

/** Dies at once, as a power cut or `kill -9` would, when the crash tests asked for this stage. */
export function faultPoint(stage: BuildStage): void {
  if (process.env[KILL_AT_VARIABLE] === stage) process.kill(process.pid, "SIGKILL");
}
