// Keyset paging on the posting instant, oldest first. `after` is inclusive and many comments can share one instant,
// so each page repeats the last instant's comments (dropped by id), and a page that is all one instant is asked for again, wider.
import type { ForumComment } from "./comment-shape.ts";

export interface PageRequest {
  /** Comments posted at or after this instant; null: from the first. */
  readonly after: string | null;
  readonly limit: number;
}

export interface PageTaken {
  /** The page's comments not seen earlier in this pass. */
  readonly fresh: readonly ForumComment[];
  /** True when the pass has reached the newest comment. */
  readonly done: boolean;
}

export class KeysetPager {
  readonly #pageSize: number;
  readonly #maxPageSize: number;
  readonly #seen = new Set<string>();
  #after: string | null;
  #limit: number;

  constructor(after: string | null, pageSize: number, maxPageSize: number) {
    this.#after = after;
    this.#pageSize = pageSize;
    this.#maxPageSize = Math.max(pageSize, maxPageSize);
    this.#limit = pageSize;
  }

  /** Comments seen in this pass so far. */
  get seenCount(): number {
    return this.#seen.size;
  }

  /** What to ask for next. */
  get request(): PageRequest {
    return { after: this.#after, limit: this.#limit };
  }

  /** Takes the results of `request` and moves the cursor past them. */
  take(results: readonly ForumComment[]): PageTaken {
    const fresh = results.filter((comment) => !this.#seen.has(comment._id));
    for (const comment of fresh) this.#seen.add(comment._id);
    const newest = results.reduce<string | null>((max, c) => (max === null || instant(c.postedAt) > instant(max) ? c.postedAt : max), null);
    const full = results.length >= this.#limit;
    const oneInstant = newest !== null && results.every((c) => instant(c.postedAt) === instant(newest));
    if (full && (oneInstant || fresh.length === 0)) {
      // The page cannot move the cursor: ask for the same instant again with room for all of its comments.
      if (this.#limit >= this.#maxPageSize) {
        throw new Error(`more than ${this.#limit} comments from ${this.#after ?? "the start"} on share one instant or repeat; the forum's page size limit leaves no way past them`);
      }
      if (oneInstant && newest !== null && (this.#after === null || instant(newest) > instant(this.#after))) this.#after = newest;
      this.#limit = Math.min(this.#limit * 2, this.#maxPageSize);
      return { fresh, done: false };
    }
    if (fresh.length === 0) return { fresh, done: true };
    if (newest !== null && (this.#after === null || instant(newest) > instant(this.#after))) this.#after = newest;
    this.#limit = this.#pageSize;
    return { fresh, done: false };
  }
}

function instant(iso: string): number {
  return Date.parse(iso);
}
