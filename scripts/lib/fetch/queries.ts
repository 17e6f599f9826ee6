// The GraphQL the fetcher sends: every comment field a lossless import uses (see docs/forum-api), and each reply's parent.

/** Fields of the author of a parent comment: enough to name and link them in a reply's context. */
const PARENT_FIELDS = `_id postedAt user { _id username displayName slug } contents { plaintextMainText }`;

/** Every field of a comment that the forum API documents, so the saved file loses nothing an import could use. */
export const COMMENT_FIELDS = [
  "_id",
  "postedAt",
  "lastEditedAt",
  "pageUrl",
  "postId",
  "post { _id title slug pageUrl }",
  "tagId",
  "tag { name slug }",
  "parentCommentId",
  "topLevelCommentId",
  "user { _id username displayName slug }",
  "contents { markdown html plaintextMainText wordCount originalContents { type data } }",
  "htmlBody",
  "baseScore",
  "voteCount",
  "extendedScore",
  "retracted",
  "deleted",
  "deletedPublic",
  "deletedReason",
  "af",
  "shortform",
  "answer",
  "parentAnswerId",
  "descendentCount",
  "directChildrenCount",
  `parentComment { ${PARENT_FIELDS} }`,
] as const;

/** Fields that change when the author edits, deletes or retracts a comment: a difference means fetching it again. */
export const EDIT_FIELDS = ["lastEditedAt", "deleted", "retracted"] as const;

/** Fields that change without an edit (votes, replies): refreshed from the check for edits, no body needed. */
export const COUNTER_FIELDS = ["baseScore", "voteCount", "extendedScore", "descendentCount", "directChildrenCount"] as const;

/** What a later run asks of every comment to find the new and edited ones: no bodies, so big pages stay small. */
export const CHECK_FIELDS = ["_id", "postedAt", ...EDIT_FIELDS, ...COUNTER_FIELDS] as const;

/** One page of a user's comments with `fields`, oldest first, from `after` (inclusive) on: the keyset query the API documents. */
function userCommentsQuery(name: string, fields: readonly string[]): string {
  return `query ${name}($userId: String, $after: String, $limit: Int) {
  comments(input: {terms: {view: "allRecentComments", userId: $userId, after: $after, sortBy: "oldest", limit: $limit}}) {
    results { ${fields.join(" ")} }
  }
}`;
}

/** A page of whole comments. */
export const USER_COMMENTS_PAGE_QUERY = userCommentsQuery("UserCommentsPage", COMMENT_FIELDS);

/** A page of comments' edit dates and counters (a later run's check for edits). */
export const USER_COMMENTS_CHECK_QUERY = userCommentsQuery("UserCommentsCheck", CHECK_FIELDS);

export interface UserCommentsPageVariables {
  readonly userId: string;
  readonly after: string | null;
  readonly limit: number;
  readonly [name: string]: unknown;
}

const USER_FIELDS = "_id username displayName slug";

/**
 * Ways to look a user up by slug, tried in order: the documented `user(input:)` form with the user's comment
 * count (for a progress estimate), the same without it (the count is not a documented field, so only when the
 * forum refused the first), then `GetUserBySlug`.
 */
export const USER_BY_SLUG_QUERIES: readonly { readonly query: string; readonly path: readonly string[]; readonly onlyWhenRefused?: boolean }[] = [
  { query: `query UserBySlug($slug: String) { user(input: {selector: {slug: $slug}}) { result { ${USER_FIELDS} commentCount } } }`, path: ["user", "result"] },
  { query: `query UserBySlug($slug: String) { user(input: {selector: {slug: $slug}}) { result { ${USER_FIELDS} } } }`, path: ["user", "result"], onlyWhenRefused: true },
  { query: `query UserBySlug($slug: String) { GetUserBySlug(slug: $slug) { ${USER_FIELDS} } }`, path: ["GetUserBySlug"] },
];
