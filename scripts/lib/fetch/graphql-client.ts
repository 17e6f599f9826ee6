// POSTs GraphQL to a forum the way a well-behaved client does: a descriptive User-Agent, a pause between
// requests, and exponential back-off on 429 and 5xx that honours Retry-After; anything else is an error at once.
import { setTimeout as sleep } from "node:timers/promises";

export interface GraphqlClientOptions {
  readonly endpoint: string;
  readonly userAgent: string;
  /** The pause between the end of one request and the start of the next. */
  readonly delayMs: number;
  /** The first back-off after a 429, a 5xx or a dropped connection; each further retry doubles it. */
  readonly backoffMs: number;
  readonly maxRetries: number;
  /** A Retry-After longer than this is reported as an error rather than waited out. */
  readonly maxRetryAfterMs: number;
  readonly timeoutMs: number;
  readonly onRetry?: (retry: RetryNotice) => void;
}

export interface RetryNotice {
  readonly attempt: number;
  readonly waitMs: number;
  readonly reason: string;
}

export interface GraphqlError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly [field: string]: unknown;
}

/** A parsed GraphQL response body: `data` may be partial beside `errors`. */
export interface GraphqlResponse {
  readonly data?: unknown;
  readonly errors?: readonly GraphqlError[];
}

/** The forum answered with a status that retrying will not fix (or retries ran out). */
export class ForumHttpError extends Error {
  override readonly name = "ForumHttpError";
  constructor(
    message: string,
    readonly status: number,
    readonly graphqlErrors: readonly GraphqlError[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A request that can be sent again unchanged and may then succeed. */
class TransientFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class GraphqlClient {
  readonly #options: GraphqlClientOptions;
  #lastRequestEndedAt = Number.NEGATIVE_INFINITY;
  /** Requests sent, retries included (for the progress line). */
  requestCount = 0;

  constructor(options: GraphqlClientOptions) {
    this.#options = options;
  }

  /** Sends `query` and returns its parsed body; `what` names the request in errors ("page after 2021-…"). */
  async request(query: string, variables: Readonly<Record<string, unknown>>, what: string): Promise<GraphqlResponse> {
    const { maxRetries, backoffMs, maxRetryAfterMs, onRetry } = this.#options;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#send(query, variables, what);
      } catch (error) {
        if (!(error instanceof TransientFailure)) throw error;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) {
          throw new Error(`${what}: the forum asks to wait ${Math.ceil(error.retryAfterMs / 1000)} s before the next request; run the command again later (what was fetched is saved)`, { cause: error });
        }
        if (attempt >= maxRetries) throw new Error(`${what}: gave up after ${attempt + 1} attempts`, { cause: error });
        const backoff = backoffMs * 2 ** attempt * (1 + Math.random() / 4);
        const waitMs = error.retryAfterMs ?? backoff;
        onRetry?.({ attempt: attempt + 1, waitMs, reason: error.message });
        await sleep(waitMs);
      }
    }
  }

  async #send(query: string, variables: Readonly<Record<string, unknown>>, what: string): Promise<GraphqlResponse> {
    const { endpoint, userAgent, delayMs, timeoutMs } = this.#options;
    const pause = this.#lastRequestEndedAt + delayMs - performance.now();
    if (pause > 0) await sleep(pause);
    this.requestCount++;
    let status: number;
    let statusText: string;
    let retryAfter: string | null;
    let body: string;
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "user-agent": userAgent },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      ({ status, statusText } = response);
      retryAfter = response.headers.get("retry-after");
      body = await response.text();
    } catch (cause) {
      // Refused, reset or cut off mid-body, or too slow: the same request may well succeed next time.
      throw new TransientFailure(`the connection to ${endpoint} failed (${describeNetworkError(cause)})`, undefined, { cause });
    } finally {
      this.#lastRequestEndedAt = performance.now();
    }
    if (status === 429 || status >= 500) {
      throw new TransientFailure(`HTTP ${status} ${statusText}`.trim(), parseRetryAfter(retryAfter, Date.now()), { cause: bodyExcerpt(body) });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (cause) {
      if (status < 200 || status >= 300) throw new ForumHttpError(`${what}: the forum answered HTTP ${status} ${statusText}`.trim(), status, [], { cause: bodyExcerpt(body) });
      throw new Error(`${what}: the forum's response is not JSON (${body.length} bytes starting ${JSON.stringify(body.slice(0, 60))})`, { cause });
    }
    const errors = graphqlErrorsOf(parsed);
    if (status < 200 || status >= 300) {
      const messages = errors.map((e) => e.message).join("; ");
      throw new ForumHttpError(`${what}: the forum answered HTTP ${status} ${statusText}${messages ? `: ${messages}` : ""}`.trim(), status, errors, { cause: bodyExcerpt(body) });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${what}: the forum's response is not a GraphQL response object`, { cause: bodyExcerpt(body) });
    }
    const data = (parsed as { data?: unknown }).data;
    return errors.length > 0 ? { data, errors } : { data };
  }
}

/** Retry-After as milliseconds from `now`: whole seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function graphqlErrorsOf(parsed: unknown): GraphqlError[] {
  const errors = typeof parsed === "object" && parsed !== null ? (parsed as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors)) return [];
  return errors.map((e: unknown) => (typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string" ? (e as GraphqlError) : { message: JSON.stringify(e) }));
}

function bodyExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return `response body: ${flat.length > 300 ? `${flat.slice(0, 300)}…` : flat || "(empty)"}`;
}

function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 4; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    parts.push(code ? `${e.message} [${code}]` : e.message);
  }
  return parts.join(": ") || String(error);
}
