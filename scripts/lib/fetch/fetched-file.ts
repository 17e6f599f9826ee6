// The output file: one GraphQL response holding every comment fetched so far (oldest first), with the reply
// context and the resume state under `extensions.commentarium`. Saved whole after every page, atomically.
import { withCommentId } from "../forum-url.ts";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { ForumComment, ForumParentComment, ForumUser } from "./comment-shape.ts";
import type { GraphqlError } from "./graphql-client.ts";
import { COUNTER_FIELDS } from "./queries.ts";

export const FETCHED_FILE_FORMAT = "commentarium-fetch/1";
const EXCERPT_LENGTH = 280;

/** The crash tests set this to N to kill the process in its Nth save, half-way through the temp file; nothing else reads it. */
export const KILL_AT_SAVE_VARIABLE = "COMMENTARIUM_TEST_FETCH_KILL_AT_SAVE";
let savesInThisProcess = 0;

/** A comment someone else wrote that one of the user's comments replies to: enough to show what the reply answers. */
export interface OutsideParent {
  readonly _id: string;
  readonly postedAt: string | null;
  readonly user: { readonly username: string | null; readonly displayName: string | null; readonly slug: string | null } | null;
  /** The start of its plain text, cut at a word. */
  readonly excerpt: string | null;
  readonly pageUrl: string | null;
}

/**
 * Where fetching stands. A pass reads the user's comments oldest first; an unfinished "all" or "new" pass continues
 * from `after`, an unfinished "update" starts again (it asks again only for what still differs).
 */
export interface FetchState {
  /** "all": every comment in full; "new": those posted since the newest one saved; "update": the new and the edited. */
  readonly pass: "all" | "new" | "update";
  readonly complete: boolean;
  /** The instant the next page starts at (inclusive); null: the first comment. */
  readonly after: string | null;
  readonly passStartedAt: string;
  readonly lastCompletedAt: string | null;
}

export interface MergeCounts {
  readonly added: number;
  readonly edited: number;
}

interface Extension {
  readonly format: string;
  readonly forum: string;
  readonly user: ForumUser;
  readonly outsideParents: readonly OutsideParent[];
  readonly fetch: FetchState;
}

export class FetchedFile {
  readonly #comments = new Map<string, ForumComment>();
  /** A comment's field errors, each `path` relative to the comment (the page position is not kept). */
  readonly #errorsByComment = new Map<string, readonly GraphqlError[]>();
  readonly #outsideParents = new Map<string, OutsideParent>();
  user: ForumUser;
  state: FetchState;

  constructor(
    readonly file: string,
    readonly forum: string,
    user: ForumUser,
    state: FetchState,
  ) {
    this.user = user;
    this.state = state;
  }

  get commentCount(): number {
    return this.#comments.size;
  }

  /** The instant of the newest comment saved, or null when there is none. */
  get newestPostedAt(): string | null {
    let newest: string | null = null;
    for (const c of this.#comments.values()) if (newest === null || Date.parse(c.postedAt) > Date.parse(newest)) newest = c.postedAt;
    return newest;
  }

  /** The saved comment with this id. */
  comment(id: string): ForumComment | undefined {
    return this.#comments.get(id);
  }

  /** Takes the counters (score, votes, replies) of `checked` into the saved comment; true when any changed. */
  refreshCounters(checked: ForumComment): boolean {
    const known = this.#comments.get(checked._id);
    if (known === undefined) return false;
    const fresh = Object.fromEntries(COUNTER_FIELDS.filter((field) => field in checked && JSON.stringify(checked[field]) !== JSON.stringify(known[field])).map((field) => [field, checked[field]]));
    if (Object.keys(fresh).length === 0) return false;
    this.#comments.set(checked._id, { ...known, ...fresh });
    return true;
  }

  /** Comments saved that were posted before `instant` (those a pass continuing from it has passed). */
  countPostedBefore(instant: string | null): number {
    if (instant === null) return 0;
    const limit = Date.parse(instant);
    let count = 0;
    for (const c of this.#comments.values()) if (Date.parse(c.postedAt) < limit) count++;
    return count;
  }

  /**
   * Adds or replaces a page's comments. `pageErrors` are the page's GraphQL errors (kept with the comment they
   * name); the parents of replies to someone other than `userId` are kept as reply context.
   */
  merge(page: readonly ForumComment[], pageErrors: readonly GraphqlError[], userId: string): MergeCounts {
    let added = 0;
    let edited = 0;
    const errorsByIndex = new Map<number, GraphqlError[]>();
    for (const error of pageErrors) {
      const [field, results, index, ...rest] = error.path ?? [];
      if (field === "comments" && results === "results" && typeof index === "number" && page[index] !== undefined) {
        errorsByIndex.set(index, [...(errorsByIndex.get(index) ?? []), { ...error, path: rest }]);
      }
    }
    page.forEach((fetched, index) => {
      const { parentComment, ...comment } = fetched;
      if (parentComment != null && parentComment.user?._id !== userId) this.#outsideParents.set(parentComment._id, outsideParent(parentComment, fetched));
      const known = this.#comments.get(comment._id);
      if (known === undefined) added++;
      else if (known.lastEditedAt !== comment.lastEditedAt || JSON.stringify(known.contents) !== JSON.stringify(comment.contents)) edited++;
      this.#comments.set(comment._id, comment);
      const errors = errorsByIndex.get(index);
      if (errors) this.#errorsByComment.set(comment._id, errors);
      else this.#errorsByComment.delete(comment._id);
    });
    return { added, edited };
  }

  /** The file's JSON: a GraphQL response an importer reads like any saved one, the extras under `extensions`. */
  toJSON(): object {
    const results = [...this.#comments.values()].sort((a, b) => Date.parse(a.postedAt) - Date.parse(b.postedAt) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const errors = results.flatMap((comment, index) => (this.#errorsByComment.get(comment._id) ?? []).map((e) => ({ ...e, path: ["comments", "results", index, ...(e.path ?? [])] })));
    const outsideParents = [...this.#outsideParents.values()].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const commentarium: Extension = { format: FETCHED_FILE_FORMAT, forum: this.forum, user: this.user, outsideParents, fetch: this.state };
    return { data: { comments: { results } }, ...(errors.length > 0 ? { errors } : {}), extensions: { commentarium } };
  }

  /** Writes the file so that it is always either the old or the new version, whole: temp file, fsync, rename. */
  async save(): Promise<void> {
    const text = `${JSON.stringify(this.toJSON(), null, 1)}\n`;
    const directory = path.dirname(path.resolve(this.file));
    const temp = `${this.file}.tmp`;
    try {
      await mkdir(directory, { recursive: true });
      const handle = await open(temp, "w");
      try {
        if (Number(process.env[KILL_AT_SAVE_VARIABLE]) === ++savesInThisProcess) {
          await handle.writeFile(text.slice(0, text.length >> 1));
          await handle.sync();
          process.kill(process.pid, "SIGKILL");
        }
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
      // The rename itself survives a power cut only once the directory is synced.
      const dir = await open(directory, "r");
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (cause) {
      await rm(temp, { force: true });
      throw new Error(`cannot save ${this.file}`, { cause });
    }
  }

  /** Reads a file an earlier run saved; undefined when there is none. Refuses a file from another forum. */
  static async load(file: string, forum: string): Promise<FetchedFile | undefined> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new Error(`cannot read ${file}`, { cause });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new Error(`${file} is not JSON; it was not written by this command (give another --out, or move the file away)`, { cause });
    }
    const { data, errors, extensions } = (parsed ?? {}) as { data?: { comments?: { results?: unknown } }; errors?: unknown; extensions?: { commentarium?: Partial<Extension> } };
    const extension = extensions?.commentarium;
    const results = data?.comments?.results;
    if (extension?.format !== FETCHED_FILE_FORMAT || !Array.isArray(results) || extension.user === undefined || extension.fetch === undefined) {
      throw new Error(`${file} was not written by this command (no extensions.commentarium of format ${FETCHED_FILE_FORMAT}); give another --out, or move the file away`);
    }
    if (extension.forum !== forum) throw new Error(`${file} holds comments from ${extension.forum}, not ${forum}; give another --out`);
    const fetched = new FetchedFile(file, forum, extension.user, extension.fetch);
    for (const comment of results as ForumComment[]) fetched.#comments.set(comment._id, comment);
    for (const error of Array.isArray(errors) ? (errors as GraphqlError[]) : []) {
      const [, , index, ...rest] = error.path ?? [];
      const comment = typeof index === "number" ? (results[index] as ForumComment | undefined) : undefined;
      if (comment === undefined) continue;
      fetched.#errorsByComment.set(comment._id, [...(fetched.#errorsByComment.get(comment._id) ?? []), { ...error, path: rest }]);
    }
    for (const parent of extension.outsideParents ?? []) fetched.#outsideParents.set(parent._id, parent);
    return fetched;
  }
}

function outsideParent(parent: ForumParentComment, reply: ForumComment): OutsideParent {
  const user = parent.user ? { username: parent.user.username ?? null, displayName: parent.user.displayName ?? null, slug: parent.user.slug ?? null } : null;
  return { _id: parent._id, postedAt: parent.postedAt ?? null, user, excerpt: excerptOf(parent.contents?.plaintextMainText), pageUrl: parentUrl(parent._id, reply) };
}

/** The start of a plain text, whitespace collapsed, cut at a word boundary with an ellipsis. */
export function excerptOf(text: string | null | undefined, length = EXCERPT_LENGTH): string | null {
  if (typeof text !== "string") return null;
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  const space = cut.lastIndexOf(" ");
  return `${(space > length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The parent's link: the reply's (the post's URL with `?commentId=`), pointed at the parent. */
function parentUrl(parentId: string, reply: ForumComment): string | null {
  const post = reply.post as { pageUrl?: unknown } | null | undefined;
  const base = typeof reply.pageUrl === "string" ? reply.pageUrl : typeof post?.pageUrl === "string" ? post.pageUrl : null;
  return base === null ? null : (withCommentId(base, parentId) ?? null);
}
