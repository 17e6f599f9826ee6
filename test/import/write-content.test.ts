// Writing pages: YAML front matter that round-trips any text, re-runs that touch nothing, bounded file handles.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";
import { renderArchive } from "../../scripts/lib/archive/render-archive.ts";
import { renderPage } from "../../scripts/lib/content/render-page.ts";
import { writeContent } from "../../scripts/lib/content/write-content.ts";
import { importArchives } from "../../scripts/lib/import-archives.ts";
import { ImportMemory } from "../../scripts/lib/import-memory.ts";
import { ledgerFile, writeLedger } from "../../scripts/lib/ledger/ledger.ts";
import { listFiles, readPages, REPO_ROOT, SAMPLE_ARCHIVE, snapshot, splitPage, tempDir } from "./helpers.ts";

const EVIL_TITLE = `Front matter: "x" #y --- layout: evil [a] {b} &c *d`;
const EVIL_NAME = `"Name": #not-a-comment --- [x] {y} &anchor !tag | > % @ \`b\` 'q' \\ ~ null`;

describe("front matter", () => {
  test("a hostile title and display name round-trip exactly through the written page", async (t) => {
    const dir = tempDir(t);
    const input = path.join(dir, "export.md");
    const body = "---\nlayout: evil\n---\n\nBody text.";
    writeFileSync(input, renderArchive([{ author: { username: "evil_user", name: EVIL_NAME }, postedAt: "2021-08-01T00:00:00.000Z", threadTitle: EVIL_TITLE, body }]));
    const content = path.join(dir, "content");
    await importArchives([input], content);
    const pages = readPages(content);
    assert.deepEqual(Object.keys(pages).sort(), ["comments/evil_user/20210801-000000-000.md", "threads/front-matter-x-y-layout-evil-a-b-and-c-d.md"]);
    const comment = pages["comments/evil_user/20210801-000000-000.md"];
    assert.deepEqual(comment?.frontMatter.author, { username: "evil_user", name: EVIL_NAME, slug: "evil_user" });
    assert.deepEqual(comment?.frontMatter.thread, { title: EVIL_TITLE, slug: "front-matter-x-y-layout-evil-a-b-and-c-d" });
    assert.equal(comment?.frontMatter.layout, undefined, "nothing from the title or body got into the front matter");
    assert.equal(comment?.body, body);
    assert.equal(pages["threads/front-matter-x-y-layout-evil-a-b-and-c-d.md"]?.frontMatter.title, EVIL_TITLE);
  });

  test("property: any strings round-trip through renderPage and the yaml parser", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("null", "~", "true", "no", "123", "0x1F", "1e3", "2021-06-19", "---", "...", "- a", "? x", ": y", "#", "'", '"', "\n", " lead", "trail ", "a: b", "[a]", "{b}", "&c", "*d", "!e", "%f", "@g", "`h`", "|", ">"));
    fc.assert(
      fc.property(text, text, fc.string(), (title, name, body) => {
        const frontMatter = { title, author: { name, username: "u" }, date: "2021-01-01T00:00:00.000Z", nested: [title, { name }] };
        const page = splitPage(renderPage(frontMatter, body.trim() === "" ? "" : body));
        assert.deepEqual(page.frontMatter, frontMatter);
        if (body.trim() !== "") assert.equal(page.body, body);
      }),
      { numRuns: 500 },
    );
  });

  test("a page is front matter between --- lines, a blank line, the body and a final newline", () => {
    assert.equal(renderPage({ a: "b" }, "Body"), "---\na: b\n---\n\nBody\n");
    assert.equal(renderPage({ a: "b" }), "---\na: b\n---\n");
    assert.equal(parse(renderPage({ t: EVIL_TITLE }).split("---\n")[1] ?? "").t, EVIL_TITLE);
  });
});

describe("re-running the import", () => {
  test("on the same input changes nothing: same bytes, same mtimes, same files", async (t) => {
    const dir = tempDir(t);
    const content = path.join(dir, "content", "archive");
    const first = await importArchives([SAMPLE_ARCHIVE], content);
    assert.equal(first.pages.written, 73);
    const before = snapshot(content);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await importArchives([SAMPLE_ARCHIVE], content);
    assert.deepEqual(second.pages, { written: 0, unchanged: 73, removed: 0, changed: [] });
    assert.deepEqual(snapshot(content), before);
    assert.deepEqual(listFiles(dir).filter((f) => !f.startsWith("content/archive/")), [], "no staging or backup dirs left behind");
  });

  test("after one comment changed, only its page is rewritten; the others keep bytes and mtimes", async (t) => {
    const dir = tempDir(t);
    const content = path.join(dir, "content");
    const input = path.join(dir, "export.md");
    const original = readFileSync(SAMPLE_ARCHIVE, "utf8");
    writeFileSync(input, original);
    await importArchives([input], content);
    const before = snapshot(content);
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(input, original.replace("Killing 90% of the human population", "Killing ninety percent of the human population"));
    const result = await importArchives([input], content);
    assert.deepEqual(result.pages, { written: 1, unchanged: 72, removed: 0, changed: ["comments/interstice/20210619-153607-712.md"] });
    const after = snapshot(content);
    const changed = [...after.keys()].filter((f) => JSON.stringify(after.get(f)) !== JSON.stringify(before.get(f)));
    assert.deepEqual(changed, ["comments/interstice/20210619-153607-712.md", "manifest.tsv"]);
    assert.deepEqual([...after.keys()], [...before.keys()]);
  });

  test("a comment added at the top of an export writes its page alone, as a fresh import writes it", async (t) => {
    const dir = tempDir(t);
    const input = path.join(dir, "export.md");
    const original = readFileSync(SAMPLE_ARCHIVE, "utf8");
    writeFileSync(input, original);
    const content = path.join(dir, "content");
    await importArchives([input], content);
    const before = snapshot(content);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const added = "Comment by **interstice** on Parsing Chris Mingard on Neural Networks · 2021-07-01T00:00:00.000Z · LW · GW\n\nA new comment.\n\n";
    writeFileSync(input, original.replace("## Comments\n\n", `## Comments\n\n${added}`));
    const result = await importArchives([input], content);
    const fresh = path.join(dir, "fresh");
    await importArchives([input], fresh);
    assert.deepEqual(readPages(content), readPages(fresh), "the updated pages are those a fresh import writes");

    const after = snapshot(content);
    const changed = [...after.keys()].filter((f) => JSON.stringify(after.get(f)) !== JSON.stringify(before.get(f)));
    assert.deepEqual(changed, ["comments/interstice/20210701-000000-000.md", "manifest.tsv"], "every later comment moved down a few lines, and its page did not change");
    assert.deepEqual(result.pages, { written: 1, unchanged: 73, removed: 0, changed: ["comments/interstice/20210701-000000-000.md"] });
  });

  test("a renamed export rewrites its pages, in place when their length is kept, as a fresh import writes them", async (t) => {
    const dir = tempDir(t);
    const original = readFileSync(SAMPLE_ARCHIVE, "utf8");
    const content = path.join(dir, "content");
    writeFileSync(path.join(dir, "export.md"), original);
    await importArchives([path.join(dir, "export.md")], content);
    const pageFiles = [...snapshot(content).keys()].filter((f) => f !== "manifest.tsv");
    const commentFiles = pageFiles.filter((f) => f.startsWith("comments/"));

    // Each import names the export by another name: first as long as the last, then longer.
    for (const [name, sameFiles] of [["import.md", commentFiles.length], ["exported.md", 0]] as const) {
      const before = snapshot(content);
      const input = path.join(dir, name);
      writeFileSync(input, original);
      const result = await importArchives([input], content);
      const fresh = path.join(dir, `fresh-${name}`);
      await importArchives([input], fresh);
      assert.deepEqual(readPages(content), readPages(fresh), `${name}: the updated pages are those a fresh import writes`);
      const after = snapshot(content);
      assert.deepEqual([...result.pages.changed].sort(), commentFiles, `${name}: every comment's page names its export`);
      const inPlace = commentFiles.filter((f) => after.get(f)?.ino === before.get(f)?.ino);
      assert.equal(inPlace.length, sameFiles, `${name}: pages of the same length are the same files, rewritten`);
      const again = await importArchives([input], content);
      assert.deepEqual(again.pages, { written: 0, unchanged: pageFiles.length, removed: 0, changed: [] }, `${name}: the manifest vouches for the rewritten pages`);
    }
  });

  test("many pages with few file handles: writing and re-checking stay within the limit", (t) => {
    const dir = tempDir(t);
    const script = path.join(dir, "write-many.mts");
    const writeContentUrl = new URL("../../scripts/lib/content/write-content.ts", import.meta.url).href;
    writeFileSync(
      script,
      `import { writeContent } from ${JSON.stringify(writeContentUrl)};
const pages = new Map();
for (let i = 0; i < 1500; i++) pages.set(\`comments/a\${i % 10}/p\${i}.md\`, \`page \${i}\\n\`);
const out = process.argv[2];
const results = [await writeContent(out, pages), await writeContent(out, pages)];
pages.set("comments/a1/new.md", "new\\n");
results.push(await writeContent(out, pages));
console.log(JSON.stringify(results.map(({ changed, ...counts }) => ({ ...counts, changed: changed.length }))));
`,
    );
    // A low limit, like macOS's default of 256 open files, well below the number of pages.
    const run = spawnSync("bash", ["-c", `ulimit -n 128 && exec "${process.execPath}" --import tsx "${script}" "${path.join(dir, "out")}"`], { cwd: REPO_ROOT, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [
      { written: 1500, unchanged: 0, removed: 0, changed: 1500 },
      { written: 0, unchanged: 1500, removed: 0, changed: 0 },
      { written: 1, unchanged: 1500, removed: 0, changed: 1 },
    ]);
  });

  test("writeContent replaces the directory with exactly the given pages", async (t) => {
    const dir = path.join(tempDir(t), "archive");
    await writeContent(dir, new Map([["threads/a.md", "A\n"], ["threads/b.md", "B\n"]]));
    const summary = await writeContent(dir, new Map([["threads/a.md", "A\n"], ["comments/x/1.md", "C\n"]]));
    assert.deepEqual(summary, { written: 1, unchanged: 1, removed: 1, changed: ["comments/x/1.md", "threads/b.md"] });
    assert.deepEqual(listFiles(dir), ["comments/x/1.md", "manifest.tsv", "threads/a.md"]);
    assert.equal(readFileSync(path.join(dir, "comments/x/1.md"), "utf8"), "C\n");
  });
});

describe("imports in one process (the dev server's), which keep what they read and wrote", () => {
  const original = readFileSync(SAMPLE_ARCHIVE, "utf8");
  const added = "**interstice**on SGD's Bias · 2021-07-01T00:00:00.000Z · LW · GW\n\nA new comment.\n\n";
  const versions: [string, string][] = [
    ["an edited comment", original.replace("Killing 90% of the human population", "Killing ninety percent of the human population")],
    ["an added comment", original.replace("## Comments\n\n", `## Comments\n\n${added}`)],
    ["a retitled thread", original.replaceAll("on Reply to Nate Soares on Dolphins ·", "on Reply to Nate Soares on Whales ·")],
    ["a comment removed", original.replace(/\*\*interstice\*\*on SGD's Bias · [^\n]*\n\n[^\n]*\n\n/, "")],
    ["the original again", original],
  ];

  /** The sample imported into a fresh directory by an import that keeps a memory. */
  async function importedWithMemory(t: Parameters<typeof tempDir>[0]): Promise<{ dir: string; input: string; content: string; memory: ImportMemory }> {
    const dir = tempDir(t);
    const input = path.join(dir, "export.md");
    const content = path.join(dir, "content");
    const memory = new ImportMemory();
    writeFileSync(input, original);
    await importArchives([input], content, { memory });
    return { dir, input, content, memory };
  }

  test("write exactly the pages a fresh import writes, change after change", async (t) => {
    const { dir, input, content, memory } = await importedWithMemory(t);
    for (const [change, text] of versions) {
      writeFileSync(input, text);
      const withMemory = await importArchives([input], content, { memory });
      const fresh = path.join(dir, `fresh-${versions.findIndex(([c]) => c === change)}`);
      await importArchives([input], fresh);
      assert.deepEqual(readPages(content), readPages(fresh), `after ${change}`);
      assert.equal(readFileSync(path.join(content, "manifest.tsv"), "utf8"), readFileSync(path.join(fresh, "manifest.tsv"), "utf8"), `the manifest after ${change}`);
      assert.ok(withMemory.pages.written > 0 && withMemory.pages.written < 5, `${change}: ${withMemory.pages.written} pages written`);
    }
  });

  test("rewrite an unchanged export's pages when another export's change renames their thread", async (t) => {
    const dir = tempDir(t);
    const content = path.join(dir, "content");
    const other = path.join(dir, "other.md");
    const memory = new ImportMemory();
    // No ledger: the sample's (archives/urls.json) keeps its thread's published slug, which is the point of it.
    const ledgerFile = path.join(dir, "urls.json");
    writeFileSync(other, "## Comments\n\n**bob**on Something else · 2021-01-01T00:00:00.000Z · LW · GW\n\nHello.\n");
    await importArchives([SAMPLE_ARCHIVE, other], content, { memory, ledgerFile });
    // A title that slugs the same and sorts first takes the plain slug: the sample's thread moves to a digest-suffixed one.
    writeFileSync(other, "## Comments\n\n**bob**on Reply to Nate Soares On Dolphins · 2021-01-01T00:00:00.000Z · LW · GW\n\nHello.\n");
    const result = await importArchives([SAMPLE_ARCHIVE, other], content, { memory, ledgerFile });
    const fresh = path.join(dir, "fresh");
    await importArchives([SAMPLE_ARCHIVE, other], fresh, { ledgerFile });
    assert.deepEqual(readPages(content), readPages(fresh));
    assert.ok(result.pages.changed.includes("comments/interstice/20210610-230022-624.md"), "the sample's comment on that thread names its new slug");
  });

  test("scan the content again once another process's import has rewritten it", async (t) => {
    const { dir, input, content, memory } = await importedWithMemory(t);
    // Another process imports an export without one comment: its pages are gone, the manifest rewritten.
    const fewer = path.join(dir, "fewer.md");
    writeFileSync(fewer, versions[3]?.[1] ?? "");
    const other = await importArchives([fewer], content);
    assert.equal(other.pages.removed, 2, "the comment's page and its thread's");
    const again = await importArchives([input], content, { memory });
    assert.deepEqual(again.pages.changed.sort(), other.pages.changed.sort(), "the removed pages are written again");
    const fresh = path.join(dir, "fresh");
    await importArchives([input], fresh);
    assert.deepEqual(readPages(content), readPages(fresh));
  });

  test("a page deleted by hand whose comment also left the export is no longer listed in the manifest", async (t) => {
    const dir = tempDir(t);
    const [input, content, fresh] = [path.join(dir, "export.md"), path.join(dir, "content"), path.join(dir, "fresh")];
    writeFileSync(input, original);
    await importArchives([input], content);
    writeFileSync(input, versions[3]?.[1] ?? "");
    await importArchives([input], fresh);
    const left = Object.keys(readPages(content)).filter((file) => !(file in readPages(fresh)));
    assert.ok(left.length > 0, "the removed comment's page");
    for (const file of left) rmSync(path.join(content, file));
    await importArchives([input], content);
    assert.equal(readFileSync(path.join(content, "manifest.tsv"), "utf8"), readFileSync(path.join(fresh, "manifest.tsv"), "utf8"));
  });

  test("a comment that moves to another export names that export, as a fresh import's page does", async (t) => {
    const dir = tempDir(t);
    const [one, two] = [path.join(dir, "one.md"), path.join(dir, "two.md")];
    const content = path.join(dir, "content");
    const ledgerFile = path.join(dir, "urls.json");
    const moving = "**bob**on T · 2021-01-01T00:00:00.000Z · LW · GW\n\nHello.\n\n";
    const staying = "**bob**on T · 2021-01-02T00:00:00.000Z · LW · GW\n\nAgain.\n\n";
    const memory = new ImportMemory();
    writeFileSync(one, `## Comments\n\n${moving}${staying}`);
    writeFileSync(two, `## Comments\n\n${staying}`);
    await importArchives([one, two], content, { memory, ledgerFile });
    // Same identity, text, author and thread: only the export it is read from changed.
    writeFileSync(one, `## Comments\n\n${staying}`);
    writeFileSync(two, `## Comments\n\n${moving}${staying}`);
    const result = await importArchives([one, two], content, { memory, ledgerFile });
    assert.deepEqual(result.pages.changed, ["comments/bob/20210101-000000-000.md"]);
    const fresh = path.join(dir, "fresh");
    await importArchives([one, two], fresh, { ledgerFile });
    assert.deepEqual(readPages(content), readPages(fresh));
  });

  test("an import that fails before changing the content says it changed nothing, and leaves the next import its memory", async (t) => {
    const { dir, input, content, memory } = await importedWithMemory(t);
    const changing: string[] = [];
    const importing = (why: string) => importArchives([input], content, { memory, onContentChanging: () => changing.push(why) });
    // An export caught half-written by an editor that truncates it first.
    writeFileSync(input, "");
    await assert.rejects(importing("empty export"), /file is empty/);
    // A new author's page that cannot be written: a file stands where their directory goes.
    writeFileSync(input, original.replace("## Comments\n\n", "## Comments\n\n**bob**on Something else · 2021-01-01T00:00:00.000Z · LW · GW\n\nHello.\n\n"));
    writeFileSync(path.join(content, "comments/bob"), "in the way");
    await assert.rejects(importing("page not written"), /nothing was changed there/);
    assert.deepEqual(changing, []);
    assert.notEqual(memory.content.recall(content), undefined, "the directory is still known without a scan");
    rmSync(path.join(content, "comments/bob"));
    const done = await importing("bob's comment");
    assert.deepEqual(changing, ["bob's comment"]);
    assert.deepEqual(done.pages.changed.sort(), ["comments/bob/20210101-000000-000.md", "threads/something-else.md"]);
    const fresh = path.join(dir, "fresh");
    await importArchives([input], fresh);
    assert.deepEqual(readPages(content), readPages(fresh));
  });

  test("an import after this process wrote the URL ledger takes what it wrote: the same result as reading the file", async (t) => {
    const { dir, input, content, memory } = await importedWithMemory(t);
    const ledger = path.join(dir, "urls.json");
    // A first import publishes, a second retitles a thread, and the process writes each ledger as a build does.
    for (const text of [original, versions[2]?.[1] ?? ""]) {
      writeFileSync(input, text);
      const result = await importArchives([input], content, { memory, ledgerFile: ledger });
      const written = ledgerFile(result.ledger.entries);
      await writeLedger(ledger, written.text);
      await memory.ledgerWritten(ledger, written);
    }
    // Then a comment and its thread leave, and the thread's first title comes back: several published URLs are stale.
    writeFileSync(input, versions[3]?.[1] ?? "");
    const remembered = await importArchives([input], content, { memory, ledgerFile: ledger });
    const fresh = path.join(dir, "fresh");
    const read = await importArchives([input], fresh, { ledgerFile: ledger });
    assert.ok(read.ledger.redirects.length + read.ledger.removed.length >= 3, "the ledger holds several moved or removed URLs");
    assert.deepEqual(remembered.ledger, read.ledger);
    assert.deepEqual(readPages(content), readPages(fresh));
  });
});
