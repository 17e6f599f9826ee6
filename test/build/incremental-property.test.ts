// Property: after any sequence of changes to an archive, an incremental build publishes, file for file, what a whole build of the same input publishes.
import assert from "node:assert/strict";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { compareTrees } from "../support/tree-compare.ts";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";

const EXPORT = "exports/profile.md";
const ARGS = ["--archive", EXPORT];
const AUTHORS = ["alice", "bob", "carol", "dave"] as const;
const START = Date.parse("2019-11-03T08:00:00.000Z");
const HOUR = 3_600_000;

interface ModelComment {
  readonly author: number;
  readonly instant: number;
  readonly thread: number;
  readonly body: string;
}

/** The input of a build: the comments, each thread's title and each author's display name (undefined: the username). */
interface Model {
  readonly comments: readonly ModelComment[];
  readonly titles: readonly string[];
  readonly names: readonly (string | undefined)[];
}

/** About 200 comments over two years and twelve threads, several a day at times, so pages, feeds and search shards all paginate. */
function initialModel(): Model {
  const comments: ModelComment[] = [];
  for (let i = 0; i < 200; i++) {
    comments.push({ author: (i * 7) % AUTHORS.length, instant: START + Math.floor(i * 87.3) * HOUR + (i % 5) * 61_000, thread: (i * 5) % 12, body: `Comment ${i} on ledgers, links and permanence.${i % 9 === 0 ? "\n\nA second paragraph with *emphasis*." : ""}` });
  }
  return { comments, titles: Array.from({ length: 12 }, (_, t) => `Thread ${String.fromCharCode(65 + t)} on Archives`), names: [undefined, "Bob Builder", undefined, "Dave D"] };
}

/** The model as a plain-text export (see docs/archive-format.md): newest first, as a profile page lists them. */
function exportText(model: Model): string {
  const headers = [...model.comments]
    .sort((a, b) => b.instant - a.instant)
    .map((c) => {
      const username = AUTHORS[c.author] as string;
      const name = model.names[c.author];
      const who = name === undefined ? username : `${name} (${username})`;
      return `**${who}**on ${model.titles[c.thread]} · ${new Date(c.instant).toISOString()} · LW · GW\n\n${c.body}\n`;
    });
  return `## Comments\n\n${headers.join("\n")}`;
}

type Change =
  | { readonly kind: "edit"; readonly at: number; readonly text: string }
  | { readonly kind: "retitle"; readonly thread: number; readonly text: string }
  | { readonly kind: "rename"; readonly author: number; readonly text: string }
  | { readonly kind: "add"; readonly author: number; readonly thread: number; readonly hours: number; readonly text: string }
  | { readonly kind: "remove"; readonly at: number }
  | { readonly kind: "reorder"; readonly at: number }
  | { readonly kind: "template" };

const words = fc.array(fc.constantFrom("ledger", "shard", "permalink", "archive", "émigré", "数据", "_x_", "`code`", "1.", "> quote"), { minLength: 1, maxLength: 6 }).map((w) => w.join(" "));

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant("edit" as const), at: fc.nat(), text: words }),
  fc.record({ kind: fc.constant("retitle" as const), thread: fc.nat(11), text: words }),
  fc.record({ kind: fc.constant("rename" as const), author: fc.nat(AUTHORS.length - 1), text: fc.constantFrom("Alice Liddell", "B. B.", "Carol Ruth", "Dave Dee") }),
  fc.record({ kind: fc.constant("add" as const), author: fc.nat(AUTHORS.length - 1), thread: fc.nat(11), hours: fc.nat(17_000), text: words }),
  fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("reorder" as const), at: fc.nat() }),
  fc.constant({ kind: "template" as const }),
);

/** The model after `c`: a comment's index is taken modulo their number, so every change applies to any model. */
function apply(model: Model, c: Change): Model {
  const n = model.comments.length;
  const replace = <T>(list: readonly T[], at: number, value: T): T[] => list.map((item, i) => (i === at ? value : item));
  switch (c.kind) {
    case "edit": {
      const at = c.at % n;
      return { ...model, comments: replace(model.comments, at, { ...(model.comments[at] as ModelComment), body: `Edited: ${c.text}` }) };
    }
    case "retitle":
      return { ...model, titles: replace(model.titles, c.thread, `${model.titles[c.thread]} (${c.text})`) };
    case "rename":
      return { ...model, names: replace(model.names, c.author, model.names[c.author] === c.text ? undefined : c.text) };
    case "add": {
      const instant = START + c.hours * HOUR + 123;
      if (model.comments.some((m) => m.author === c.author && m.instant === instant)) return model;
      return { ...model, comments: [...model.comments, { author: c.author, instant, thread: c.thread, body: `Added: ${c.text}` }] };
    }
    case "remove":
      return n <= 1 ? model : { ...model, comments: model.comments.filter((_, i) => i !== c.at % n) };
    case "reorder": {
      // Moves a comment to just after the next comment in time: a new instant (a new identity), and new neighbours on both sides.
      const sorted = [...model.comments].sort((a, b) => a.instant - b.instant);
      const moving = sorted[c.at % n] as ModelComment;
      const next = sorted[(c.at % n) + 1];
      if (next === undefined) return model;
      const instant = next.instant + 1;
      if (model.comments.some((m) => m.author === moving.author && m.instant === instant)) return model;
      return { ...model, comments: model.comments.map((m) => (m === moving ? { ...m, instant } : m)) };
    }
    case "template":
      return model;
  }
}

const TEMPLATE = "_includes/partials/neighbours.njk";

/** A change of what a template shows: the neighbour links' label, edited in place, once more each time. */
async function editTemplate(project: ProjectCopy): Promise<void> {
  const file = path.join(project.dir, TEMPLATE);
  const text = await readFile(file, "utf8");
  await writeFile(file, text.replace(/<span class="neighbours__label">Previous/, '<span class="neighbours__label">Previous ·'));
}

async function build(project: ProjectCopy, args: string[] = []): Promise<void> {
  const result = await project.run("build", [...ARGS, ...args]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
}

describe("incremental builds equal whole builds", () => {
  let updated: ProjectCopy;
  let whole: ProjectCopy;
  let pristine: string;

  before(async () => {
    [updated, whole] = await Promise.all([copyProject(), copyProject()]);
    pristine = await readFile(path.join(updated.dir, TEMPLATE), "utf8");
  });
  after(() => Promise.all([updated.remove(), whole.remove()]));

  /** Starts a sequence from the initial model in an empty project. */
  async function reset(model: Model): Promise<void> {
    for (const project of [updated, whole]) {
      await rm(path.join(project.dir, "content/archive"), { recursive: true, force: true });
      await rm(path.join(project.dir, ".cache"), { recursive: true, force: true });
      await rm(path.join(project.dir, "dist"), { recursive: true, force: true });
      await rm(path.join(project.dir, "exports"), { recursive: true, force: true });
      await mkdir(path.join(project.dir, "exports"), { recursive: true });
      await writeFile(path.join(project.dir, TEMPLATE), pristine);
    }
    await writeFile(path.join(updated.dir, EXPORT), exportText(model));
    await build(updated);
  }

  /**
   * A whole build of what `updated` was just built from: its export, its ledger and its templates,
   * in a project with no content/, no dist/ and no build state.
   */
  async function wholeBuildOfTheSame(): Promise<void> {
    for (const dir of ["content/archive", ".cache", "dist", "exports"]) await rm(path.join(whole.dir, dir), { recursive: true, force: true });
    await cp(path.join(updated.dir, "exports"), path.join(whole.dir, "exports"), { recursive: true });
    await cp(path.join(updated.dir, TEMPLATE), path.join(whole.dir, TEMPLATE));
    await build(whole, ["--full"]);
  }

  test("after every step of random sequences of edits, retitles, renames, additions, removals, reorders and template changes", { timeout: 20 * 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 2, maxLength: 4 }), async (changes) => {
        let model = initialModel();
        await reset(model);
        for (const [step, c] of changes.entries()) {
          model = apply(model, c);
          if (c.kind === "template") await editTemplate(updated);
          await writeFile(path.join(updated.dir, EXPORT), exportText(model));
          await build(updated);
          await wholeBuildOfTheSame();
          const result = await compareTrees(path.join(updated.dir, "dist"), path.join(whole.dir, "dist"));
          const differences = { onlyIncremental: result.onlyInFirst, onlyWhole: result.onlyInSecond, differing: result.differing.map((d) => `${d.file}: ${d.context[0]} | ${d.context[1]}`) };
          assert.deepEqual(differences, { onlyIncremental: [], onlyWhole: [], differing: [] }, `after step ${step + 1} of ${JSON.stringify(changes)}`);
        }
      }),
      // Each step is two real builds: a few sequences a run, different ones each run; a failure prints its seed to replay.
      { numRuns: 3, endOnFailure: true },
    );
  });

  test("after a template starts showing more of what its page receives, a change to it re-renders every page that shows it", async () => {
    let model = initialModel();
    await reset(model);
    // Neighbour links start to show the first words of the neighbour's text.
    const file = path.join(updated.dir, TEMPLATE);
    await writeFile(file, (await readFile(file, "utf8")).replaceAll("{{ previous.thread.title }}</bdi>", "{{ previous.thread.title }}</bdi> ({{ previous.text | shortText(40) }})"));
    await build(updated);
    model = apply(model, { kind: "edit", at: 17, text: "Rewritten from its first word" });
    await writeFile(path.join(updated.dir, EXPORT), exportText(model));
    await build(updated);
    await wholeBuildOfTheSame();
    const result = await compareTrees(path.join(updated.dir, "dist"), path.join(whole.dir, "dist"));
    assert.deepEqual(result.differing.map((d) => d.file), []);
    // The edited comment's next neighbour shows its new words: the comparison above covered a page that changed.
    const pages = await readdir(path.join(whole.dir, "dist/comments"), { recursive: true });
    let showing = 0;
    for (const page of pages.filter((p) => p.endsWith("index.html"))) if ((await readFile(path.join(whole.dir, "dist/comments", page), "utf8")).includes("(Edited: Rewritten")) showing++;
    assert.ok(showing >= 1, "no neighbour link shows the edited words");
  });
});
