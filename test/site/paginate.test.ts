// Splitting lists into pages: plain pages, and newest-first pages that keep their items as the list grows.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { paginate, paginateNewestFirst } from "../../scripts/lib/site/paginate.ts";

const numbers = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const BASE = "/authors/ann/";

describe("paginateNewestFirst", () => {
  test("numbers pages from the oldest; the list's own page holds the newest rest, newest first", () => {
    const pages = paginateNewestFirst(numbers(250), 100, BASE);
    assert.deepEqual(
      pages.map((p) => [p.url, p.number, p.count, p.start, p.items[0], p.items.at(-1), p.items.length, p.previousUrl, p.nextUrl]),
      [
        [BASE, 2, 2, 100, 249, 100, 150, undefined, `${BASE}page/1/`],
        [`${BASE}page/1/`, 1, 2, 0, 99, 0, 100, BASE, undefined],
      ],
    );
  });

  test("a new item changes the list's own page only, until it fills another page", () => {
    const pageOne = (n: number) => paginateNewestFirst(numbers(n), 100, BASE).find((p) => p.url === `${BASE}page/1/`);
    assert.deepEqual(pageOne(251), pageOne(250));
    assert.deepEqual(pageOne(299)?.items, pageOne(200)?.items);
    const three = paginateNewestFirst(numbers(300), 100, BASE);
    assert.deepEqual(three.map((p) => [p.url, p.items.length]), [[BASE, 100], [`${BASE}page/2/`, 100], [`${BASE}page/1/`, 100]]);
  });

  test("a short or empty list is one page", () => {
    assert.deepEqual(paginateNewestFirst(numbers(199), 100, BASE).map((p) => [p.url, p.items.length, p.items[0]]), [[BASE, 199, 198]]);
    assert.deepEqual(paginateNewestFirst([], 100, BASE).map((p) => [p.url, p.items.length, p.count]), [[BASE, 0, 1]]);
  });
});

describe("paginate", () => {
  test("numbers pages from the first, which is the list's own URL", () => {
    const pages = paginate(numbers(250), 100, "/threads/t/");
    assert.deepEqual(
      pages.map((p) => [p.url, p.start, p.items.length, p.previousUrl, p.nextUrl]),
      [
        ["/threads/t/", 0, 100, undefined, "/threads/t/page/2/"],
        ["/threads/t/page/2/", 100, 100, "/threads/t/", "/threads/t/page/3/"],
        ["/threads/t/page/3/", 200, 50, "/threads/t/page/2/", undefined],
      ],
    );
  });
});
