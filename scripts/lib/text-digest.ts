// A digest of a text, for the many short texts the import and the render plan digest.
import { createHash, hash } from "node:crypto";

/** crypto.hash costs a third of createHash for short texts, and 100,000 pages make many; Node before 20.12 lacks it. */
export function textDigest(algorithm: "sha1" | "sha256", text: string): string {
  return typeof hash === "function" ? hash(algorithm, text, "base64url") : createHash(algorithm).update(text).digest("base64url");
}
