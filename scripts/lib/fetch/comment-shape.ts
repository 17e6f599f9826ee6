// What the fetcher relies on in the forum's answers, checked, so an unexpected answer is an error that says what was wrong.
import type { GraphqlResponse } from "./graphql-client.ts";

/** A comment as the API returns it: every field kept as is; only these few are relied on. */
export interface ForumComment {
  readonly _id: string;
  readonly postedAt: string;
  readonly lastEditedAt?: string | null;
  readonly pageUrl?: string | null;
  readonly parentCommentId?: string | null;
  readonly parentComment?: ForumParentComment | null;
  readonly [field: string]: unknown;
}

export interface ForumParentComment {
  readonly _id: string;
  readonly postedAt?: string | null;
  readonly user?: ForumUserRef | null;
  readonly contents?: { readonly plaintextMainText?: string | null } | null;
}

export interface ForumUserRef {
  readonly _id?: string;
  readonly username?: string | null;
  readonly displayName?: string | null;
  readonly slug?: string | null;
}

export interface ForumUser {
  readonly _id: string;
  readonly username: string | null;
  readonly displayName: string | null;
  readonly slug: string;
  /** Not a documented field: absent when the forum does not know it. */
  readonly commentCount?: number;
}

export class UnexpectedResponseError extends Error {
  override readonly name = "UnexpectedResponseError";
}

/** The `results` of a comments page, each with an id and a real posting instant. */
export function commentsOfPage(response: GraphqlResponse, what: string): readonly ForumComment[] {
  const results = valueAt(response.data, ["comments", "results"]);
  if (!Array.isArray(results)) {
    const errors = response.errors?.map((e) => e.message).join("; ");
    throw new UnexpectedResponseError(`${what}: the forum's response has no data.comments.results list${errors ? ` (errors: ${errors})` : ""}`, {
      cause: `response: ${JSON.stringify(response).slice(0, 300)}`,
    });
  }
  results.forEach((comment: unknown, index) => {
    const problem = commentProblem(comment);
    if (problem !== undefined) throw new UnexpectedResponseError(`${what}: result ${index} is not a comment (${problem})`, { cause: `result: ${JSON.stringify(comment)?.slice(0, 300)}` });
  });
  return results as ForumComment[];
}

function commentProblem(comment: unknown): string | undefined {
  if (typeof comment !== "object" || comment === null || Array.isArray(comment)) return "not an object";
  const { _id, postedAt, parentComment } = comment as Record<string, unknown>;
  if (typeof _id !== "string" || _id === "") return "no _id";
  if (typeof postedAt !== "string" || Number.isNaN(Date.parse(postedAt))) return `postedAt ${JSON.stringify(postedAt)} is not an instant`;
  if (parentComment != null && (typeof parentComment !== "object" || typeof (parentComment as { _id?: unknown })._id !== "string")) return "parentComment has no _id";
  return undefined;
}

/** The user object at `path` of a lookup's data, or undefined when there is none (an unknown slug). */
export function userOfLookup(response: GraphqlResponse, path: readonly string[], what: string): ForumUser | undefined {
  const user = valueAt(response.data, path);
  if (user === null || user === undefined) return undefined;
  const { _id, username, displayName, slug, commentCount } = user as Record<string, unknown>;
  if (typeof _id !== "string" || _id === "" || typeof slug !== "string") {
    throw new UnexpectedResponseError(`${what}: the forum's user has no _id or slug`, { cause: `user: ${JSON.stringify(user).slice(0, 300)}` });
  }
  return {
    _id,
    username: typeof username === "string" ? username : null,
    displayName: typeof displayName === "string" ? displayName : null,
    slug,
    ...(typeof commentCount === "number" && Number.isInteger(commentCount) && commentCount >= 0 ? { commentCount } : {}),
  };
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
