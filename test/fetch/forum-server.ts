// A fake forum for the fetch tests: a real HTTP server on 127.0.0.1 that answers the GraphQL the fetcher sends
// with the documented semantics (`after` inclusive, `offset` refused above 2,000, `limit` capped), from generated data,
// and that can be told to fail the way a real server does (429, 5xx, a dropped connection, a malformed body).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  readonly _id: string;
  readonly username: string;
  readonly displayName: string;
  readonly slug: string;
  commentCount: number;
}

/** A comment with every field the API documents (so the fake can answer any selection of them). */
export type FakeComment = Record<string, unknown> & { _id: string; postedAt: string; userId: string };

export interface ForumData {
  readonly users: FakeUser[];
  readonly comments: FakeComment[];
}

export interface GenerateOptions {
  readonly slug: string;
  /** The user's own comments. */
  readonly count: number;
  /** How many of them share one instant, and from which index (oldest first). */
  readonly burst?: { readonly at: number; readonly size: number };
  readonly seed?: number;
}

export const OUTSIDE_AUTHOR_SLUG = "outside-author";
/** Comment indexes (oldest first) with special roles in generated data. */
export const OUTSIDE_REPLY_EVERY = 11;
export const DELETED_POST_INDEX = 5;

/** A deterministic PRNG (mulberry32), so every run of a test sees the same forum. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID_CHARS = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";

export function generateForum(options: GenerateOptions): ForumData {
  const random = randomSource(options.seed ?? 1);
  const id = (): string => Array.from({ length: 17 }, () => ID_CHARS[Math.floor(random() * ID_CHARS.length)]).join("");
  const user: FakeUser = { _id: id(), username: options.slug.replace(/-/g, "_"), displayName: `The ${options.slug}`, slug: options.slug, commentCount: options.count };
  const outsider: FakeUser = { _id: id(), username: "Outsider", displayName: "An Outsider", slug: OUTSIDE_AUTHOR_SLUG, commentCount: 0 };
  const posts = Array.from({ length: 40 }, (_, i) => ({ _id: id(), title: `Post ${i}: on "things" · and more`, slug: `post-${i}` }));
  const comments: FakeComment[] = [];
  let time = Date.parse("2018-01-01T00:00:00.000Z");
  // Others' comments come first, so that every reply's parent is older than the reply.
  const outsideComments: FakeComment[] = [];
  for (let i = 0; i < 30; i++) {
    time += 60_000 + Math.floor(random() * 3_600_000);
    const comment = makeComment(id(), outsider, posts[i % posts.length]!, time, `Outside comment ${i}, which someone replied to. ${"Words go on. ".repeat(40)}`, null);
    outsideComments.push(comment);
    comments.push(comment);
  }
  outsider.commentCount = outsideComments.length;
  const own: FakeComment[] = [];
  for (let i = 0; i < options.count; i++) {
    const inBurst = options.burst !== undefined && i > options.burst.at && i < options.burst.at + options.burst.size;
    if (!inBurst) time += 1 + Math.floor(random() * 3_600_000);
    const post = posts[Math.floor(random() * posts.length)]!;
    let parent: FakeComment | null = null;
    if (i % OUTSIDE_REPLY_EVERY === 3) parent = outsideComments[i % outsideComments.length]!;
    else if (i % 7 === 4 && own.length > 0) parent = own[Math.floor(random() * own.length)]!;
    const comment = makeComment(id(), user, post, time, `Comment ${i} by ${user.username}: $x^2$ and a [link](https://example.org/${i}).`, parent);
    if (i === DELETED_POST_INDEX) {
      comment.post = null;
      comment.postId = id();
      comment.pageUrl = new Error("The post of this comment is gone");
    }
    own.push(comment);
    comments.push(comment);
  }
  return { users: [user, outsider], comments };
}

function makeComment(_id: string, user: FakeUser, post: { _id: string; title: string; slug: string }, time: number, text: string, parent: FakeComment | null): FakeComment {
  const postUrl = `https://forum.example/posts/${post._id}/${post.slug}`;
  return {
    _id,
    userId: user._id,
    postedAt: new Date(time).toISOString(),
    lastEditedAt: new Date(time).toISOString(),
    pageUrl: `${postUrl}?commentId=${_id}`,
    postId: post._id,
    post: { _id: post._id, title: post.title, slug: post.slug, pageUrl: postUrl },
    tagId: null,
    tag: null,
    parentCommentId: parent?._id ?? null,
    topLevelCommentId: parent ? ((parent.topLevelCommentId as string | null) ?? parent._id) : null,
    user: { _id: user._id, username: user.username, displayName: user.displayName, slug: user.slug },
    contents: { markdown: text, html: `<p>${text}</p>`, plaintextMainText: text, wordCount: text.split(/\s+/).length, originalContents: { type: "markdown", data: text } },
    htmlBody: `<p>${text}</p>`,
    baseScore: Math.floor(time / 1000) % 17,
    voteCount: Math.floor(time / 1000) % 5,
    extendedScore: { agreement: 1, agreementVoteCount: 1 },
    retracted: false,
    deleted: false,
    deletedPublic: false,
    deletedReason: null,
    af: false,
    shortform: false,
    answer: false,
    parentAnswerId: null,
    descendentCount: 0,
    directChildrenCount: 0,
    parentComment: parent,
  };
}

/** What the server does instead of answering one request. */
export type Fault =
  | { readonly kind: "status"; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  | { readonly kind: "drop" }
  | { readonly kind: "malformed" }
  | { readonly kind: "wrong-shape" };

export interface RecordedRequest {
  /** Date.now() when the request arrived. */
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly operation: "user" | "comments" | "other";
  readonly variables: Record<string, unknown>;
  readonly query: string;
  /** "ok", or the fault's kind (with the status). */
  readonly outcome: string;
}

export class FakeForum {
  readonly requests: RecordedRequest[] = [];
  /** Comment pages answered in full. */
  commentPagesServed = 0;
  /** Called as each request arrives, before it is answered (tests check the output file here). */
  onRequest: ((request: RecordedRequest) => void) | undefined;
  /** Whether the user type has the (undocumented) `commentCount` field; without it, asking is a 400. */
  knowsCommentCount = true;
  readonly #faults: { afterPages: number; fault: Fault }[] = [];
  readonly #server: Server;
  #requestNumber = 0;

  private constructor(
    readonly data: ForumData,
    server: Server,
  ) {
    this.#server = server;
  }

  static async start(data: ForumData): Promise<FakeForum> {
    const server = createServer();
    const forum = new FakeForum(data, server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => forum.#answer(request.headers, Buffer.concat(chunks).toString("utf8"), response));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return forum;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/graphql`;
  }

  /** The next comment-page requests after `afterPages` pages have been answered get these faults, one each. */
  failCommentPages(afterPages: number, ...faults: Fault[]): void {
    for (const fault of faults) this.#faults.push({ afterPages, fault });
  }

  commentRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === "comments");
  }

  user(slug: string): FakeUser {
    const user = this.data.users.find((u) => u.slug === slug);
    if (!user) throw new Error(`no fake user ${slug}`);
    return user;
  }

  commentsOf(slug: string): FakeComment[] {
    const { _id } = this.user(slug);
    return this.data.comments.filter((c) => c.userId === _id);
  }

  /** Edits a comment as its author would: new text, a new lastEditedAt, the same postedAt. */
  edit(commentId: string, text: string, at: Date): void {
    const comment = this.data.comments.find((c) => c._id === commentId);
    if (!comment) throw new Error(`no fake comment ${commentId}`);
    comment.lastEditedAt = at.toISOString();
    comment.contents = { markdown: text, html: `<p>${text}</p>`, plaintextMainText: text, wordCount: text.split(/\s+/).length, originalContents: { type: "markdown", data: text } };
    comment.htmlBody = `<p>${text}</p>`;
  }

  /** A new comment by `slug`, posted at `at`, like the newest one otherwise. */
  post(slug: string, _id: string, at: Date, text: string): FakeComment {
    const user = this.user(slug);
    const like = this.commentsOf(slug).at(-1)!;
    const comment: FakeComment = { ...like, _id, postedAt: at.toISOString(), lastEditedAt: at.toISOString(), parentComment: null, parentCommentId: null, topLevelCommentId: null };
    comment.contents = { markdown: text, html: `<p>${text}</p>`, plaintextMainText: text, wordCount: 1, originalContents: { type: "markdown", data: text } };
    this.data.comments.push(comment);
    user.commentCount++;
    return comment;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #answer(headers: IncomingHttpHeaders, body: string, response: ServerResponse): void {
    let query = "";
    let variables: Record<string, unknown> = {};
    try {
      ({ query, variables = {} } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> });
    } catch {
      return send(response, 400, { errors: [{ message: "body is not JSON" }] });
    }
    const operation = /\bcomments\s*\(/.test(query) ? "comments" : /\b(user|GetUserBySlug)\s*\(/.test(query) ? "user" : "other";
    this.#requestNumber++;
    const fault = operation === "comments" ? this.#takeFault() : undefined;
    const record: RecordedRequest = { at: Date.now(), headers, operation, variables, query, outcome: fault ? (fault.kind === "status" ? `status ${fault.status}` : fault.kind) : "ok" };
    this.requests.push(record);
    this.onRequest?.(record);
    if (fault) return sendFault(response, fault);
    try {
      if (operation === "user") return this.#answerUser(query, variables, response);
      if (operation === "comments") return this.#answerComments(query, variables, response);
      return send(response, 400, { errors: [{ message: "the fake forum answers user and comments queries only" }] });
    } catch (error) {
      if (error instanceof QueryError) return send(response, 400, { errors: [{ message: error.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }] });
      throw error;
    }
  }

  #takeFault(): Fault | undefined {
    const next = this.#faults[0];
    if (next === undefined || next.afterPages > this.commentPagesServed) return undefined;
    this.#faults.shift();
    return next.fault;
  }

  #answerUser(query: string, variables: Record<string, unknown>, response: ServerResponse): void {
    const selection = parseOperation(query);
    const slug = variables.slug;
    const user = this.data.users.find((u) => u.slug === slug);
    const userFields = (u: FakeUser): Record<string, unknown> => {
      const fields: Record<string, unknown> = { _id: u._id, username: u.username, displayName: u.displayName, slug: u.slug };
      if (this.knowsCommentCount) fields.commentCount = u.commentCount;
      return fields;
    };
    if (selection.has("GetUserBySlug")) {
      return send(response, 200, { data: { GetUserBySlug: user ? project(userFields(user), selection.get("GetUserBySlug") ?? null, "User") : null } });
    }
    const resultSelection = selection.get("user")?.get("result") ?? null;
    if (!user) {
      // The forum's single-document resolver reports a missing document as an error beside a null result.
      if (resultSelection) project({ _id: "", username: "", displayName: "", slug: "", ...(this.knowsCommentCount ? { commentCount: 0 } : {}) }, resultSelection, "User");
      return send(response, 200, { data: { user: null }, errors: [{ message: "app.missing_document", path: ["user"] }] });
    }
    return send(response, 200, { data: { user: { result: project(userFields(user), resultSelection, "User") } } });
  }

  #answerComments(query: string, variables: Record<string, unknown>, response: ServerResponse): void {
    if (!/view:\s*"allRecentComments"/.test(query) || !/sortBy:\s*"oldest"/.test(query)) throw new QueryError("the fake forum answers the allRecentComments view oldest first only");
    const resultsSelection = parseOperation(query).get("comments")?.get("results");
    if (!resultsSelection) throw new QueryError("comments query without results { … }");
    const offset = typeof variables.offset === "number" ? variables.offset : 0;
    if (offset > 2000) return send(response, 200, { data: { comments: null }, errors: [{ message: "Exceeded maximum value for skip", path: ["comments"] }] });
    const limit = Math.min(typeof variables.limit === "number" ? variables.limit : 20, 5000);
    const after = typeof variables.after === "string" ? Date.parse(variables.after) : Number.NEGATIVE_INFINITY;
    // Ties come back in an order that changes from request to request, as a database's may.
    const tieOrder = randomSource(this.#requestNumber);
    const matching = this.data.comments
      .filter((c) => c.userId === variables.userId && Date.parse(c.postedAt) >= after)
      .map((c) => ({ c, tie: tieOrder() }))
      .sort((a, b) => Date.parse(a.c.postedAt) - Date.parse(b.c.postedAt) || a.tie - b.tie)
      .map(({ c }) => c)
      .slice(offset, offset + limit);
    const errors: { message: string; path: (string | number)[] }[] = [];
    const results = matching.map((comment, index) => {
      const { pageUrl } = comment;
      if (pageUrl instanceof Error) errors.push({ message: pageUrl.message, path: ["comments", "results", index, "pageUrl"] });
      return project({ ...comment, pageUrl: pageUrl instanceof Error ? null : pageUrl }, resultsSelection, "Comment");
    });
    this.commentPagesServed++;
    send(response, 200, errors.length > 0 ? { data: { comments: { results } }, errors } : { data: { comments: { results } } });
  }
}

class QueryError extends Error {}

type Selection = Map<string, Selection | null>;

/** The selection set of a query's operation, as nested maps of field names (arguments are skipped). */
export function parseOperation(query: string): Selection {
  const tokens: string[] = query.match(/"(?:[^"\\]|\\.)*"|[_A-Za-z][_0-9A-Za-z]*|[{}():$,!=[\]]|-?\d+(?:\.\d+)?/g) ?? [];
  let i = tokens.indexOf("{");
  if (i === -1) throw new QueryError("no selection set");
  const peek = (): string | undefined => tokens[i];
  const skipParens = (): void => {
    let depth = 0;
    do {
      if (tokens[i] === "(") depth++;
      else if (tokens[i] === ")") depth--;
      i++;
    } while (depth > 0 && i < tokens.length);
  };
  const parseSet = (): Selection => {
    if (peek() !== "{") throw new QueryError(`expected "{" at token ${i}`);
    i++;
    const set: Selection = new Map();
    while (peek() !== "}") {
      const name = peek();
      if (name === undefined || !/^[_A-Za-z]/.test(name)) throw new QueryError(`expected a field name, not ${name}`);
      i++;
      if (peek() === "(") skipParens();
      set.set(name, peek() === "{" ? parseSet() : null);
    }
    i++;
    return set;
  };
  // Variable definitions come before the first "{" and are not part of the selection.
  return parseSet();
}

/** `value` cut down to `selection`, as GraphQL does; a field the type lacks is a validation error (HTTP 400). */
function project(value: unknown, selection: Selection | null, type: string): unknown {
  if (selection === null || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => project(v, selection, type));
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, sub] of selection) {
    if (!(field in object)) throw new QueryError(`Cannot query field "${field}" on type "${type}".`);
    out[field] = project(object[field], sub, field);
  }
  return out;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

function sendFault(response: ServerResponse, fault: Fault): void {
  switch (fault.kind) {
    case "status": {
      const text = fault.body ?? `<html><body>Error ${fault.status}</body></html>`;
      response.writeHead(fault.status, { "content-type": "text/html", "content-length": Buffer.byteLength(text), ...(fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {}) });
      return void response.end(text);
    }
    case "drop": {
      // Headers and half a body, then the connection is gone.
      const text = JSON.stringify({ data: { comments: { results: [{ _id: "x".repeat(17), postedAt: "2020-01-01T00:00:00.000Z" }] } } });
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      response.write(text.slice(0, 20));
      setTimeout(() => response.socket?.destroy(), 20);
      return;
    }
    case "malformed":
      return void response.writeHead(200, { "content-type": "application/json" }).end('{"data": {"comments": {"results": [{"_id": ');
    case "wrong-shape":
      return send(response, 200, { data: { comments: { totalCount: 3 } } });
  }
}
