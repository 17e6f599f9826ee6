// Splits a long list into numbered pages: `<base>`, `<base>page/2/`, ...
export interface Paged<T> {
  /** In the order the page shows them. */
  readonly items: readonly T[];
  /** 1-based. */
  readonly number: number;
  readonly count: number;
  /** The list's own permalink: the first page, or for a newest-first list the newest page. */
  readonly firstUrl: string;
  readonly url: string;
  /** The page before this one in reading order (for a newest-first list, the newer one). */
  readonly previousUrl?: string;
  readonly nextUrl?: string;
  /** Offset of the first item in the whole list; for a newest-first list, of the page's oldest item in the list oldest first. */
  readonly start: number;
  /** Set by `paginateNewestFirst`: pages numbered from the oldest, read from the newest. */
  readonly newestFirst?: true;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function pageUrl(baseUrl: string, number: number): string {
  return number === 1 ? baseUrl : `${baseUrl}page/${number}/`;
}

/** Always at least one page, so an empty thread or a posts-only author still has one. */
export function paginate<T>(items: readonly T[], size: number, baseUrl: string): Paged<T>[] {
  const count = Math.max(1, Math.ceil(items.length / size));
  return Array.from({ length: count }, (_, i) => {
    const number = i + 1;
    const page: Mutable<Paged<T>> = {
      items: items.slice(i * size, (i + 1) * size),
      number,
      count,
      firstUrl: baseUrl,
      url: pageUrl(baseUrl, number),
      start: i * size,
    };
    if (number > 1) page.previousUrl = pageUrl(baseUrl, number - 1);
    if (number < count) page.nextUrl = pageUrl(baseUrl, number + 1);
    return page;
  });
}

/**
 * Pages of a list read newest first whose pages keep their items as the list grows. They are
 * numbered from the oldest: `<base>page/1/` holds the oldest `size` items, `page/2/` the next
 * `size`, and the list's own URL the newest rest (from `size` to twice that less one, once the
 * list has `size` items). A new item changes the list's own page only, so a link to any other
 * page shows the same items for good. Pages come newest first; each page's items too.
 */
export function paginateNewestFirst<T>(oldestFirst: readonly T[], size: number, baseUrl: string): Paged<T>[] {
  const count = Math.max(1, Math.floor(oldestFirst.length / size));
  const urlOf = (number: number): string => (number === count ? baseUrl : `${baseUrl}page/${number}/`);
  const pages: Paged<T>[] = [];
  for (let number = count; number >= 1; number--) {
    const start = (number - 1) * size;
    const end = number === count ? oldestFirst.length : start + size;
    const page: Mutable<Paged<T>> = {
      items: oldestFirst.slice(start, end).reverse(),
      number,
      count,
      firstUrl: baseUrl,
      url: urlOf(number),
      start,
      newestFirst: true,
    };
    if (number < count) page.previousUrl = urlOf(number + 1);
    if (number > 1) page.nextUrl = urlOf(number - 1);
    pages.push(page);
  }
  return pages;
}
