// A deterministic synthetic archive: many authors and threads with long-tailed sizes, split into one export per author.
import { HEADER_VARIANTS, renderArchive, type HeaderVariant, type RenderableComment, type RenderablePost } from "../../scripts/lib/archive/render-archive.ts";
import type { Author } from "../../scripts/lib/archive/types.ts";
import { authorSlug, commentPermalink, commentStamp, slugText } from "../../scripts/lib/permalinks.ts";
import { textDigest } from "../../scripts/lib/text-digest.ts";
import { BodyWriter } from "./comment-body.ts";
import { Random, WeightedSampler, apportion, zipfWeights } from "./random.ts";
import { authorIdentity, threadTitle } from "./vocabulary.ts";

export const DELETED_POST = "[deleted post]";

export interface SyntheticAuthor extends Author {
  /** The header shape this author's export mostly uses. */
  header: HeaderVariant;
}

/** A comment record as parseArchive would return it (footnotes in `[^n]` form), plus how its header is written. */
export interface SyntheticComment extends RenderableComment {
  postedAtMs: number;
}

/** One export file: a user's profile page, their posts and their comments (newest first). */
export interface SyntheticExport {
  /** File name only; the caller decides the directory. */
  file: string;
  owner: SyntheticAuthor;
  posts: RenderablePost[];
  comments: SyntheticComment[];
  crlf: boolean;
  bom: boolean;
}

export interface ArchiveStats {
  comments: number;
  authors: number;
  /** Distinct thread titles, including posts nobody commented on. */
  threads: number;
  posts: number;
  largestThread: number;
  medianThread: number;
  threadsOver1000: number;
  largestAuthor: number;
  smallestAuthor: number;
  withFootnotes: number;
  meanBodyBytes: number;
}

export interface SyntheticArchive {
  seed: number;
  exports: SyntheticExport[];
  stats: ArchiveStats;
}

// 50 authors and ~12,000 threads at 100,000 comments; authors scale with √N so small runs still have several.
const authorCount = (comments: number): number => Math.max(3, Math.round(50 * Math.sqrt(comments / 100_000)));
const threadCount = (comments: number): number => Math.max(1, Math.round(comments * 0.12));

const START_MS = Date.UTC(2012, 0, 1);
const END_MS = Date.UTC(2024, 11, 31);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function uniqueTitles(count: number, random: Random): string[] {
  const titles = new Set<string>();
  if (count >= 20) titles.add(DELETED_POST);
  while (titles.size < count) {
    const title = threadTitle(random);
    // The combination space is finite; a numbered sequel keeps titles unique without looping forever.
    titles.add(titles.has(title) ? `${title}, Part ${random.int(2, 99)}` : title);
  }
  return shuffle([...titles], random);
}

/** Repeats each index `counts[i]` times: the slots a random pairing of authors and threads is drawn from. */
function slots(counts: readonly number[]): Int32Array {
  const out = new Int32Array(counts.reduce((a, b) => a + b, 0));
  let at = 0;
  counts.forEach((count, index) => out.fill(index, at, (at += count)));
  return out;
}

function shuffleInts(items: Int32Array, random: Random): Int32Array {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    const t = items[i] ?? 0;
    items[i] = items[j] ?? 0;
    items[j] = t;
  }
  return items;
}

/** A comment's identity is (username, postedAt): bump by a millisecond until it is free. */
function claimInstant(taken: Set<string>, username: string, ms: number): number {
  let t = ms;
  while (taken.has(`${username}\u0000${t}`)) t++;
  taken.add(`${username}\u0000${t}`);
  return t;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function makePost(title: string, postedAtMs: number, random: Random): RenderablePost {
  const post: RenderablePost = { title, postedAt: new Date(postedAtMs).toISOString() };
  if (random.chance(0.7)) {
    post.votes = random.int(1, 120);
    post.score = random.int(-5, post.votes * 3);
  }
  return post;
}

export interface GenerateOptions {
  comments: number;
  seed: number;
  /** Called every few thousand comments: generating 100,000 takes a while. */
  onProgress?: (done: number, total: number) => void;
}

export function generateArchive({ comments: total, seed, onProgress }: GenerateOptions): SyntheticArchive {
  if (!Number.isInteger(total) || total < 10) throw new Error(`need at least 10 comments, got ${total}`);
  const random = new Random(seed);
  const bodies = new BodyWriter(random.fork(2));
  const shapes = random.fork(3);

  const authors: SyntheticAuthor[] = Array.from({ length: authorCount(total) }, (_, i) => ({
    ...authorIdentity(i + 1, shapes),
    header: shapes.pick(HEADER_VARIANTS),
  }));
  const titles = uniqueTitles(threadCount(total), shapes);
  const threadSizes = apportion(total, zipfWeights(titles.length, 1.0), 1);
  const authorSizes = apportion(total, zipfWeights(authors.length, 1.0), 1);
  const threadStart = titles.map(() => START_MS + Math.floor(shapes.next() * (END_MS - START_MS - 30 * DAY_MS)));

  const threadOf = slots(threadSizes);
  const authorOf = shuffleInts(slots(authorSizes), shapes);
  const taken = new Set<string>();
  const byAuthor: SyntheticComment[][] = authors.map(() => []);
  for (let i = 0; i < total; i++) {
    const thread = threadOf[i] ?? 0;
    const author = authors[authorOf[i] ?? 0] as SyntheticAuthor;
    // Big threads (open threads) run for months; most are over within days.
    const spread = 2 * DAY_MS * Math.max(1, (threadSizes[thread] ?? 1) / 50);
    const at = Math.min(END_MS, (threadStart[thread] ?? START_MS) + HOUR_MS + Math.floor(shapes.logNormal(spread, 1.2)));
    const postedAtMs = claimInstant(taken, author.username, at);
    const title = titles[thread] ?? DELETED_POST;
    byAuthor[authorOf[i] ?? 0]?.push({
      author: { username: author.username, name: author.name },
      threadTitle: title,
      postedAtMs,
      postedAt: new Date(postedAtMs).toISOString(),
      body: bodies.body(),
      header: shapes.chance(0.05) ? shapes.pick(HEADER_VARIANTS) : author.header,
      // The export has no LW/GW links for comments on deleted posts.
      links: title !== DELETED_POST,
    });
    if (onProgress !== undefined && (i + 1) % 5000 === 0) onProgress(i + 1, total);
  }

  // ~8% of threads are posts by one of the authors (listed in their export's `## Posts`), plus posts nobody commented on.
  const posts: RenderablePost[][] = authors.map(() => []);
  const postAuthor = new WeightedSampler(authorSizes);
  titles.forEach((title, i) => {
    if (title === DELETED_POST || !shapes.chance(0.08)) return;
    posts[postAuthor.sample(shapes)]?.push(makePost(title, (threadStart[i] ?? START_MS) - shapes.int(1, 72) * HOUR_MS, shapes));
  });
  const allTitles = new Set(titles);
  for (let i = 0; i < Math.max(1, Math.round(titles.length * 0.01)); i++) {
    const title = `${threadTitle(shapes)} (uncommented ${i + 1})`;
    allTitles.add(title);
    posts[postAuthor.sample(shapes)]?.push(makePost(title, START_MS + Math.floor(shapes.next() * (END_MS - START_MS)), shapes));
  }

  const exports = authors.map((owner, i): SyntheticExport => ({
    file: `author-${String(i + 1).padStart(2, "0")}.md`,
    owner,
    posts: (posts[i] ?? []).sort((a, b) => (a.postedAt < b.postedAt ? 1 : a.postedAt > b.postedAt ? -1 : 0)),
    comments: (byAuthor[i] ?? []).sort((a, b) => b.postedAtMs - a.postedAtMs),
    // Exercise the reader's tolerance: one file with CRLF line endings, one with a byte-order mark.
    crlf: i === 1,
    bom: i === 2,
  }));

  const bodiesAll = exports.flatMap((e) => e.comments.map((c) => c.body));
  return {
    seed,
    exports,
    stats: {
      comments: total,
      authors: authors.length,
      threads: allTitles.size,
      posts: exports.reduce((n, e) => n + e.posts.length, 0),
      largestThread: threadSizes.reduce((a, b) => Math.max(a, b), 0),
      medianThread: median(threadSizes),
      threadsOver1000: threadSizes.filter((s) => s > 1000).length,
      largestAuthor: Math.max(...authorSizes),
      smallestAuthor: Math.min(...authorSizes),
      withFootnotes: bodiesAll.filter((b) => b.includes("[^1]: ")).length,
      meanBodyBytes: Math.round(bodiesAll.reduce((n, b) => n + Buffer.byteLength(b), 0) / total),
    },
  };
}

/** How many comment bodies contain `word` as a whole word (case-insensitive). */
export function documentFrequency(archive: SyntheticArchive, word: string): number {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, "iu");
  return archive.exports.reduce((n, e) => n + e.comments.filter((c) => pattern.test(c.body)).length, 0);
}

/** A search word present in many comments: the candidate whose share of comments is closest to a quarter. */
export function pickQueryWord(archive: SyntheticArchive, candidates: readonly string[]): { word: string; comments: number } {
  const scored = candidates.map((word) => ({ word, comments: documentFrequency(archive, word) }));
  const target = archive.stats.comments / 4;
  scored.sort((a, b) => Math.abs(a.comments - target) - Math.abs(b.comments - target));
  const best = scored[0];
  if (best === undefined) throw new Error("no query word candidates");
  return best;
}

/** The incremental-build edit "a new comment arrives": the newest comment of all, in an existing thread; `path` is its page's. */
export function addComment(archive: SyntheticArchive, random: Random): { file: string; description: string; path: string } {
  const target = archive.exports[Math.min(1, archive.exports.length - 1)];
  const sample = target?.comments[Math.floor(target.comments.length / 2)];
  if (target === undefined || sample === undefined) throw new Error("archive has no comments to extend");
  const newest = archive.exports.reduce((m, e) => e.comments.reduce((n, c) => Math.max(n, c.postedAtMs), m), 0);
  const postedAtMs = newest + DAY_MS;
  const comment: SyntheticComment = {
    author: { username: target.owner.username, name: target.owner.name },
    threadTitle: sample.threadTitle,
    postedAtMs,
    postedAt: new Date(postedAtMs).toISOString(),
    body: new BodyWriter(random).body(),
    header: target.owner.header,
    links: sample.links ?? true,
  };
  target.comments.unshift(comment);
  return { file: target.file, description: `new comment by ${target.owner.username} on "${sample.threadTitle}"`, path: commentPermalink(authorSlug(comment.author.username), commentStamp(comment.postedAt)) };
}

/** The incremental-build edit "a comment's text changed" (a later export of the same user). */
export function editComment(archive: SyntheticArchive): { file: string; description: string } {
  const target = archive.exports[0];
  const comment = target?.comments[Math.floor(target.comments.length / 3)];
  if (target === undefined || comment === undefined) throw new Error("archive has no comments to edit");
  // Prepended: appended text would land after the footnote definitions, where it does not belong.
  comment.body = `Edited: on reflection the second point is weaker than I said.\n\n${comment.body}`;
  return { file: target.file, description: `edited comment by ${target.owner.username} at ${comment.postedAt}` };
}

/** A forum id for `text`: 17 letters and digits, the same for the same text (so a rewritten file keeps its ids). */
function forumId(text: string): string {
  return textDigest("sha256", text).replace(/[^A-Za-z0-9]/g, "").slice(0, 17);
}

/**
 * The same comments as the forum's API gives them: a saved GraphQL response of one page (see
 * docs/archive-format.md), each comment with its Markdown, post, karma and links to the original.
 * The API lists no posts of the user's own, so the export's `## Posts` are left out.
 */
export function renderApiExport(exported: SyntheticExport): string {
  const results = exported.comments.map((c) => {
    const _id = forumId(`${c.author.username} ${c.postedAt}`);
    const onPost = c.threadTitle !== DELETED_POST;
    const post = onPost ? { _id: forumId(c.threadTitle), title: c.threadTitle, slug: slugText(c.threadTitle) || "post" } : null;
    const pageUrl = post === null ? null : `https://www.lesswrong.com/posts/${post._id}/${post.slug}?commentId=${_id}`;
    const score = Number.parseInt(_id.slice(0, 4), 36) % 40;
    return {
      _id,
      postedAt: c.postedAt,
      user: { username: c.author.username, displayName: c.author.name, slug: authorSlug(c.author.username) },
      post,
      postId: post?._id ?? null,
      pageUrl,
      contents: { markdown: c.body },
      baseScore: score - 5,
      voteCount: Math.floor(score / 3),
    };
  });
  return `${JSON.stringify({ data: { comments: { results } } }, null, 1)}\n`;
}

/** The export file's text, written by the project's own renderer (the inverse of parseArchive). */
export function renderExport(exported: SyntheticExport): string {
  return renderArchive(exported.comments, exported.posts, { newline: exported.crlf ? "\r\n" : "\n", bom: exported.bom });
}
