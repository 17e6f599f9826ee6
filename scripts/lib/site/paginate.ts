// Splits a long list into numbered pages: `<base>`, `<base>page/2/`, ...
export interface Paged<T> {
  /** What is paged (a thread title, an author name, a period key): for page titles. */
  label: string;
  items: T[];
  /** 1-based. */
  number: number;
  count: number;
  /** First page's URL: the list's own permalink. */
  firstUrl: string;
  url: string;
  previousUrl?: string;
  nextUrl?: string;
  /** Offset of the first item in the whole list. */
  start: number;
  total: number;
}

export function pageUrl(baseUrl: string, number: number): string {
  return number === 1 ? baseUrl : `${baseUrl}page/${number}/`;
}

/** Always at least one page, so an empty thread or a posts-only author still has one. */
export function paginate<T>(items: T[], size: number, baseUrl: string, label: string): Paged<T>[] {
  const count = Math.max(1, Math.ceil(items.length / size));
  return Array.from({ length: count }, (_, i) => {
    const number = i + 1;
    const page: Paged<T> = {
      label,
      items: items.slice(i * size, (i + 1) * size),
      number,
      count,
      firstUrl: baseUrl,
      url: pageUrl(baseUrl, number),
      start: i * size,
      total: items.length,
    };
    if (number > 1) page.previousUrl = pageUrl(baseUrl, number - 1);
    if (number < count) page.nextUrl = pageUrl(baseUrl, number + 1);
    return page;
  });
}
