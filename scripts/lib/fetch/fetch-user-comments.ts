// Fetches one user's comments into the output file: looks the user up, then pages through their comments oldest
// first, saving after every page so that the next run continues where this one stopped. Once the file holds them
// all, a run asks every comment only for its edit date and counters, and fetches in full just the new and edited.
import { commentsOfPage, type ForumComment, type ForumUser, userOfLookup } from "./comment-shape.ts";
import { FetchedFile } from "./fetched-file.ts";
import { ForumHttpError, type GraphqlClient } from "./graphql-client.ts";
import { KeysetPager } from "./keyset-pager.ts";
import type { ProgressReporter } from "./progress.ts";
import { EDIT_FIELDS, USER_BY_SLUG_QUERIES, USER_COMMENTS_CHECK_QUERY, USER_COMMENTS_PAGE_QUERY, type UserCommentsPageVariables } from "./queries.ts";

/** Widening stops here: the API caps `limit` at "a few thousand", and a silently capped page would look like the last one. */
export const MAX_PAGE_SIZE = 2_000;

/** Pages of the check for edits: no bodies, so a thousand comments are a small response. */
export const CHECK_PAGE_SIZE = 1_000;

/** What a run does when the file already holds every comment. */
export type UpdateMode = "update" | "new" | "full";

export interface FetchUserCommentsOptions {
  readonly userSlug: string;
  readonly endpoint: string;
  readonly outFile: string;
  /** "update": fetch the new and the edited; "new": only those posted since the newest saved; "full": all again, in full. */
  readonly mode: UpdateMode;
  readonly pageSize: number;
  readonly client: GraphqlClient;
  readonly progress: ProgressReporter;
}

export interface FetchSummary {
  readonly user: ForumUser;
  /** Comments in the file now. */
  readonly comments: number;
  readonly added: number;
  readonly edited: number;
  readonly pages: number;
  /** "first": a new file; "resumed": an interrupted pass was continued; otherwise the kind of pass a finished file got. */
  readonly started: "first" | "resumed" | UpdateMode;
}

interface PassCounts {
  readonly added: number;
  readonly edited: number;
  readonly pages: number;
}

interface Pass {
  readonly file: FetchedFile;
  readonly user: ForumUser;
  readonly userSlug: string;
  readonly pageSize: number;
  readonly client: GraphqlClient;
  readonly progress: ProgressReporter;
  /** Whether the file held comments before this run (so that progress shows what is new). */
  readonly hadFile: boolean;
}

export async function fetchUserComments(options: FetchUserCommentsOptions): Promise<FetchSummary> {
  const { userSlug, endpoint, outFile, mode, pageSize, client, progress } = options;
  const saved = await FetchedFile.load(outFile, endpoint);
  const user = await lookUpUser(client, userSlug, endpoint);
  if (saved !== undefined && saved.user._id !== user._id) {
    throw new Error(`${outFile} holds the comments of "${saved.user.slug}" (id ${saved.user._id}), not of "${userSlug}" (id ${user._id}); give another --out`);
  }
  const now = new Date().toISOString();
  const file = saved ?? new FetchedFile(outFile, endpoint, user, { pass: "all", complete: false, after: null, passStartedAt: now, lastCompletedAt: null });
  file.user = user;
  let started: FetchSummary["started"];
  if (saved === undefined) started = "first";
  else if (!file.state.complete && file.state.pass !== "update") started = "resumed";
  else started = mode;
  if (started === "new" || started === "full") {
    file.state = { ...file.state, pass: started === "new" ? "new" : "all", complete: false, after: started === "new" ? file.newestPostedAt : null, passStartedAt: now };
  }
  const pass: Pass = { file, user, userSlug, pageSize, client, progress, hadFile: saved !== undefined };
  const counts = started === "update" ? await updatePass(pass, now) : await readPass(pass);
  progress.finish();
  return { user, comments: file.commentCount, ...counts, started };
}

/** Reads whole comments from `file.state.after` to the newest, saving after every page. */
async function readPass({ file, user, userSlug, pageSize, client, progress, hadFile }: Pass): Promise<PassCounts> {
  const pager = new KeysetPager(file.state.after, pageSize, MAX_PAGE_SIZE);
  const positionAtStart = file.countPostedBefore(file.state.after);
  let pages = 0;
  let added = 0;
  let edited = 0;
  for (;;) {
    const { after, limit } = pager.request;
    const what = `fetching ${limit} comments of "${userSlug}" posted ${after === null ? "from the first" : `at or after ${after}`}`;
    const variables: UserCommentsPageVariables = { userId: user._id, after, limit };
    const response = await client.request(USER_COMMENTS_PAGE_QUERY, variables, what);
    const results = commentsOfPage(response, what);
    const { done } = pager.take(results);
    const counts = file.merge(results, response.errors ?? [], user._id);
    pages++;
    added += counts.added;
    edited += counts.edited;
    file.state = done ? { ...file.state, complete: true, after: null, lastCompletedAt: new Date().toISOString() } : { ...file.state, after: pager.request.after };
    await file.save();
    progress.page({ phase: "read", position: positionAtStart + pager.seenCount, total: user.commentCount, pages, changes: hadFile ? { added, edited } : undefined });
    if (done) break;
  }
  return { added, edited, pages };
}

/**
 * A later run: asks every comment for its edit date and counters (big pages, no bodies), takes the counters, then
 * fetches in full only the comments that are new or whose edit date, deletion or retraction differs from the saved
 * one, a few pages around them. Saved after every page that changed something; a rerun asks again only for what still differs.
 */
async function updatePass({ file, user, userSlug, pageSize, client, progress }: Pass, now: string): Promise<PassCounts> {
  file.state = { ...file.state, pass: "update", complete: false, after: null, passStartedAt: now };
  const pager = new KeysetPager(null, CHECK_PAGE_SIZE, MAX_PAGE_SIZE);
  const checked: ForumComment[] = [];
  const changed = new Set<string>();
  let pages = 0;
  for (;;) {
    const { after, limit } = pager.request;
    const what = `checking ${limit} comments of "${userSlug}" posted ${after === null ? "from the first" : `at or after ${after}`} for edits`;
    const variables: UserCommentsPageVariables = { userId: user._id, after, limit };
    const results = commentsOfPage(await client.request(USER_COMMENTS_CHECK_QUERY, variables, what), what);
    const { fresh, done } = pager.take(results);
    let refreshed = false;
    for (const comment of fresh) {
      checked.push(comment);
      const known = file.comment(comment._id);
      if (known === undefined || EDIT_FIELDS.some((field) => (known[field] ?? null) !== (comment[field] ?? null))) changed.add(comment._id);
      else if (file.refreshCounters(comment)) refreshed = true;
    }
    pages++;
    if (refreshed) await file.save();
    progress.page({ phase: "check", position: pager.seenCount, total: user.commentCount, pages, changes: undefined });
    if (done) break;
  }

  let added = 0;
  let edited = 0;
  let fetched = 0;
  const windows = changeWindows(checked, changed, pageSize);
  for (const window of windows) {
    const what = `fetching ${window.limit} comments of "${userSlug}" posted at or after ${window.after} (new or edited)`;
    const variables: UserCommentsPageVariables = { userId: user._id, after: window.after, limit: window.limit };
    const response = await client.request(USER_COMMENTS_PAGE_QUERY, variables, what);
    const results = commentsOfPage(response, what);
    const counts = file.merge(results, response.errors ?? [], user._id);
    pages++;
    added += counts.added;
    edited += counts.edited;
    // A comment that left the window since the check (deleted meanwhile) stays as saved; the next run asks again.
    const returned = new Set(results.map((c) => c._id));
    fetched += window.ids.filter((id) => returned.has(id)).length;
    if (window === windows.at(-1)) file.state = { ...file.state, complete: true, lastCompletedAt: new Date().toISOString() };
    await file.save();
    progress.page({ phase: "changed", position: fetched, total: changed.size, pages, changes: { added, edited } });
  }
  if (windows.length === 0) {
    file.state = { ...file.state, complete: true, lastCompletedAt: new Date().toISOString() };
    await file.save();
  }
  return { added, edited, pages };
}

/** A page that fetches some changed comments: every comment from the instant `after` on, `limit` of them. */
export interface ChangeWindow {
  readonly after: string;
  readonly limit: number;
  /** The changed comments it holds. */
  readonly ids: readonly string[];
}

/**
 * The pages that fetch every comment in `changed`, given all of the user's comments (`checked`, any order): each starts
 * at a changed comment's instant and takes whole instants (`after` is inclusive, ties come in any order), as many
 * as fit in `pageSize`, or the one instant's comments when they alone are more.
 */
export function changeWindows(checked: readonly ForumComment[], changed: ReadonlySet<string>, pageSize: number): ChangeWindow[] {
  const instants = new Map<number, { postedAt: string; ids: string[] }>();
  for (const comment of checked) {
    const time = Date.parse(comment.postedAt);
    const instant = instants.get(time);
    if (instant === undefined) instants.set(time, { postedAt: comment.postedAt, ids: [comment._id] });
    else instant.ids.push(comment._id);
  }
  const ordered = [...instants.entries()].sort(([a], [b]) => a - b).map(([, instant]) => instant);
  const windows: ChangeWindow[] = [];
  let open: { after: string; limit: number; ids: string[] } | undefined;
  let gap = 0;
  for (const { postedAt, ids } of ordered) {
    const changedHere = ids.filter((id) => changed.has(id));
    if (changedHere.length === 0) {
      if (open !== undefined) gap += ids.length;
      continue;
    }
    if (open !== undefined && open.limit + gap + ids.length <= pageSize) {
      open.limit += gap + ids.length;
      open.ids.push(...changedHere);
    } else {
      if (open !== undefined) windows.push(open);
      open = { after: postedAt, limit: ids.length, ids: changedHere };
    }
    gap = 0;
  }
  if (open !== undefined) windows.push(open);
  return windows;
}

/** The user a slug names, trying each documented lookup; an unknown slug is an error. */
export async function lookUpUser(client: GraphqlClient, slug: string, endpoint: string): Promise<ForumUser> {
  const what = `looking up the user "${slug}"`;
  const refusals: string[] = [];
  let refused = false;
  for (const { query, path, onlyWhenRefused } of USER_BY_SLUG_QUERIES) {
    if (onlyWhenRefused && !refused) continue;
    refused = false;
    let response;
    try {
      response = await client.request(query, { slug }, what);
    } catch (error) {
      // A form of the query this forum does not accept (GraphQL validation answers 400): try the next.
      if (error instanceof ForumHttpError && error.status === 400) {
        refusals.push(error.message);
        refused = true;
        continue;
      }
      throw error;
    }
    const user = userOfLookup(response, path, what);
    if (user !== undefined) return user;
    if (response.errors === undefined) break;
    refusals.push(`${what}: ${response.errors.map((e) => e.message).join("; ")}`);
  }
  const unknown = `no user with the slug "${slug}" on ${endpoint} (check the slug in the profile's URL, /users/<slug>)`;
  throw new Error(unknown, refusals.length > 0 ? { cause: new Error(refusals.join("\n")) } : undefined);
}
