// Statistics of a list of comments from their facts alone (dates, threads, authors, word counts, scores): no comment's text is read.
import type { AuthorRef } from "../content/pages.ts";
import type { SiteComment } from "./site-archive.ts";

/** What the statistics read of a comment. */
export type CommentFacts = Pick<SiteComment, "date" | "thread" | "author" | "words" | "forum">;

export interface MonthCount {
  /** `2021-05` */
  readonly month: string;
  readonly comments: number;
}

/** A run of consecutive UTC days with a comment on each, from `first` to `last` (`2021-05-30`). */
export interface Streak {
  readonly days: number;
  readonly first: string;
  readonly last: string;
}

export interface Totals {
  readonly comments: number;
  readonly words: number;
  /** Threads with at least one of the comments. */
  readonly threads: number;
  /** Calendar years (UTC) with at least one comment. */
  readonly years: number;
  readonly firstYear?: string;
  readonly lastYear?: string;
  readonly longestStreak?: Streak;
}

export interface Activity {
  readonly totals: Totals;
  /** Every month from the first comment's to the last's, those without a comment as 0. */
  readonly months: readonly MonthCount[];
}

/** Monday first, as ISO 8601 counts. */
export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD…` date. */
const dayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

const dayString = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Monday 0 … Sunday 6 (1970-01-01 was a Thursday). */
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** The longest run of consecutive days among `days` (any order, repeats allowed); the earliest of equally long ones. */
export function longestStreak(days: Iterable<number>): Streak | undefined {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  let best: { start: number; length: number } | undefined;
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && (sorted[i] as number) !== (sorted[i - 1] as number) + 1) start = i;
    const length = i - start + 1;
    if (best === undefined || length > best.length) best = { start: sorted[start] as number, length };
  }
  return best === undefined ? undefined : { days: best.length, first: dayString(best.start), last: dayString(best.start + best.length - 1) };
}

/** `2021-05` to `2021-08`, every month between included. */
function monthSpan(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
  const end = last.slice(0, 7);
  for (;;) {
    const key = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
    months.push(key);
    if (key >= end) return months;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}

/** What one pass over the comments counts; `weekdayHours` only when asked for. */
function tally(comments: readonly CommentFacts[], withHours: boolean): { activity: Activity; weekdayHours: number[][] } {
  const weekdayHours = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  const byMonth = new Map<string, number>();
  const threads = new Set<string>();
  const years = new Set<string>();
  const days = new Set<number>();
  let words = 0;
  let [firstDate, lastDate] = ["", ""];
  // Comments come in date order, so a day's repeat its prefix: parse each day once, and count a month's in a run.
  let [dayKey, day] = ["", 0];
  let [monthKey, inMonth] = ["", 0];
  for (const c of comments) {
    words += c.words;
    threads.add(c.thread.slug);
    if (firstDate === "" || c.date < firstDate) firstDate = c.date;
    if (c.date > lastDate) lastDate = c.date;
    if (!c.date.startsWith(dayKey) || dayKey === "") {
      dayKey = c.date.slice(0, 10);
      day = dayNumber(dayKey);
      days.add(day);
      years.add(dayKey.slice(0, 4));
      const month = dayKey.slice(0, 7);
      if (month !== monthKey) {
        if (monthKey !== "") byMonth.set(monthKey, (byMonth.get(monthKey) ?? 0) + inMonth);
        [monthKey, inMonth] = [month, 0];
      }
    }
    inMonth++;
    if (withHours) {
      const [row, hour] = [weekdayHours[weekdayOf(day)] as number[], Number(c.date.slice(11, 13))];
      row[hour] = (row[hour] ?? 0) + 1;
    }
  }
  if (monthKey !== "") byMonth.set(monthKey, (byMonth.get(monthKey) ?? 0) + inMonth);
  const months = firstDate === "" ? [] : monthSpan(firstDate, lastDate).map((month) => ({ month, comments: byMonth.get(month) ?? 0 }));
  const sortedYears = [...years].sort();
  const streak = longestStreak(days);
  const totals: Totals = {
    comments: comments.length,
    words,
    threads: threads.size,
    years: years.size,
    ...(sortedYears.length === 0 ? {} : { firstYear: sortedYears[0] as string, lastYear: sortedYears.at(-1) as string }),
    ...(streak === undefined ? {} : { longestStreak: streak }),
  };
  return { activity: { totals, months }, weekdayHours };
}

/** Totals and comments per month of `comments` (any order), in one pass. */
export function activity(comments: readonly CommentFacts[]): Activity {
  return tally(comments, false).activity;
}

/** `activity`, and comments per weekday (Monday first) and UTC hour, from the same pass. */
export function activityByHour(comments: readonly CommentFacts[]): Activity & { readonly weekdayHours: readonly (readonly number[])[] } {
  const { activity, weekdayHours } = tally(comments, true);
  return { ...activity, weekdayHours };
}

/**
 * The first `count` of `items` in the order `before` gives, in that order: one pass that keeps the
 * leaders, not a sort of a hundred thousand items for the ten a page shows.
 */
export function leaders<T>(items: Iterable<T>, count: number, before: (a: T, b: T) => boolean): T[] {
  const kept: T[] = [];
  for (const item of items) {
    const tail = kept.at(-1);
    if (kept.length === count && (tail === undefined || !before(item, tail))) continue;
    let at = kept.length;
    while (at > 0 && before(item, kept[at - 1] as T)) at--;
    kept.splice(at, 0, item);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

/** The `count` comments with the highest karma (`forum.baseScore`), highest first; ties newest first. Comments without a score are left out. */
export function topScored<C extends CommentFacts>(comments: readonly C[], count: number): C[] {
  const score = (c: C): number => c.forum?.baseScore as number;
  const scored = comments.filter((c) => typeof c.forum?.baseScore === "number");
  return leaders(scored, count, (a, b) => (score(a) !== score(b) ? score(a) > score(b) : a.date > b.date));
}

export interface RepliedTo {
  /** The authors replied to, most replies first; ties by username. */
  readonly authors: readonly { readonly author: AuthorRef; readonly replies: number }[];
  /** Replies (comments with a forum parent) in all. */
  readonly replies: number;
  /**
   * Replies to a comment the archive does not hold. The import keeps only that parent's id (see
   * CommentForumFacts), so who wrote it is not known here.
   */
  readonly parentUnknown: number;
}

/** Whose comments `comments` reply to, by the parents the archive holds (`parents`, see SiteArchive). */
export function repliedTo<C extends CommentFacts>(comments: readonly C[], parents: ReadonlyMap<C, CommentFacts>, count: number): RepliedTo {
  const byUsername = new Map<string, { author: AuthorRef; replies: number }>();
  let [replies, parentUnknown] = [0, 0];
  for (const c of comments) {
    if (c.forum?.parentCommentId === undefined) continue;
    replies++;
    const parent = parents.get(c);
    if (parent === undefined) {
      parentUnknown++;
      continue;
    }
    const known = byUsername.get(parent.author.username);
    if (known === undefined) byUsername.set(parent.author.username, { author: parent.author, replies: 1 });
    else known.replies++;
  }
  const authors = [...byUsername.values()].sort((a, b) => b.replies - a.replies || (a.author.username < b.author.username ? -1 : a.author.username > b.author.username ? 1 : 0)).slice(0, count);
  return { authors, replies, parentUnknown };
}
