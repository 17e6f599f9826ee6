// Fetches one user's comments into the output file: looks the user up, then pages through their comments oldest
// first, saving after every page so that the next run continues where this one stopped.
import { commentsOfPage, type ForumUser, userOfLookup } from "./comment-shape.ts";
import { type FetchState, FetchedFile } from "./fetched-file.ts";
import { ForumHttpError, type GraphqlClient } from "./graphql-client.ts";
import { KeysetPager } from "./keyset-pager.ts";
import type { ProgressReporter } from "./progress.ts";
import { USER_BY_SLUG_QUERIES, USER_COMMENTS_PAGE_QUERY, type UserCommentsPageVariables } from "./queries.ts";

/** Widening stops here: the API caps `limit` at "a few thousand", and a silently capped page would look like the last one. */
export const MAX_PAGE_SIZE = 2_000;

export interface FetchUserCommentsOptions {
  readonly userSlug: string;
  readonly endpoint: string;
  readonly outFile: string;
  /** Skip re-reading the comments already saved (so edits to them are not seen): only those posted since. */
  readonly newOnly: boolean;
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
  /** "resumed": an interrupted pass was continued; "all" or "new": a new pass of that kind was started. */
  readonly started: "resumed" | "all" | "new";
}

export async function fetchUserComments(options: FetchUserCommentsOptions): Promise<FetchSummary> {
  const { userSlug, endpoint, outFile, newOnly, pageSize, client, progress } = options;
  const saved = await FetchedFile.load(outFile, endpoint);
  const user = await lookUpUser(client, userSlug, endpoint);
  if (saved !== undefined && saved.user._id !== user._id) {
    throw new Error(`${outFile} holds the comments of "${saved.user.slug}" (id ${saved.user._id}), not of "${userSlug}" (id ${user._id}); give another --out`);
  }
  const now = new Date().toISOString();
  const file = saved ?? new FetchedFile(outFile, endpoint, user, { pass: "all", complete: false, after: null, passStartedAt: now, lastCompletedAt: null });
  file.user = user;
  let started: FetchSummary["started"] = "resumed";
  if (saved === undefined || file.state.complete) {
    // Edits change no posting date, so only reading every comment again finds them; --new-only skips that.
    started = saved !== undefined && newOnly ? "new" : "all";
    file.state = { ...file.state, pass: started, complete: false, after: started === "new" ? file.newestPostedAt : null, passStartedAt: now };
  }

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
    const state: FetchState = done ? { ...file.state, complete: true, after: null, lastCompletedAt: new Date().toISOString() } : { ...file.state, after: pager.request.after };
    file.state = state;
    await file.save();
    progress.page({ position: positionAtStart + pager.seenCount, total: user.commentCount, pages, changes: saved === undefined ? undefined : { added, edited } });
    if (done) break;
  }
  progress.finish();
  return { user, comments: file.commentCount, added, edited, pages, started };
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
