// The HTTP client in-process against the fake forum: back-off that runs out, Retry-After as a date or too long, no retry on 4xx.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ForumHttpError, GraphqlClient, type GraphqlClientOptions, parseRetryAfter } from "../../scripts/lib/fetch/graphql-client.ts";
import { USER_COMMENTS_PAGE_QUERY } from "../../scripts/lib/fetch/queries.ts";
import { FakeForum, generateForum } from "./forum-server.ts";

describe("the forum client", () => {
  let forum: FakeForum;
  const client = (options: Partial<GraphqlClientOptions> = {}): GraphqlClient =>
    new GraphqlClient({ endpoint: forum.url, userAgent: "Commentarium/test", delayMs: 0, backoffMs: 5, maxRetries: 3, maxRetryAfterMs: 5_000, timeoutMs: 5_000, ...options });
  const page = (c: GraphqlClient): Promise<unknown> => c.request(USER_COMMENTS_PAGE_QUERY, { userId: forum.data.users[0]!._id, after: null, limit: 5 }, "page one");

  before(async () => {
    forum = await FakeForum.start(generateForum({ slug: "someone", count: 20 }));
  });
  after(() => forum.close());

  test("Retry-After is read as seconds or as an HTTP date", () => {
    const now = Date.parse("2024-05-01T12:00:00Z");
    assert.equal(parseRetryAfter("3", now), 3_000);
    assert.equal(parseRetryAfter("Wed, 01 May 2024 12:00:05 GMT", now), 5_000);
    assert.equal(parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  test("5xx and dropped connections are retried with growing waits, until the retries run out", async () => {
    const retries: number[] = [];
    forum.failCommentPages(forum.commentPagesServed, { kind: "status", status: 500 }, { kind: "drop" }, { kind: "status", status: 504 });
    const ok = await page(client({ backoffMs: 20, onRetry: ({ waitMs }) => retries.push(waitMs) }));
    assert.ok(ok);
    assert.equal(retries.length, 3);
    assert.ok(retries[0]! >= 20 && retries[1]! >= 40 && retries[2]! >= 80, `exponential: ${retries.join(", ")}`);

    forum.failCommentPages(forum.commentPagesServed, ...Array.from({ length: 4 }, () => ({ kind: "status", status: 503 }) as const));
    await assert.rejects(page(client()), (error: Error) => {
      assert.match(error.message, /^page one: gave up after 4 attempts$/);
      assert.match((error.cause as Error).message, /^HTTP 503 Service Unavailable$/);
      return true;
    });
  });

  test("a Retry-After date is waited out; one longer than the longest allowed wait is an error", async () => {
    const retryAt = new Date(Math.ceil((Date.now() + 1_000) / 1000) * 1000);
    forum.failCommentPages(forum.commentPagesServed, { kind: "status", status: 429, retryAfter: retryAt.toUTCString() });
    await page(client());
    const [limited, retried] = forum.commentRequests().slice(-2);
    assert.equal(limited!.outcome, "status 429");
    assert.ok(retried!.at >= retryAt.getTime() - 5, `retried ${retryAt.getTime() - retried!.at} ms early`);

    forum.failCommentPages(forum.commentPagesServed, { kind: "status", status: 429, retryAfter: "3600" });
    await assert.rejects(page(client()), /page one: the forum asks to wait 3600 s before the next request; run the command again later/);
  });

  test("a 4xx is an error at once, with the forum's GraphQL messages", async () => {
    const before = forum.commentRequests().length;
    forum.failCommentPages(forum.commentPagesServed, { kind: "status", status: 400, body: '{"errors":[{"message":"Cannot query field \\"x\\""}]}' });
    await assert.rejects(page(client()), (error: unknown) => {
      assert.ok(error instanceof ForumHttpError);
      assert.equal(error.status, 400);
      assert.equal(error.message, 'page one: the forum answered HTTP 400 Bad Request: Cannot query field "x"');
      return true;
    });
    assert.equal(forum.commentRequests().length - before, 1);
  });
});
