// Shared by the browser tests: a real `build` in a project copy, served over HTTP, and the facts to check pages against.
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { splitPage } from "../../scripts/lib/site/load-archive.ts";
import type { CommentPage } from "../../scripts/lib/content/pages.ts";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";
import { serveStatic, type StaticSite } from "../support/static-server.ts";

export interface BuiltSite {
  copy: ProjectCopy;
  site: StaticSite;
  /** Every comment the build published, as the import wrote it. */
  comments: (CommentPage & { text: string })[];
  /** The build's standard output. */
  output: string;
  close(): Promise<void>;
}

/** A busy thread of the sample, whose pages the browser tests look at. */
export const SAMPLE_THREAD = "Parsing Chris Mingard on Neural Networks";

/** The comment whose page, thread, author and month the browser tests look at: the longest in SAMPLE_THREAD. */
export function sampleComment(built: BuiltSite): BuiltSite["comments"][number] {
  const inThread = built.comments.filter((c) => c.thread.title === SAMPLE_THREAD);
  if (inThread.length === 0) throw new Error(`the sample has no comments in "${SAMPLE_THREAD}"`);
  return inThread.reduce((longest, c) => (c.text.length > longest.text.length ? c : longest));
}

/**
 * A second, small export added to the sample: another author, and comments in 2019 and 2020 (the
 * sample's are all from 2021), one in a sample thread, so the author and year filters have
 * something to tell apart.
 */
export const EXTRA_EXPORT = `## Posts

## Comments

**Search Tester**on Parsing Chris Mingard on Neural Networks · 2019-03-04T05:06:07.000Z · LW · GW

Quasicrystal tessellations have nothing to do with neural networks, but this comment is here to be found.

**Search Tester**on Parsing Chris Mingard on Neural Networks · 2020-11-12T13:14:15.000Z · LW · GW

A later note on neural networks and quasicrystal tilings, from another year.

**Search Tester**on A Thread Only the Search Tests Have · 2019-08-09T10:11:12.000Z · LW · GW

Penrose tilings are aperiodic; this comment is the only one in its thread.
`;

async function readComments(contentDir: string): Promise<BuiltSite["comments"]> {
  const entries = await readdir(path.join(contentDir, "comments"), { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith(".md")).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(
    files.map(async (file) => {
      const { data, body } = splitPage(await readFile(file, "utf8"), file);
      return { ...(data as CommentPage), text: body };
    }),
  );
}

/**
 * Runs `npm run build`'s script on the sample (plus EXTRA_EXPORT when `extra`; or on `archives`)
 * in a new project copy with `env`; the copy is removed when the build fails.
 */
export async function buildSampleCopy(env: NodeJS.ProcessEnv, options: { extra?: boolean; archives?: readonly string[] } = {}): Promise<{ copy: ProjectCopy; output: string }> {
  const copy = await copyProject();
  try {
    const args: string[] = (options.archives ?? []).flatMap((file) => ["--archive", file]);
    if (options.extra) {
      await writeFile(path.join(copy.dir, "archives/search-tester.md"), EXTRA_EXPORT);
      args.push("--archive", "archives/interstice.md", "--archive", "archives/search-tester.md");
    }
    const built = await copy.run("build", args, env);
    assert.equal(built.code, 0, `build failed:\n${built.stdout}\n${built.stderr}`);
    return { copy, output: built.stdout };
  } catch (error) {
    await copy.remove();
    throw error;
  }
}

/** Builds the sample (plus EXTRA_EXPORT when `extra`; or `archives`) with `npm run build`'s script and serves dist/ under the path prefix. */
export async function buildSite(options: { pathPrefix?: string; extra?: boolean; archives?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): Promise<BuiltSite> {
  const pathPrefix = options.pathPrefix ?? "/";
  const { copy, output } = await buildSampleCopy({ ...options.env, SITE_PATH_PREFIX: pathPrefix }, options);
  try {
    const comments = await readComments(path.join(copy.dir, "content/archive"));
    const site = await serveStatic(path.join(copy.dir, "dist"), pathPrefix);
    return {
      copy,
      site,
      comments,
      output,
      async close() {
        await site.close();
        await copy.remove();
      },
    };
  } catch (error) {
    await copy.remove();
    throw error;
  }
}

/** Runs axe-core (from node_modules, no CDN) on the page and returns its violations, summarised for an assertion message. */
export async function axeViolations(page: Page, options: { rules?: string[] } = {}): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  await page.addScriptTag({ path: path.resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js") });
  const runOnly = options.rules;
  return page.evaluate(async (rules) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, rules ? { runOnly: { type: "rule", values: rules } } : { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  }, runOnly);
}
