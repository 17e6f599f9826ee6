// Property tests for JSON input: every shape people save the forum's comments in reads to the same records, and a
// comment given both as a text export and as API data is one comment, at the text export's URL, with the API's text.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { mergeArchives, type MergedArchive } from "../../scripts/lib/archive/merge.ts";
import { readArchive } from "../../scripts/lib/archive/read-archive.ts";
import type { CommentRecord, ParsedArchive } from "../../scripts/lib/archive/types.ts";
import { publishArchive } from "../../scripts/lib/published.ts";
import { tempDir } from "./helpers.ts";

type Json = Record<string, unknown>;

interface User {
  readonly _id: string;
  readonly username: string;
  readonly displayName: string | null;
  readonly slug: string;
}
interface Post {
  readonly _id: string;
  readonly title: string;
  readonly slug: string;
}

// Small pools, so that comments share authors and threads as a real archive's do. The padded username and
// title are trimmed by the reader in every shape; `*Ann*` and the titles with ` · `, `**` or a timestamp are
// what the text export's grammar has to cope with.
const USERS: readonly User[] = [
  { _id: "uInterstice000001", username: "interstice", displayName: "interstice", slug: "interstice" },
  { _id: "uWeiDai0000000002", username: "wei_dai", displayName: "Wei Dai", slug: "wei-dai" },
  { _id: "uZoe0000000000003", username: "Zoë", displayName: null, slug: "zoe" },
  { _id: "uAnnB000000000004", username: " ann.b ", displayName: "*Ann*", slug: "ann-b" },
];
const POSTS: readonly Post[] = [
  { _id: "pHomunculus000001", title: "The Homunculus Problem", slug: "the-homunculus-problem" },
  { _id: "pDots000000000002", title: "A · B · C", slug: "a-b-c" },
  { _id: "pUnicode000000003", title: "  Ünïcode “quotes” and **stars**  ", slug: "unicode-quotes-and-stars" },
  { _id: "pStamp00000000004", title: "Written 2021-01-01T00:00:00.000Z", slug: "written" },
];
const ORIGINS = ["https://www.lesswrong.com", "https://forum.effectivealtruism.org", "https://www.alignmentforum.org"];

const MARKDOWN = [
  "Plain text.",
  "Math: $x^2 + y^2$ and $$\\int_0^1 f(x)\\,dx$$",
  "A claim.[^1]\n\n[^1]: The note.",
  "> quoted\n\nreply",
  "[a link](/posts/abc/slug?commentId=xyz)",
  "- one\n- two",
  "```\n**interstice**on Code · 2021-01-01T00:00:00.000Z\n```",
  "   ",
];
const HTML = [
  "<p>Hello <em>world</em>.</p>",
  '<p>x<span class="footnote-reference" role="doc-noteref" id="fnrefa"><sup><a href="#fna">[1]</a></sup></span></p><ol class="footnote-section footnotes" role="doc-endnotes"><li class="footnote-item" id="fna"><p>Note.</p></li></ol>',
  '<p><mjx-container class="MathJax" jax="CHTML" role="math" aria-label="x^2">x2</mjx-container></p>',
  "<blockquote><p>Quoted.</p></blockquote><p>Reply.</p>",
  '<p><a href="/posts/abc/slug?commentId=xyz">relative</a> <a href="javascript:alert(1)">bad</a></p>',
  '<script>alert(1)</script><p onclick="x()">Text</p>',
  "",
];

const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null });
const words = fc.string({ unit: "grapheme", maxLength: 24 });
const markdownArb = fc.array(fc.oneof(fc.constantFrom(...MARKDOWN), words), { maxLength: 3 }).map((parts) => parts.join("\n\n"));
const htmlArb = fc.array(fc.oneof(fc.constantFrom(...HTML), words.map((w) => `<p>${w}</p>`)), { maxLength: 3 }).map((parts) => parts.join(""));
const idArb = fc.string({ unit: fc.constantFrom(..."abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"), minLength: 17, maxLength: 17 });
const MIN_MS = Date.UTC(2009, 1, 1);
const MAX_MS = Date.UTC(2025, 11, 31);
// Whole seconds too: the text export may then drop the milliseconds, and instants collide more often.
const instantArb = fc.oneof(fc.integer({ min: MIN_MS, max: MAX_MS }), fc.integer({ min: MIN_MS / 1000, max: MAX_MS / 1000 }).map((s) => s * 1000)).map((ms) => new Date(ms).toISOString());

/** A comment as the API returns it, and how a data export would store the same comment. */
interface Generated {
  readonly api: Json;
  readonly user: User;
  readonly post: Post | null;
  /** How the data export writes dates: as the API does, or as `{"$date": ...}` of an ISO string, epoch ms or `$numberLong`. */
  readonly dates: "iso" | "$date" | "epoch" | "numberLong";
  /** Whether the data export keeps the Markdown as `contents.originalContents` (as the database stores it). */
  readonly original: boolean;
}

const commentArb = fc.record({
  id: idArb,
  postedAt: instantArb,
  user: fc.constantFrom(...USERS),
  // `userId` beside a `user` without `_id`, as a query that asks for `userId` gets it; else `user._id`.
  userIdAside: fc.boolean(),
  post: fc.constantFrom<Post | null>(...POSTS, null),
  origin: fc.constantFrom(...ORIGINS),
  pageUrl: fc.constantFrom("given", "null", "absent"),
  contents: fc.oneof(fc.constant(null), fc.record({ markdown: nullable(markdownArb), html: nullable(htmlArb) }, { requiredKeys: [] })),
  htmlBody: fc.option(nullable(htmlArb), { nil: undefined }),
  fields: fc.record(
    {
      lastEditedAt: nullable(instantArb),
      parentCommentId: nullable(idArb),
      topLevelCommentId: nullable(idArb),
      baseScore: nullable(fc.integer({ min: -40, max: 400 })),
      voteCount: nullable(fc.nat({ max: 200 })),
      extendedScore: nullable(fc.record({ agreement: fc.integer({ min: -20, max: 60 }), agreementVoteCount: fc.nat({ max: 40 }) }, { requiredKeys: [] })),
      retracted: nullable(fc.boolean()),
      deleted: nullable(fc.boolean()),
      deletedReason: nullable(fc.constantFrom("Spam", "", "Off topic")),
      af: nullable(fc.boolean()),
      shortform: nullable(fc.boolean()),
      answer: fc.boolean(),
      descendentCount: nullable(fc.nat({ max: 30 })),
    },
    { requiredKeys: [] },
  ),
  dates: fc.constantFrom("iso", "$date", "epoch", "numberLong") as fc.Arbitrary<Generated["dates"]>,
  original: fc.boolean(),
});
type CommentSpec = typeof commentArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * The API comment of a spec. Its `_id` ends in its index: shrinking would otherwise make all ids equal, and a
 * repeated `_id` is a documented merge (overlapping pages), not the property under test.
 */
function build(spec: CommentSpec, index: number): Generated {
  const id = `${spec.id.slice(0, 14)}${String(index).padStart(3, "0")}`;
  const { user, post } = spec;
  const { _id: userId, ...userWithoutId } = user;
  // A deleted post: the API gives `post: null` and no pageUrl. Its postId is left out too, because a data export
  // whose Posts lack the post titles the thread "[post <postId>]" where the API says "[deleted post]" (documented).
  const pageUrl = spec.pageUrl === "given" && post !== null ? `${spec.origin}/posts/${post._id}/${post.slug}?commentId=${id}` : spec.pageUrl === "absent" ? undefined : null;
  const api: Json = {
    _id: id,
    postedAt: spec.postedAt,
    ...(spec.userIdAside ? { userId, user: userWithoutId } : { user }),
    ...(post === null ? { post: null } : { postId: post._id, post }),
    ...(pageUrl === undefined ? {} : { pageUrl }),
    contents: spec.contents,
    ...(spec.htmlBody === undefined ? {} : { htmlBody: spec.htmlBody }),
    ...spec.fields,
  };
  return { api, user, post, dates: spec.dates, original: spec.original };
}

function dbDate(value: unknown, style: Generated["dates"]): unknown {
  if (typeof value !== "string") return value;
  const ms = Date.parse(value);
  return style === "iso" ? value : style === "$date" ? { $date: value } : style === "epoch" ? { $date: ms } : { $date: { $numberLong: String(ms) } };
}

/** The same comment as a data export's database record: author and post by id, dates and body as stored. */
// Every other field is kept as the API gave it, pageUrl included (a resolver on the forum, absent from a real
// database record): the property is about one set of facts in several shapes, not about what each shape can hold.
function exportComment({ api, user, dates, original }: Generated): Json {
  const record: Json = { ...api, userId: user._id, postedAt: dbDate(api.postedAt, dates), lastEditedAt: dbDate(api.lastEditedAt, dates) };
  if (!("lastEditedAt" in api)) delete record.lastEditedAt;
  delete record.user;
  delete record.post;
  const contents = api.contents as { markdown?: string | null; html?: string | null } | null;
  if (original && contents !== null) {
    const { markdown, ...rest } = contents;
    record.contents = { ...rest, originalContents: typeof markdown === "string" ? { type: "markdown", data: markdown } : { type: "ckEditorMarkup", data: contents.html ?? "" } };
  }
  return record;
}

// ---- the shapes one list of comments is written in ----------------------------------------------------------

interface Layout {
  /** Where the list of pages splits (modulo the number of comments + 1), and how many comments the second page repeats. */
  readonly split: number;
  readonly overlap: number;
  /** Results the forum could not give at all (null, with an error), inserted at these places (modulo the length). */
  readonly nulls: readonly number[];
  /** A page that failed as a whole (`data: null` beside its errors) among the pages. */
  readonly failedPage: boolean;
  /** Blank lines between NDJSON lines. */
  readonly blankLines: boolean;
  readonly pretty: boolean;
  readonly bom: boolean;
  readonly crlf: boolean;
}

const layoutArb: fc.Arbitrary<Layout> = fc.record({
  split: fc.nat(),
  overlap: fc.nat({ max: 3 }),
  nulls: fc.array(fc.nat(), { maxLength: 2 }),
  failedPage: fc.boolean(),
  blankLines: fc.boolean(),
  pretty: fc.boolean(),
  bom: fc.boolean(),
  crlf: fc.boolean(),
});

const page = (results: readonly unknown[]): Json => ({ data: { comments: { results } }, extensions: { cost: results.length } });

function pages(apis: readonly Json[], { split, overlap, failedPage }: Layout): Json[] {
  const at = split % (apis.length + 1);
  // The second page starts with the last comments of the first again, as keyset paging on an inclusive date does.
  const both = [page(apis.slice(0, at)), page(apis.slice(Math.max(0, at - overlap)))];
  return failedPage ? [both[0] as Json, { data: null, errors: [{ message: "Request timed out" }] }, both[1] as Json] : both;
}

/** A response with `errors` beside partial data: a failed pageUrl is null in its result, a failed result is null. */
function withErrors(apis: readonly Json[], { nulls }: Layout): Json {
  const results: (Json | null)[] = [...apis];
  for (const at of nulls) results.splice(at % (results.length + 1), 0, null);
  const errors: Json[] = results.flatMap((r, i) =>
    r === null
      ? [{ message: "Comment not found", path: ["comments", "results", i] }]
      : r.pageUrl === null
        ? [{ message: "Cannot read properties of null (reading 'slug')", locations: [{ line: 3, column: 5 }], path: ["comments", "results", i, "pageUrl"] }]
        : [],
  );
  // With no failed field the response still carries an error, of the whole request, for the shape to be tested.
  if (errors.length === 0) errors.push({ message: "Rate limit warning: slow down" });
  return { errors, data: { comments: { results } } };
}

const SHAPES = ["page", "pages", "errors", "list", "ndjson", "ndjson-pages", "export"] as const;
type Shape = (typeof SHAPES)[number];
// Extensions that mostly lie about the content: the reader must tell the kind by content alone.
const EXTENSIONS = [".md", ".txt", ".ndjson", ".json", ".jsonl", "", ".markdown"];

function writeShape(shape: Shape, comments: readonly Generated[], layout: Layout): string {
  const apis = comments.map((c) => c.api);
  const json = (value: unknown): string => JSON.stringify(value, null, layout.pretty ? 2 : undefined);
  const lines = (values: readonly unknown[]): string => `${values.map((v) => JSON.stringify(v)).join(layout.blankLines ? "\n\n" : "\n")}\n`;
  const text = {
    page: () => json(page(apis)),
    pages: () => json(pages(apis, layout)),
    errors: () => json(withErrors(apis, layout)),
    list: () => json(apis),
    ndjson: () => lines(apis),
    "ndjson-pages": () => lines(pages(apis, layout)),
    export: () => json({ Users: USERS, Posts: POSTS, Comments: comments.map(exportComment), Sequences: [] }),
  }[shape]();
  return `${layout.bom ? "\uFEFF" : ""}${layout.crlf ? text.replace(/\n/g, "\r\n") : text}`;
}

// ---- the text export ------------------------------------------------------------------------------------------

/** How a comment is written in a text export: the header's variants, and a body unlike the API's. */
const textStyleArb = fc.record({
  lead: fc.constantFrom("**", "Comment by **"),
  spaceBeforeOn: fc.boolean(),
  links: fc.boolean(),
  /** `Display Name (username)` when the display name differs from the username. */
  named: fc.boolean(),
  stamp: fc.constantFrom("as-is", "seconds", "micro"),
  body: fc.array(fc.constantFrom("Some *emphasis* here.", "> a quote", "- a list item", "Text with a $ sign and ** stars", "A line · with a dot · 2021-06-21"), { minLength: 1, maxLength: 3 }),
});
type TextStyle = typeof textStyleArb extends fc.Arbitrary<infer T> ? T : never;

const identity = (username: string, postedAt: string): string => `${username}\u0000${postedAt}`;
const specIdentity = (spec: CommentSpec): string => identity(spec.user.username.trim(), spec.postedAt);

function threadTitle(post: Post | null): string {
  return post === null ? "[deleted post]" : post.title;
}

function textExport(comments: readonly { generated: Generated; style: TextStyle }[], sections: boolean): string {
  const out = sections ? ["## Posts", "", "## Comments", ""] : [];
  comments.forEach(({ generated: { user, post, api }, style }, i) => {
    const username = user.username.trim();
    const display = user.displayName?.trim();
    const author = style.named && display !== undefined && display !== username ? `${display} (${username})` : username;
    const at = String(api.postedAt);
    // The export's instants are read to milliseconds: `...:01Z` and `...:01.829123Z` name the API's instant too.
    const stamp = style.stamp === "seconds" && at.endsWith(".000Z") ? at.replace(".000Z", "Z") : style.stamp === "micro" ? at.replace("Z", "123Z") : at;
    out.push(`${style.lead}${author}**${style.spaceBeforeOn ? " " : ""}on ${threadTitle(post)} · ${stamp}${style.links ? " · LW · GW" : ""}`, "", `Export text ${i}.`, ...style.body, "");
  });
  return out.join("\n");
}

// ---- reading as the import does ---------------------------------------------------------------------------------

/**
 * A record without `source`: the file it names differs by shape, and its line is where the object starts in that
 * shape's layout. Nothing else may differ.
 */
function withoutSource({ source: _source, ...rest }: CommentRecord): Omit<CommentRecord, "source"> {
  void _source;
  return rest;
}

/** Permalinks as publishing the merged archive gives them, by comment identity (username and instant). */
function permalinks(merged: MergedArchive): Map<string, string> {
  return new Map(publishArchive(merged).comments.map((c) => [identity(c.page.author.username, c.page.date), c.page.permalink]));
}

const byIdentity = (records: readonly CommentRecord[]): Map<string, CommentRecord> => new Map(records.map((r) => [identity(r.author.username, r.postedAt), r]));

let runs = 0;
/** A fresh folder per run of a property, inside the test's temp dir. */
function runDir(dir: string): string {
  const sub = path.join(dir, String(runs++));
  mkdirSync(sub);
  return sub;
}

async function writeAndRead(file: string, text: string): Promise<ParsedArchive> {
  writeFileSync(file, text);
  return readArchive(file);
}

const commentsArb = fc.array(commentArb, { minLength: 1, maxLength: 15 }).map((specs) => specs.map(build));

describe("JSON shapes", () => {
  test("any JSON shape of the same comments gives the same records", async (t) => {
    const dir = tempDir(t);
    await fc.assert(
      fc.asyncProperty(commentsArb, layoutArb, fc.shuffledSubarray(EXTENSIONS, { minLength: EXTENSIONS.length }), async (comments, layout, extensions) => {
        const folder = runDir(dir);
        const read = new Map<Shape, Omit<CommentRecord, "source">[]>();
        for (const [i, shape] of SHAPES.entries()) {
          const parsed = await writeAndRead(path.join(folder, `${shape}${extensions[i] ?? ""}`), writeShape(shape, comments, layout));
          read.set(shape, parsed.comments.map(withoutSource));
        }
        const expected = read.get("page") ?? [];
        assert.deepEqual(
          expected.map((r) => [r.forum?.id, identity(r.author.username, r.postedAt)]),
          comments.map((c) => [c.api._id, identity(c.user.username.trim(), String(c.api.postedAt))]),
          "one record per comment, in the order given, with the comment's id, username and instant",
        );
        for (const shape of SHAPES) assert.deepEqual(read.get(shape), expected, `the ${shape} shape gives other records than a single page`);
      }),
      { numRuns: 100 },
    );
  });
});

describe("a text export and API data of the same comments", () => {
  // Unique identities: two comments of one author at one instant get URLs by a digest of their text, which the API
  // and the export do not share, so which of two such twins is which cannot be told (a known limit, not tested here).
  const twinsArb = fc
    .uniqueArray(fc.record({ spec: commentArb, style: textStyleArb }), { minLength: 1, maxLength: 12, selector: ({ spec }) => specIdentity(spec) })
    .map((items) => items.map(({ spec, style }, i) => ({ generated: build(spec, i), style })));

  test("a comment given as a text export and as API JSON gets one record and one URL, the API's", async (t) => {
    const dir = tempDir(t);
    await fc.assert(
      fc.asyncProperty(twinsArb, fc.constantFrom(...SHAPES), layoutArb, fc.boolean(), async (twins, shape, layout, sections) => {
        const folder = runDir(dir);
        const comments = twins.map((c) => c.generated);
        // Misleading names on purpose: the import tells the two kinds apart by content.
        const text = await writeAndRead(path.join(folder, "export.json"), textExport(twins, sections));
        const api = await writeAndRead(path.join(folder, `api-${shape}.md`), writeShape(shape, comments, layout));

        const textOnly = mergeArchives([text]);
        assert.equal(textOnly.comments.length, comments.length, "the text export alone reads as one record per comment");
        const textUrls = permalinks(textOnly);
        const apiRecords = byIdentity(api.comments);
        assert.deepEqual([...apiRecords.keys()].sort(), [...textUrls.keys()].sort(), "the API and the text export name the same (username, instant) identities");

        for (const [order, files] of [
          ["text first", [text, api]],
          ["API first", [api, text]],
        ] as const) {
          const merged = mergeArchives([...files]);
          assert.equal(merged.comments.length, comments.length, `${order}: one record per comment`);
          for (const record of merged.comments) {
            const key = identity(record.author.username, record.postedAt);
            assert.deepEqual(record, apiRecords.get(key), `${order}: the record of ${JSON.stringify(key)} is the API's`);
          }
          assert.deepEqual(permalinks(merged), textUrls, `${order}: every URL is the one the text export alone gives`);
        }
      }),
      { numRuns: 100 },
    );
  });

  test("between two API files naming the same comment, the last named wins, wherever the text export is", async (t) => {
    const dir = tempDir(t);
    await fc.assert(
      fc.asyncProperty(twinsArb, fc.constantFrom(...SHAPES), fc.constantFrom(...SHAPES), layoutArb, async (twins, shapeA, shapeB, layout) => {
        const folder = runDir(dir);
        const older = twins.map((c) => c.generated);
        // The same comments (ids, authors, instants) fetched again later: edited, undeleted and voted on since.
        const newer = older.map((g, i): Generated => ({ ...g, api: { ...g.api, contents: { markdown: `Edited since, ${i}.` }, deleted: false, baseScore: 1000 + i } }));
        const text = await writeAndRead(path.join(folder, "export.txt"), textExport(twins, true));
        const a = await writeAndRead(path.join(folder, `a-${shapeA}.json`), writeShape(shapeA, older, layout));
        const b = await writeAndRead(path.join(folder, `b-${shapeB}.json`), writeShape(shapeB, newer, layout));
        const textUrls = permalinks(mergeArchives([text]));
        const orders: ParsedArchive[][] = [[a, b], [b, a], [text, a, b], [text, b, a], [a, text, b], [b, text, a], [a, b, text], [b, a, text]];
        for (const files of orders) {
          const names = files.map((f) => path.basename(f.file)).join(", ");
          const last = files.filter((f) => f !== text).at(-1) as ParsedArchive;
          const expected = byIdentity(last.comments);
          const merged = mergeArchives(files);
          assert.equal(merged.comments.length, older.length, `${names}: one record per comment`);
          for (const record of merged.comments) {
            const key = identity(record.author.username, record.postedAt);
            assert.deepEqual(record, expected.get(key), `${names}: the record of ${JSON.stringify(key)} is ${path.basename(last.file)}'s`);
          }
          assert.deepEqual(permalinks(merged), textUrls, `${names}: every URL is the one the text export alone gives`);
        }
      }),
      { numRuns: 60 },
    );
  });
});
