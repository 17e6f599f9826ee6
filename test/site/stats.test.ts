// The statistics: their functions on small hand-made inputs, and /stats/ and author pages of real builds checked against counts made here from the inputs themselves.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { CommentForumFacts, CommentPage } from "../../scripts/lib/content/pages.ts";
import { barChart, heatMap } from "../../scripts/lib/site/charts.ts";
import { splitPage } from "../../scripts/lib/site/load-archive.ts";
import { renderComment } from "../../scripts/lib/site/markdown/index.ts";
import { renderForumBody } from "../../scripts/lib/site/markdown/forum-body.ts";
import { countWords } from "../../scripts/lib/site/plain-text.ts";
import { activity, activityByHour, longestStreak, repliedTo, topScored, type CommentFacts } from "../../scripts/lib/site/stats.ts";
import { PROJECT_ROOT } from "../support/project-copy.ts";
import { assertFileExists, buildSite, exportedComments, FIXTURE, section, stampOf, textOf, type BuiltSite } from "./helpers.ts";

const FORUM_SAMPLE = path.join(PROJECT_ROOT, "archives/forum-sample/comments.json");

let made = 0;
/** A comment's facts as the statistics read them; `words` and `forum` as given. */
function facts(date: string, more: { thread?: string; author?: string; words?: number; forum?: Partial<CommentForumFacts> } = {}): CommentFacts {
  const username = more.author ?? "ann";
  made++;
  return {
    date,
    thread: { title: more.thread ?? "T", slug: (more.thread ?? "t").toLowerCase() },
    author: { username, name: username.toUpperCase(), slug: username },
    words: more.words ?? 0,
    ...(more.forum === undefined ? {} : { forum: { id: `id${made}`, retracted: false, deleted: false, af: false, ...more.forum } }),
  };
}

describe("statistics of hand-made comments", () => {
  test("an empty list has zero totals, no months and no streak", () => {
    const empty = activityByHour([]);
    assert.deepEqual(empty.totals, { comments: 0, words: 0, threads: 0, years: 0 });
    assert.deepEqual(empty.months, []);
    assert.equal(empty.weekdayHours.flat().reduce((a, b) => a + b, 0), 0);
    assert.deepEqual(topScored([], 10), []);
    assert.deepEqual(repliedTo([], new Map(), 10), { authors: [], replies: 0, parentUnknown: 0 });
  });

  test("one comment: one month, one year, a streak of one day, its weekday and hour", () => {
    // 3 May 2021 was a Monday.
    const one = activityByHour([facts("2021-05-03T23:59:59.999Z", { words: 7 })]);
    assert.deepEqual(one.totals, { comments: 1, words: 7, threads: 1, years: 1, firstYear: "2021", lastYear: "2021", longestStreak: { days: 1, first: "2021-05-03", last: "2021-05-03" } });
    assert.deepEqual(one.months, [{ month: "2021-05", comments: 1 }]);
    assert.equal(one.weekdayHours[0]?.[23], 1);
    assert.equal(one.weekdayHours.flat().reduce((a, b) => a + b, 0), 1);
  });

  test("months without comments count 0, across a year's end; weekdays run Monday to Sunday", () => {
    const list = [facts("2020-11-30T10:00:00.000Z"), facts("2021-02-07T10:00:00.000Z"), facts("2021-02-07T11:00:00.000Z", { thread: "U" })];
    const { months, totals, weekdayHours } = activityByHour(list);
    assert.deepEqual(months, [
      { month: "2020-11", comments: 1 },
      { month: "2020-12", comments: 0 },
      { month: "2021-01", comments: 0 },
      { month: "2021-02", comments: 2 },
    ]);
    assert.equal(totals.threads, 2);
    assert.equal(totals.years, 2);
    // 30 November 2020 was a Monday, 7 February 2021 a Sunday.
    assert.equal(weekdayHours[0]?.[10], 1);
    assert.equal(weekdayHours[6]?.[10], 1);
    assert.equal(weekdayHours[6]?.[11], 1);
  });

  test("a streak runs across a month's and a year's end; of two equally long, the earlier; order and repeats do not matter", () => {
    const dates = ["2021-12-30", "2021-12-31", "2022-01-01", "2022-01-01", "2022-02-27", "2022-02-28", "2022-03-01", "2021-06-01"].map((d) => `${d}T12:00:00.000Z`);
    const shuffled = [...dates].reverse().map((d) => facts(d));
    assert.deepEqual(activity(shuffled).totals.longestStreak, { days: 3, first: "2021-12-30", last: "2022-01-01" });
    assert.deepEqual(longestStreak([5, 3, 4, 10, 11, 12, 13]), { days: 4, first: "1970-01-11", last: "1970-01-14" });
    assert.equal(longestStreak([]), undefined);
    // Years without a comment between the first and the last are not counted as active.
    assert.equal(activity([facts("2019-01-01T00:00:00.000Z"), facts("2022-01-01T00:00:00.000Z")]).totals.years, 2);
  });

  test("top-scored: highest first, ties newest first, comments without a score left out, at most the count asked", () => {
    const list = [
      facts("2021-01-01T00:00:00.000Z", { forum: { baseScore: 5 } }),
      facts("2021-01-02T00:00:00.000Z", { forum: { baseScore: 9 } }),
      facts("2021-01-03T00:00:00.000Z", { forum: { baseScore: 5 } }),
      facts("2021-01-04T00:00:00.000Z", { forum: {} }),
      facts("2021-01-05T00:00:00.000Z"),
      facts("2021-01-06T00:00:00.000Z", { forum: { baseScore: -2 } }),
    ];
    assert.deepEqual(topScored(list, 3).map((c) => c.date.slice(8, 10)), ["02", "03", "01"]);
    assert.deepEqual(topScored(list, 10).map((c) => c.forum?.baseScore), [9, 5, 5, -2]);
  });

  test("replied to: by the parent's author when the archive holds the parent; else counted as unknown, never guessed", () => {
    const [a, b, c] = [facts("2021-01-01T00:00:00.000Z", { author: "bob", forum: {} }), facts("2021-01-02T00:00:00.000Z", { author: "amy", forum: {} }), facts("2021-01-03T00:00:00.000Z", { author: "cy", forum: {} })] as [CommentFacts, CommentFacts, CommentFacts];
    const replies = [
      facts("2021-02-01T00:00:00.000Z", { forum: { parentCommentId: "x" } }),
      facts("2021-02-02T00:00:00.000Z", { forum: { parentCommentId: "x" } }),
      facts("2021-02-03T00:00:00.000Z", { forum: { parentCommentId: "x" } }),
      facts("2021-02-04T00:00:00.000Z", { forum: { parentCommentId: "gone" } }),
    ] as [CommentFacts, CommentFacts, CommentFacts, CommentFacts];
    const parents = new Map([
      [replies[0], a],
      [replies[1], b],
      [replies[2], c],
    ]);
    const result = repliedTo([a, b, c, ...replies], parents, 2);
    assert.equal(result.replies, 4);
    assert.equal(result.parentUnknown, 1);
    // A tie of one reply each: by username, and only the count asked for.
    assert.deepEqual(result.authors.map((r) => [r.author.username, r.replies]), [["amy", 1], ["bob", 1]]);
  });

  test("words: runs with a letter or digit, whatever the script; punctuation alone is none", () => {
    assert.equal(countWords(""), 0);
    assert.equal(countWords("Hello, world — it's 2021!"), 4);
    assert.equal(countWords("  déjà   vu \n Привет мир ... - ** "), 4);
  });

  test("the bar chart stays in its width, its tallest bar at the top, bars in proportion; the heat map shades by count", () => {
    const months = Array.from({ length: 300 }, (_, i) => ({ month: `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`, comments: i % 7 }));
    const chart = barChart(months);
    assert.equal(chart.bars.length, 300);
    assert.equal(chart.max, 6);
    for (const bar of chart.bars) {
      assert.ok(bar.x >= 0 && bar.x + bar.width <= chart.width + 0.01, `${bar.month} outside the chart`);
      assert.ok(Math.abs(bar.y + bar.height - chart.baseline) < 0.01);
      assert.ok(Math.abs(bar.height - ((chart.baseline - chart.top) * bar.comments) / 6) < 0.01, bar.month);
    }
    const xs = chart.years.map((y) => y.x);
    for (let i = 1; i < xs.length; i++) assert.ok((xs[i] as number) - (xs[i - 1] as number) >= 40, "year labels overlap");
    assert.deepEqual(barChart([]).bars, []);
    const map = heatMap([[0, 4, 2, ...new Array<number>(21).fill(0)], ...Array.from({ length: 6 }, () => new Array<number>(24).fill(0))]);
    assert.equal(map.cells.length, 7 * 24);
    const [none, most, half] = map.cells.slice(0, 3).map((c) => c.level) as [number, number, number];
    assert.deepEqual([none, most], [0, 1]);
    assert.ok(Math.abs(half - (0.15 + 0.85 / 2)) < 0.01, String(half));
    assert.ok(map.cells.every((c) => c.x + c.size <= map.width && c.y + c.size <= map.height));
  });
});

/** What an input holds, as this test reads it (not through the import). */
interface InputComment {
  readonly username: string;
  readonly title: string;
  readonly date: string;
  readonly id?: string;
  readonly parentId?: string;
  readonly score?: number;
}

function monthsOf(comments: readonly InputComment[]): [string, number][] {
  const dates = comments.map((c) => new Date(c.date)).sort((a, b) => a.getTime() - b.getTime());
  const [first, last] = [dates[0] as Date, dates.at(-1) as Date];
  const counts: [string, number][] = [];
  for (let d = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)); d <= last; d.setUTCMonth(d.getUTCMonth() + 1)) {
    const key = d.toISOString().slice(0, 7);
    counts.push([key, comments.filter((c) => c.date.startsWith(key)).length]);
  }
  return counts;
}

function streakOf(comments: readonly InputComment[]): string {
  const days = [...new Set(comments.map((c) => c.date.slice(0, 10)))].sort();
  let best = { length: 0, first: "", last: "" };
  let run = { length: 0, first: "", last: "" };
  for (const day of days) {
    const follows = run.last !== "" && new Date(`${run.last}T00:00:00Z`).getTime() + 86_400_000 === new Date(`${day}T00:00:00Z`).getTime();
    run = follows ? { ...run, length: run.length + 1, last: day } : { length: 1, first: day, last: day };
    if (run.length > best.length) best = run;
  }
  return `${best.length} ${best.first} ${best.last}`;
}

/** The dt/dd pairs of a page's `<dl class="stats">`. */
function totalsOn(html: string): Map<string, string> {
  const list = section(html, /<dl class="stats">/, "dl");
  return new Map([...list.matchAll(/<dt>([\s\S]*?)<\/dt><dd>([\s\S]*?)<\/dd>/g)].map((m) => [textOf(m[1] ?? ""), textOf(m[2] ?? "")]));
}

const numberIn = (text: string | undefined): number => Number(/[\d,]+/.exec(text ?? "")?.[0].replace(/,/g, "") ?? NaN);

/** `[data-<key>]` → data-comments of each rect in the chart `name`'s SVG. */
function barsOf(html: string, name: string, key: string): [string, number][] {
  const svg = section(html, new RegExp(`<svg [^>]*data-chart="${name}"`), "svg");
  assert.ok(svg.length > 0, `no ${name} chart`);
  return [...svg.matchAll(new RegExp(`<rect [^>]*data-${key}="([^"]+)"(?: data-hour="(\\d+)")? data-comments="(\\d+)"`, "g"))].map((m) => [m[2] === undefined ? (m[1] ?? "") : `${m[1]}/${m[2]}`, Number(m[3])]);
}

/** Words of every comment the site published (its raw Markdown beside its page), rendered as the site renders and counted here. */
function publishedWords(site: BuiltSite, username?: string): number {
  let words = 0;
  for (const [file, bytes] of site.files) {
    if (!/^comments\/[^/]+\/[^/]+\/index\.md$/.test(file)) continue;
    const { data, body } = splitPage(bytes.toString("utf8"), file);
    const page = data as CommentPage;
    if (username !== undefined && page.author.username !== username) continue;
    const text = page.forum === undefined ? renderComment(body, "s").text : renderForumBody({ markdown: body }, { scope: "s", forumOrigin: "https://www.lesswrong.com" }).text;
    words += text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  }
  return words;
}

function checkActivity(html: string, comments: readonly InputComment[], words: number, withCounts: boolean): void {
  assert.deepEqual(barsOf(html, "months", "month"), monthsOf(comments));
  const table = section(html, /<table data-chart="months">/, "table");
  assert.deepEqual([...table.matchAll(/<td data-month="([^"]+)">(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2])]), monthsOf(comments));
  const totals = totalsOn(html);
  if (withCounts) {
    assert.equal(numberIn(totals.get("Comments")), comments.length);
    assert.equal(numberIn(totals.get("Threads")), new Set(comments.map((c) => c.title)).size);
  }
  assert.equal(numberIn(totals.get("Words")), words);
  const years = [...new Set(comments.map((c) => c.date.slice(0, 4)))].sort();
  assert.equal(totals.get("Years active"), `${years.length} (${years[0]}${years.length > 1 ? `–${years.at(-1)}` : ""})`);
  const streak = /<dt>Longest streak<\/dt><dd>(\d+) days? in a row, <time datetime="([^"]+)">[^<]*<\/time>(?: to <time datetime="([^"]+)">)?/.exec(html);
  assert.ok(streak, "no longest streak");
  assert.equal(`${streak[1]} ${streak[2]} ${streak[3] ?? streak[2]}`, streakOf(comments));
}

function checkHours(html: string, comments: readonly InputComment[]): void {
  const expected = new Map<string, number>();
  for (let weekday = 0; weekday < 7; weekday++) for (let hour = 0; hour < 24; hour++) expected.set(`${weekday}/${hour}`, 0);
  for (const c of comments) {
    const date = new Date(c.date);
    const key = `${(date.getUTCDay() + 6) % 7}/${date.getUTCHours()}`;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  assert.deepEqual(barsOf(html, "hours", "weekday"), [...expected]);
  const table = section(html, /<table data-chart="hours">/, "table");
  assert.deepEqual([...table.matchAll(/<td data-weekday="(\d)" data-hour="(\d+)">(\d+)<\/td>/g)].map((m) => [`${m[1]}/${m[2]}`, Number(m[3])]), [...expected]);
}

function checkBusiest(html: string, comments: readonly InputComment[]): void {
  const perThread = new Map<string, number>();
  for (const c of comments) perThread.set(c.title, (perThread.get(c.title) ?? 0) + 1);
  const listed = [...section(html, /<ol class="plain-list" data-list="busiest">/, "ol").matchAll(/<bdi>([\s\S]*?)<\/bdi><\/a> <span class="muted">([\d,]+) comments?/g)].map((m) => [textOf(m[1] ?? ""), numberIn(m[2])] as const);
  const top = [...perThread.values()].sort((a, b) => b - a).slice(0, 10);
  assert.deepEqual(listed.map(([, n]) => n), top);
  for (const [title, n] of listed) assert.equal(perThread.get(title), n, title);
}

describe("/stats/ of the fixture (a text export)", () => {
  let site: BuiltSite;
  let comments: InputComment[];
  before(async () => {
    site = await buildSite(FIXTURE);
    comments = exportedComments(await readFile(FIXTURE, "utf8"));
  });
  after(() => site?.copy.remove());

  test("counts per month (zeros included), totals, words and the longest streak as the export has them", () => {
    checkActivity(assertFileExists(site, "stats/index.html"), comments, publishedWords(site), true);
  });

  test("counts per weekday and UTC hour, in the chart and its table", () => {
    checkHours(assertFileExists(site, "stats/index.html"), comments);
  });

  test("lists the threads with most comments, and nothing of the forum's (a text export has no replies or karma)", () => {
    const html = assertFileExists(site, "stats/index.html");
    checkBusiest(html, comments);
    assert.doesNotMatch(html, /data-list="(replied-to|top-scored)"/);
  });

  test("an author's own page shows their months and totals", () => {
    const own = comments.filter((c) => c.username === "alice");
    checkActivity(assertFileExists(site, "authors/alice/index.html"), own, publishedWords(site, "alice"), false);
  });

  test("the home page links to it, and the sitemap lists it", () => {
    assert.match(assertFileExists(site, "index.html"), /<a href="\/stats\/">Statistics<\/a>/);
    assert.match(assertFileExists(site, "sitemaps/1.xml"), /<loc>https:\/\/commentarium\.example\/stats\/<\/loc>/);
  });
});

describe("/stats/ of the forum sample (the API's JSON)", () => {
  let site: BuiltSite;
  let comments: InputComment[];
  before(async () => {
    site = await buildSite(FORUM_SAMPLE);
    const json = JSON.parse(await readFile(FORUM_SAMPLE, "utf8")) as {
      data: { comments: { results: { _id: string; postedAt: string; parentCommentId?: string | null; baseScore?: number | null; user: { username: string }; post: { title: string } }[] } };
    };
    comments = json.data.comments.results.map((r) => ({
      username: r.user.username,
      title: r.post.title,
      date: r.postedAt,
      id: r._id,
      ...(r.parentCommentId == null ? {} : { parentId: r.parentCommentId }),
      ...(typeof r.baseScore === "number" ? { score: r.baseScore } : {}),
    }));
  });
  after(() => site?.copy.remove());

  test("counts per month, weekday and hour, totals and streak as the JSON has them", () => {
    const html = assertFileExists(site, "stats/index.html");
    checkActivity(html, comments, publishedWords(site), true);
    checkHours(html, comments);
    checkBusiest(html, comments);
  });

  test("lists the highest-scored comments, highest first, each linked to its page", () => {
    const html = assertFileExists(site, "stats/index.html");
    const listed = [...section(html, /<ol class="plain-list" data-list="top-scored">/, "ol").matchAll(/<li><a href="([^"]+)">Score (-?\d+):/g)].map((m) => [m[1], Number(m[2])]);
    const expected = comments
      .filter((c) => c.score !== undefined)
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || (a.date < b.date ? 1 : -1))
      .slice(0, 10)
      .map((c) => [`/comments/${c.username}/${stampOf(c.date)}/`, c.score]);
    assert.deepEqual(listed, expected);
    for (const [url] of listed) assertFileExists(site, `${String(url).slice(1)}index.html`);
  });

  test("counts whose comments were replied to, and says how many replies answer comments it does not hold", () => {
    const html = assertFileExists(site, "stats/index.html");
    const byId = new Map(comments.map((c) => [c.id, c]));
    const replies = comments.filter((c) => c.parentId !== undefined);
    const unknown = replies.filter((c) => !byId.has(c.parentId)).length;
    const perAuthor = new Map<string, number>();
    for (const r of replies) {
      const parent = byId.get(r.parentId);
      if (parent !== undefined) perAuthor.set(parent.username, (perAuthor.get(parent.username) ?? 0) + 1);
    }
    const listed = [...section(html, /<ol class="plain-list" data-list="replied-to">/, "ol").matchAll(/<a href="\/authors\/([^/]+)\/">[\s\S]*?<span class="muted">(\d+) repl/g)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(listed, [...perAuthor].sort((a, b) => b[1] - a[1]));
    assert.ok(unknown > 0, "the sample has a reply to a comment it does not hold");
    assert.match(textOf(html), new RegExp(`Of ${replies.length} replies, ${unknown} (is|are) to`));
  });

  test("the author's own page shows their months and totals", () => {
    const [username] = comments.map((c) => c.username);
    const own = comments.filter((c) => c.username === username);
    checkActivity(assertFileExists(site, `authors/${username}/index.html`), own, publishedWords(site, username), false);
  });
});
