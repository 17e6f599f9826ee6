// Shared by the import tests: temp dirs, reading back a written content tree, splitting pages into front matter and body.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { MANIFEST_FILE } from "../../scripts/lib/content/manifest.ts";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const SAMPLE_ARCHIVE = path.join(REPO_ROOT, "archives/interstice.md");

/** A fresh temp dir, removed when the test (or suite) `t` ends. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = "commentarium-import-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file below `dir` (relative paths with `/`), sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

/** The pages below a content dir: every file but the import's manifest. */
export function listPages(dir: string): string[] {
  return listFiles(dir).filter((file) => file !== MANIFEST_FILE);
}

export interface FileState {
  bytes: string;
  mtimeMs: number;
  ino: number;
}

/** Bytes (base64), modification time and inode of every file below `dir`: equal snapshots mean nothing was touched. */
export function snapshot(dir: string): Map<string, FileState> {
  const files = new Map<string, FileState>();
  for (const rel of listFiles(dir)) {
    const full = path.join(dir, rel);
    const stat = statSync(full);
    files.set(rel, { bytes: readFileSync(full).toString("base64"), mtimeMs: stat.mtimeMs, ino: stat.ino });
  }
  return files;
}

export interface Page {
  frontMatter: Record<string, unknown>;
  /** The Markdown after the front matter; absent for pages without a body (thread pages). */
  body?: string;
}

/**
 * Splits a written page. The format is strict: `---\n<yaml>---\n`, then nothing or a blank
 * line, the body, and one final newline. Anything else fails the calling test.
 */
export function splitPage(text: string, name = "page"): Page {
  assert.ok(text.startsWith("---\n"), `${name}: starts with ---`);
  const end = text.indexOf("\n---\n", 3);
  assert.notEqual(end, -1, `${name}: front matter is closed by ---`);
  const frontMatter: unknown = parse(text.slice(4, end + 1));
  assert.ok(frontMatter !== null && typeof frontMatter === "object" && !Array.isArray(frontMatter), `${name}: front matter is a mapping`);
  const rest = text.slice(end + 5);
  if (rest === "") return { frontMatter: frontMatter as Record<string, unknown> };
  assert.ok(rest.startsWith("\n") && rest.endsWith("\n") && rest.length >= 2, `${name}: body is set off by a blank line and ends with a newline`);
  return { frontMatter: frontMatter as Record<string, unknown>, body: rest.slice(1, -1) };
}

/** Every page below a content dir, split, keyed by relative path. */
export function readPages(contentDir: string): Record<string, Page> {
  const pages: Record<string, Page> = {};
  for (const rel of listPages(contentDir)) pages[rel] = splitPage(readFileSync(path.join(contentDir, rel), "utf8"), rel);
  return pages;
}

/** Whitespace-separated words, sorted: equal multisets mean no word was lost, added or changed. */
export function wordMultiset(text: string): string[] {
  return text.split(/\s+/u).filter((w) => w !== "").sort();
}

/** The fixture cases under `dir`: one folder each. */
export function fixtureCases(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** A case's inputs, in order: as `files.json` lists them, else `input.*`, `input-1.*`, `input-2.*`, ... */
export function inputNames(dir: string): string[] {
  const listed = path.join(dir, "files.json");
  if (existsSync(listed)) return JSON.parse(readFileSync(listed, "utf8")) as string[];
  const number = (name: string): number => Number(/^input-(\d+)\./.exec(name)?.[1] ?? 0);
  return readdirSync(dir)
    .filter((name) => /^input(-\d+)?\.\w+$/.test(name))
    .sort((a, b) => number(a) - number(b));
}

function decodable(bytes: Buffer): string | undefined {
  if (bytes.length === 0 || bytes.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A copy of the case's inputs with line endings and BOM rewritten; undecodable or missing inputs are copied (or left missing) as they are. */
export function rewrittenInputs(t: { after: (fn: () => void) => void }, dir: string, names: string[], style: "lf" | "crlf-bom"): string {
  const copy = tempDir(t);
  for (const name of names) {
    const from = path.join(dir, name);
    if (!existsSync(from)) continue;
    const text = decodable(readFileSync(from));
    if (text === undefined) {
      copyFileSync(from, path.join(copy, name));
      continue;
    }
    const lf = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    writeFileSync(path.join(copy, name), style === "lf" ? lf : `\uFEFF${lf.replace(/\n/g, "\r\n")}`);
  }
  return copy;
}
