// Parses the JSON shapes people keep forum comments in (saved GraphQL responses, lists of comments,
// NDJSON, an administrator's data export) into the records a text export gives.
import { forumEndpoint } from "../fetch/forums.ts";
import { ArchiveError } from "./errors.ts";
import { isObject, originOf, postRefOf, readComment, savedParent, untitledPost, userRefOf, type CommentContext, type JsonObject, type ObjectPlace, type ReadComment } from "./forum-record.ts";
import { ANY_INDEX, arrayElementPositions, jsonSyntaxError, parseJson, pathKey, positionAt, type JsonPath, type Position } from "./json-text.ts";
import type { Author, CommentRecord, ForumPostRef, ForumUserRef, ImportWarning, OutsideParentRecord, ParsedArchive } from "./types.ts";
import { commentsByIdentity } from "./merge.ts";

const RESULTS = ["data", "comments", "results"] as const;
const ERRORS = ["errors"] as const;
/** Where `npm run fetch` keeps the outside parents; `parents` is accepted too. */
const SAVED_PARENTS = [
  ["extensions", "commentarium", "outsideParents"],
  ["extensions", "commentarium", "parents"],
] as const;

const SHAPES =
  'a GraphQL response ({"data":{"comments":{"results":[...]}}}), a list of them, a list of comment objects, one comment object per line (NDJSON), or a data export ({"Comments":[...],"Users":[...]})';

/** Keys only a comment object has (any one will do; what identity needs is checked after). */
const COMMENT_KEYS = ["postedAt", "_id", "user", "userId", "contents", "htmlBody", "postId", "pageUrl"];

type Kind = "page" | "export" | "comment";

function kindOf(value: unknown): Kind | undefined {
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.Comments)) return "export";
  if (!("postedAt" in value) && ("data" in value || "errors" in value)) return "page";
  if (COMMENT_KEYS.some((key) => key in value)) return "comment";
  return undefined;
}

function found(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (!isObject(value)) return value === null ? "null" : `a ${typeof value}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return "an empty object";
  const shown = keys.slice(0, 6).map((k) => JSON.stringify(k));
  return `an object with keys ${shown.join(", ")}${keys.length > shown.length ? ", ..." : ""}`;
}

/** The arrays whose element lines records and messages need, for a document of this value. */
function indexedArrays(value: unknown): JsonPath[] {
  const page = (prefix: JsonPath): JsonPath[] => [[...prefix, ...RESULTS], [...prefix, ...ERRORS], ...SAVED_PARENTS.map((p) => [...prefix, ...p])];
  if (Array.isArray(value)) return [[], ...(value.some((v) => kindOf(v) === "page") ? page([ANY_INDEX]) : [])];
  const kind = kindOf(value);
  return kind === "page" ? page([]) : kind === "export" ? [["Comments"]] : [];
}

/** Positions in one JSON text: a whole file, or one line of NDJSON. */
class Positions {
  readonly #elements: Map<string, Position[]>;

  constructor(
    readonly text: string,
    readonly file: string,
    readonly firstLine: number,
    arrays: readonly JsonPath[],
  ) {
    this.#elements = arrays.length === 0 ? new Map() : arrayElementPositions(text, arrays, firstLine);
  }

  /** Where the value at `path` starts; an array element not indexed is placed at its nearest indexed ancestor. */
  at(path: JsonPath): ObjectPlace {
    const index = path.at(-1);
    const position = typeof index === "number" ? this.#elements.get(pathKey(path.slice(0, -1)))?.[index] : undefined;
    if (position !== undefined) return { file: this.file, ...position };
    if (path.length > 0) return this.at(path.slice(0, -1));
    return { file: this.file, ...positionAt(this.text, this.text.search(/\S|$/), this.firstLine) };
  }
}

/** The records of one file as they are read: a comment given twice (by `_id`, pages overlapping) is kept once, the later. */
class Collector {
  readonly comments: CommentRecord[] = [];
  readonly warnings: ImportWarning[] = [];
  readonly parents = new Map<string, OutsideParentRecord>();
  /** The forum's error messages, for the message when no comment is left. */
  readonly forumErrors: string[] = [];
  skipped = 0;
  readonly #byId = new Map<string, number>();
  /** One Author object per username and name, as a text export's: a file is mostly one author's. */
  readonly #authors = new Map<string, Author>();

  add(read: ReadComment, where: ObjectPlace): void {
    const source = { file: where.file, line: where.line };
    if (read.kind === "skipped") {
      this.skipped++;
      this.warnings.push({ source, message: `comment left out: it is ${read.why}, not public on the forum` });
      return;
    }
    const { author } = read.record;
    const key = `${author.username}\u0000${author.name}`;
    const shared = this.#authors.get(key);
    if (shared === undefined) this.#authors.set(key, author);
    else read = { ...read, record: { ...read.record, author: shared } };
    const id = read.record.forum?.id;
    const earlier = id === undefined ? undefined : this.#byId.get(id);
    if (earlier !== undefined) this.comments[earlier] = read.record;
    else {
      if (id !== undefined) this.#byId.set(id, this.comments.length);
      this.comments.push(read.record);
    }
    if (read.parent !== undefined) this.parents.set(read.parent.id, read.parent);
  }
}

/** One saved GraphQL response: its results, its errors as warnings, the fetcher's outside parents. */
function readPage(page: JsonObject, path: JsonPath, at: Positions, out: Collector): void {
  const comments = isObject(page.data) && isObject(page.data.comments) ? page.data.comments : undefined;
  const results = comments?.results;
  const errors = Array.isArray(page.errors) ? page.errors : [];
  const resultsPath = [...path, ...RESULTS];
  const context = { origin: savedForumOrigin(page) };
  if (Array.isArray(results)) {
    results.forEach((result: unknown, n) => {
      // A result the forum could not give at all is null, and its error says why.
      if (result === null) return;
      const where = at.at([...resultsPath, n]);
      if (!isObject(result)) throw new ArchiveError(`data.comments.results[${n}] is not a comment object: found ${found(result)}`, where);
      out.add(readComment(result, where, context), where);
    });
  } else if (errors.length === 0 || (results !== undefined && results !== null)) {
    throw new ArchiveError(`not a forum comment archive: a GraphQL response without a data.comments.results list (expected ${SHAPES}); found ${found(page)}`, at.at(path));
  }
  errors.forEach((error: unknown, k) => {
    const { message, path: errorPath } = isObject(error) ? error : {};
    const text = typeof message === "string" && message.trim() !== "" ? message : "(no message)";
    out.forumErrors.push(text);
    const [field, list, index, ...rest] = Array.isArray(errorPath) ? (errorPath as unknown[]) : [];
    if (field === "comments" && list === "results" && typeof index === "number" && Array.isArray(results) && index >= 0 && index < results.length) {
      const what = rest.length > 0 ? `this comment's ${rest.join(".")}` : "this comment";
      out.warnings.push({ source: sourceOf(at.at([...resultsPath, index])), message: `the forum could not give ${what}: ${text}` });
    } else {
      const where = Array.isArray(errorPath) ? ` at ${errorPath.join(".")}` : "";
      out.warnings.push({ source: sourceOf(at.at([...path, ...ERRORS, k])), message: `the forum reported an error${where}: ${text}` });
    }
  });
  for (const savedPath of SAVED_PARENTS) {
    const list = valueAt(page, savedPath);
    if (!Array.isArray(list)) continue;
    list.forEach((raw: unknown, n) => {
      const parent = savedParent(raw, sourceOf(at.at([...path, ...savedPath, n])));
      if (parent !== undefined) out.parents.set(parent.id, parent);
    });
  }
}

/** An administrator's data export: comments name their author and post by id, resolved by Users and Posts. */
function readExport(data: JsonObject, path: JsonPath, at: Positions, out: Collector): void {
  const users = new Map<string, ForumUserRef>();
  for (const raw of Array.isArray(data.Users) ? (data.Users as unknown[]) : []) {
    const user = userRefOf(raw);
    if (user?.id !== undefined) users.set(user.id, user);
  }
  const posts = new Map<string, ForumPostRef>();
  for (const raw of Array.isArray(data.Posts) ? (data.Posts as unknown[]) : []) {
    const post = postRefOf(raw);
    if (post?.id !== undefined) posts.set(post.id, post);
  }
  const context: CommentContext = { users, posts };
  const untitled = new Map<string, ObjectPlace>();
  (data.Comments as unknown[]).forEach((raw, n) => {
    const where = at.at([...path, "Comments", n]);
    if (!isObject(raw)) throw new ArchiveError(`Comments[${n}] is not a comment object: found ${found(raw)}`, where);
    const read = readComment(raw, where, context);
    const postId = read.kind === "comment" ? read.record.forum?.postId : undefined;
    if (read.kind === "comment" && read.record.forum?.post === undefined && postId !== undefined && !untitled.has(postId)) untitled.set(postId, where);
    out.add(read, where);
  });
  const first = untitled.values().next().value;
  if (first !== undefined) {
    out.warnings.push({
      source: sourceOf(first),
      message: `${untitled.size} post(s) the comments are on are not in the export's Posts: their threads are titled "${untitledPost("<postId>")}"`,
    });
  }
}

/** The origin of the forum `npm run fetch --forum` named (a short name or an endpoint URL). */
function savedForumOrigin(page: JsonObject): string | undefined {
  const forum = valueAt(page, ["extensions", "commentarium", "forum"]);
  if (typeof forum !== "string") return undefined;
  try {
    return originOf(forumEndpoint(forum));
  } catch {
    return undefined;
  }
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  return at;
}

const sourceOf = (where: ObjectPlace): { file: string; line: number } => ({ file: where.file, line: where.line });

/** One top-level value (the document, an element of a top-level list, or a line of NDJSON). */
function readItem(value: unknown, path: JsonPath, at: Positions, out: Collector, what: string, allowExport: boolean): void {
  const kind = kindOf(value);
  if (kind === "page") readPage(value as JsonObject, path, at, out);
  else if (kind === "comment") {
    const where = at.at(path);
    out.add(readComment(value as JsonObject, where), where);
  } else if (kind === "export" && allowExport) readExport(value as JsonObject, path, at, out);
  else throw new ArchiveError(`not a forum comment archive: ${what} is not a comment object or a GraphQL response (expected ${SHAPES}); found ${found(value)}`, at.at(path));
}

/** A data export is a whole file's one object, not a line of NDJSON or an element of a list. */
function readDocument(document: unknown, text: string, file: string, firstLine: number, out: Collector, what: string, allowExport: boolean): void {
  const at = new Positions(text, file, firstLine, indexedArrays(document));
  if (!Array.isArray(document)) return readItem(document, [], at, out, what, allowExport);
  document.forEach((element: unknown, i) => readItem(element, [i], at, out, `element ${i + 1} of the list`, false));
}

/** NDJSON: the first non-blank line is a whole JSON object by itself, and other lines follow it. */
function isNdjson(text: string): boolean {
  const start = text.search(/\S/);
  const end = text.indexOf("\n", start);
  if (start === -1 || end === -1 || !/\S/.test(text.slice(end))) return false;
  try {
    return isObject(JSON.parse(text.slice(start, end)));
  } catch {
    return false;
  }
}

function readNdjson(text: string, file: string, out: Collector): void {
  let line = 0;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    line++;
    const lineText = text.slice(start, end);
    if (/\S/.test(lineText)) readDocument(parseJson(lineText, file, line), lineText, file, line, out, "this line", false);
    start = end + 1;
  }
}

/** Whether a file's text is JSON rather than a text export: a text export never starts with `{` or `[`. */
export function looksLikeJson(text: string): boolean {
  const first = /^\uFEFF?\s*(\S)/.exec(text)?.[1];
  return first === "{" || first === "[";
}

/** Parses JSON input of any accepted shape. Throws ArchiveError (file, line, column) on input it cannot read without guessing. */
export function parseJsonArchive(input: string, file: string): ParsedArchive {
  const withoutBom = input.replace(/^\uFEFF/, "");
  // Line endings are whitespace to JSON (a raw one in a string is an error either way): one kind keeps line counting simple.
  const text = withoutBom.includes("\r") ? withoutBom.replace(/\r\n?/g, "\n") : withoutBom;
  const out = new Collector();
  let document: { value: unknown } | undefined;
  try {
    document = { value: JSON.parse(text) };
  } catch (error) {
    if (!isNdjson(text)) throw jsonSyntaxError(error, text, file);
  }
  if (document === undefined) readNdjson(text, file, out);
  else readDocument(document.value, text, file, 1, out, "the document", true);

  if (out.comments.length === 0) {
    const why =
      out.forumErrors.length > 0
        ? `; the forum's errors: ${out.forumErrors.slice(0, 3).join("; ")}${out.forumErrors.length > 3 ? "; ..." : ""}`
        : out.skipped > 0
          ? `: the ${out.skipped} comment(s) there are not public on the forum`
          : ` (expected ${SHAPES})`;
    throw new ArchiveError(`no comments found${why}`, { file, line: 1 });
  }
  return { file, posts: [], comments: out.comments, byIdentity: commentsByIdentity(out.comments), warnings: out.warnings, outsideParents: [...out.parents.values()] };
}
