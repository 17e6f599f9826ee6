// The search page: a small UI on Pagefind's JS API over the site's index shards (pagefind/shards.json), merged into one search.
// The query, filters and sort live in the URL (/search/?q=...&author=...&thread=...&year=...&sort=newest),
// so every search can be linked, bookmarked and navigated with Back and Forward.
// On a large archive a query first searches the newest shards only (shards.json `firstSearch`), says so,
// and searches every year when the visitor asks, when nothing recent matches, or when a year is chosen.

const FILTERS = ["author", "thread", "year"];
/** Karma sorts only comments from the forum's API (others have none, and Pagefind leaves them out of a sort by it). */
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" }, score: { score: "desc" } };
const PAGE_SIZE = 20;
const TYPING_DELAY_MS = 200;
/** The parameter result links carry the query words in; pagefind-highlight.js on comment pages reads it. */
const HIGHLIGHT_PARAM = "pagefind-highlight";
/**
 * Every shard's pages carry this filter with the shard's key (Pagefind's mergeFilter), so one
 * search can be narrowed to a shard. Most shards hold one year's comments (or part of a year), so
 * the year filter and its counts come from them without downloading Pagefind's year filter; that
 * is needed only where small years share a shard (shards.json months spanning several years).
 */
const SHARD_FILTER = "shard";
/** A shard key no shard has: a year with no shards must give no results rather than no filter. */
const NO_SHARD = "none";

const app = document.querySelector("[data-search-app]");
const form = app.querySelector("form");
const input = app.querySelector("[data-search-input]");
const sortSelect = app.querySelector("[data-search-sort]");
const filterSelects = Object.fromEntries(FILTERS.map((name) => [name, app.querySelector(`[data-search-filter="${name}"]`)]));
const status = app.querySelector("[data-search-status]");
const list = app.querySelector("[data-search-results]");
const moreButton = app.querySelector("[data-search-more]");
const everyYearButton = app.querySelector("[data-search-every-year]");
const unavailable = app.querySelector("[data-search-unavailable]");

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** @typedef {{ q: string, filters: Record<string, string>, sort: string }} SearchState */

/** @returns {SearchState} */
function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const sort = params.get("sort") ?? "";
  return { q: params.get("q") ?? "", filters, sort: sort in SORTS ? sort : "" };
}

/** @returns {SearchState} */
function stateFromForm() {
  const filters = {};
  for (const name of FILTERS) if (filterSelects[name].value) filters[name] = filterSelects[name].value;
  return { q: input.value, filters, sort: sortSelect.value };
}

/** Only the parameters that are set, in a fixed order: `?q=feature+learning&thread=...&sort=newest`. */
function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q.trim());
  for (const name of FILTERS) if (state.filters[name]) params.set(name, state.filters[name]);
  if (state.sort) params.set("sort", state.sort);
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ""}`;
}

function showState(state) {
  input.value = state.q;
  sortSelect.value = state.sort;
  for (const name of FILTERS) setFilterValue(filterSelects[name], state.filters[name] ?? "");
}

/** Selects `value`, adding it as an option when the index has no such value (e.g. an old link), so the URL still round-trips. */
function setFilterValue(select, value) {
  if (value && ![...select.options].some((option) => option.value === value)) select.add(new Option(value, value));
  select.value = value;
}

/** Option labels carry the number of results each value would give: `2021 (12)`; a year the search did not cover says so instead. */
function showFilterCounts(select, counts, unsearched = new Map()) {
  for (const option of select.options) {
    if (option.value === "") continue;
    const count = counts?.[option.value] ?? 0;
    option.textContent = `${option.value} (${unsearched.get(option.value) ?? count.toLocaleString("en")})`;
  }
}

function fillFilterOptions() {
  for (const name of FILTERS) {
    if (totals[name] === undefined) continue;
    const select = filterSelects[name];
    const values = Object.keys(totals[name]);
    values.sort(name === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
    const current = select.value;
    // A Set, not a scan of the options per value: a large archive has thousands of threads.
    const present = new Set([...select.options].map((o) => o.value));
    for (const value of values) if (!present.has(value)) select.add(new Option(value, value));
    select.value = current;
    showFilterCounts(select, totals[name]);
  }
}

/** Shows each filter's counts; the thread list's only once it is loaded. `scope`: the shard keys searched, when not every shard. */
function showCounts(counts, scope) {
  const unsearched = new Map();
  for (const year of scope === undefined ? [] : Object.keys(totals.year)) {
    const keys = shardsOfYear(year);
    const searched = keys.filter((key) => scope.has(key)).length;
    if (searched < keys.length) unsearched.set(year, searched === 0 ? "not searched yet" : "partly searched");
  }
  for (const name of FILTERS) if (name !== "thread" || threads === "ready") showFilterCounts(filterSelects[name], counts[name], name === "year" ? unsearched : undefined);
}

function formatDate(value) {
  const date = new Date(value ?? "");
  return Number.isNaN(date.getTime()) ? undefined : dateFormat.format(date);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderResult(data) {
  const author = data.meta.author ?? data.filters?.author?.[0] ?? "";
  const thread = data.meta.thread ?? data.filters?.thread?.[0] ?? "";
  const item = element("li", "search-result");
  const heading = element("h2", "search-result__title");
  const link = element("a");
  // Names and titles in <bdi>, as on the site's own pages: a right-to-left name cannot reverse " on ".
  if (author && thread) link.append(element("bdi", undefined, author), " on ", element("bdi", undefined, thread));
  else link.append(element("bdi", undefined, data.meta.title ?? data.url));
  link.href = data.url;
  heading.append(link);
  item.append(heading);
  const readable = formatDate(data.meta.date);
  if (readable !== undefined) {
    const meta = element("p", "search-result__meta");
    const time = element("time", undefined, readable);
    time.dateTime = data.meta.date;
    meta.append(time);
    item.append(meta);
  }
  const excerpt = element("p", "search-result__excerpt");
  // Pagefind escapes the page text and adds only <mark> around the matched words.
  excerpt.innerHTML = data.excerpt;
  item.append(excerpt);
  return item;
}

const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** `2021` for January, else `March 2021`, from `yyyy-mm`. */
function monthText(month, edge) {
  const [year, mm] = month.split("-");
  if (mm === (edge === "start" ? "01" : "12")) return year;
  return monthFormat.format(new Date(`${month}-01T00:00:00Z`));
}

/** The scope's runs of neighbouring shards, as indexes into `shards`: `[{ start, end }]`, oldest first. */
function coverageRuns(scope) {
  const runs = [];
  shards.forEach((shard, i) => {
    if (!scope.has(shard.key)) return;
    const last = runs.at(-1);
    if (last && last.end === i - 1) last.end = i;
    else runs.push({ start: i, end: i });
  });
  return runs;
}

/** Whether the scope is the newest shards and no others. */
const isNewestOnly = (scope) => {
  const runs = coverageRuns(scope);
  return runs.length === 1 && runs[0].end === shards.length - 1;
};

/** The months a search covered, from its shards: `since 2024`, `in 2015 and since July 2023`, `in 2013–2014`. */
function coverageText(scope) {
  const spans = coverageRuns(scope).map(({ start, end }) => {
    const from = monthText(shards[start].months[0], "start");
    if (end === shards.length - 1) return `since ${from}`;
    const to = monthText(shards[end].months[1], "end");
    return from === to ? `in ${from}` : `in ${from}–${to}`;
  });
  return spans.length <= 1 ? (spans[0] ?? "") : `${spans.slice(0, -1).join(", ")} and ${spans.at(-1)}`;
}

/** What the live region announces once a search's results are shown; `scope` is set when the search did not cover every shard. */
function summaryText(count, state, scope) {
  const things = count === 1 ? "1 comment" : `${count.toLocaleString("en")} comments`;
  const q = state.q.trim();
  const where = scope === undefined ? "" : ` ${coverageText(scope)}`;
  const rest = scope === undefined ? "" : ` ${isNewestOnly(scope) ? "Older" : "Other"} comments have not been searched yet.`;
  if (count === 0) return q ? `No comments${where} match “${q}”${Object.keys(state.filters).length ? " with these filters" : ""}.${rest}` : `No comments${where} match these filters.${rest}`;
  return q ? `${things} found for “${q}”${where}.${rest}` : `${things} found${where}.${rest}`;
}

let pagefind;
/** The shards with pages, oldest first, as shards.json lists them. */
let shards = [];
/** Keys of the shards a query searches first: the newest ones (every shard on a smaller archive). */
let firstSearch = [];
/** Shard key -> its merge into the search, started once; `merged` has the keys whose merge finished. */
const merging = new Map();
const merged = new Set();
/** Options apply per shard: each merged index gets its own copy. */
let shardOptions;
/** Each filter's values with their number of comments, for the options when nothing is searched. */
const totals = { author: {}, thread: undefined, year: {} };
/**
 * "ready" once the thread list is known and its Pagefind filter data is wanted. A large archive
 * ships its thousands of threads in a separate file, loaded only when a visitor turns to the
 * thread filter ("lazy", then "loading"): most searches never pay for the list or its counts.
 */
let threads = "ready";
let threadsFile;
let threadsLoading;
let latest = 0;
let results = resultFeed([]);
/** The shards the search on screen covered, when not every shard: its results end with an offer to search every year. */
let shownScope;
let highlightWords = [];
let typingTimer;

/** The comment's URL with the visitor's own words for pagefind-highlight.js (Pagefind's would drop the hyphen in "least-rattling"). */
function landingUrl(url) {
  const landing = new URL(url, location.href);
  landing.searchParams.delete(HIGHLIGHT_PARAM);
  for (const word of highlightWords) landing.searchParams.append(HIGHLIGHT_PARAM, word);
  return `${landing.pathname}${landing.search}${landing.hash}`;
}

/**
 * The results of one search in the order they are shown, fetched in parts: all at once for
 * relevance, or one shard at a time when sorted by date across shards. Takes run one after
 * another, so two quick "Show more" presses cannot swap parts.
 */
function resultFeed(parts) {
  const buffer = [];
  let next = 0;
  let queue = Promise.resolve();
  return {
    take(count) {
      const run = queue.then(async () => {
        while (buffer.length < count && next < parts.length) {
          const part = parts[next++];
          buffer.push(...(typeof part === "function" ? await part() : part));
        }
        return buffer.splice(0, count);
      });
      queue = run.catch(() => undefined);
      return run;
    },
    done: () => buffer.length === 0 && next >= parts.length,
  };
}

/** "Show more results" while there are more; at the end of a search that left years out, "Search every year". */
function showMoreButton() {
  const done = results.done();
  moreButton.hidden = done && shownScope === undefined;
  moreButton.textContent = done ? "Search every year" : "Show more results";
}

async function loadMore() {
  const search = latest;
  const batch = await results.take(PAGE_SIZE);
  if (search !== latest) return [];
  const items = (await Promise.all(batch.map((result) => result.data()))).map((data) => renderResult({ ...data, url: landingUrl(data.url) }));
  if (search !== latest) return [];
  list.append(...items);
  showMoreButton();
  return items;
}

const shardOf = (key) => shards.find((shard) => shard.key === key);
/** Whether the shard holds several years (see scripts/lib/search/shard-plan.ts): then Pagefind's year filter tells them apart. */
const spansYears = (shard) => shard !== undefined && shard.months[0].slice(0, 4) !== shard.months[1].slice(0, 4);

/** Shard keys of a year's comments. */
function shardsOfYear(year) {
  const keys = shards.filter((shard) => shard.months[0] <= `${year}-12` && `${year}-01` <= shard.months[1]).map((shard) => shard.key);
  return keys.length > 0 ? keys : [NO_SHARD];
}

const allKeys = () => shards.map((shard) => shard.key);

/** Merges the shards of `keys` not merged yet into the search (loading their index metadata). */
function mergeShards(keys) {
  return Promise.all(
    keys.map((key) => {
      const shard = shardOf(key);
      if (shard === undefined) return undefined;
      if (!merging.has(key)) {
        const loading = pagefind.mergeIndex(`${app.dataset.bundle}${shard.path}`, { ...shardOptions, mergeFilter: { [SHARD_FILTER]: key } }).then(() => {
          merged.add(key);
        });
        // A failed merge may be tried again by the next search.
        merging.set(key, loading.catch((error) => {
          merging.delete(key);
          throw error;
        }));
      }
      return merging.get(key);
    }),
  );
}

/**
 * The shards a search must cover: a chosen year's; every shard to browse without words, within
 * a thread, oldest first or by karma (the newest shards would show only their part); otherwise
 * the first shards and any merged since (a year chosen before, or every year asked for).
 */
function scopeOf(state) {
  if (state.filters.year) return shardsOfYear(state.filters.year);
  if (!state.q.trim() || state.filters.thread || state.sort === "oldest" || state.sort === "score") return allKeys();
  return [...new Set([...firstSearch, ...merged])];
}

/** The scope as a set when it leaves shards out (what the status and the year counts must say), else undefined. */
function partialScope(state, scope) {
  if (state.filters.year || scope.length >= shards.length) return undefined;
  return new Set(scope);
}

/**
 * The page's filters as Pagefind filters, within `within` (shard keys; undefined: every shard).
 * An empty list narrows nothing but makes Pagefind load that filter's data, so the response
 * counts its values.
 */
function pagefindFilters(filters, within) {
  const query = { author: filters.author ?? [] };
  if (filters.thread || threads === "ready") query.thread = filters.thread ?? [];
  if (filters.year) {
    if (shardsOfYear(filters.year).some((key) => spansYears(shardOf(key)))) query.year = [filters.year];
  } else if ([...merged].some((key) => spansYears(shardOf(key)))) {
    query.year = [];
  }
  let keys = filters.year ? shardsOfYear(filters.year) : undefined;
  if (within !== undefined) keys = (keys ?? shards.map((shard) => shard.key)).filter((key) => within.has(key));
  if (keys !== undefined) query[SHARD_FILTER] = { any: keys.length > 0 ? keys : [NO_SHARD] };
  return query;
}

/**
 * The shards a query can really match. When a word is not in a shard, Pagefind does not give
 * up there: it matches the longest shorter word the word begins with ("quasicrystal" matches
 * "q"), which one index over everything would only do if no page had the word at all. So each
 * word is first looked up exactly (a quoted search matches the word itself, never a shorter one),
 * and where some shard has it, only the shards that have it may match. A word no shard has
 * (half typed, misspelt) is left to Pagefind's own matching everywhere. Undefined: no limit.
 */
async function shardsMatching(q) {
  if (shards.length < 2 || /^\s*".+"\s*$/.test(q)) return undefined;
  const words = [...new Set(q.split(/\s+/).map((word) => word.replace(/["“”]/g, "")).filter(Boolean))];
  // Filtered down to no shard, a probe returns no results to hand over, only the counts per shard before filtering.
  const probes = await Promise.all(words.map((word) => pagefind.search(`"${word}"`, { filters: { [SHARD_FILTER]: NO_SHARD } })));
  let within;
  for (const probe of probes) {
    const counts = probe?.totalFilters?.[SHARD_FILTER] ?? {};
    const having = shards.map((shard) => shard.key).filter((key) => (counts[key] ?? 0) > 0);
    if (having.length === 0) continue;
    within = new Set(within === undefined ? having : having.filter((key) => within.has(key)));
  }
  return within;
}

/**
 * Merges what a search of `state` needs and says where it may match: `within`, the shard keys
 * (undefined: every merged shard), and `partial`, the scope when it leaves shards out.
 */
async function scopeFor(state) {
  const q = state.q.trim();
  const scope = scopeOf(state);
  // The first shards too, whatever the scope: the other years' counts beside a chosen year come from them.
  await mergeShards([...new Set([...firstSearch, ...scope])]);
  const partial = partialScope(state, scope);
  const matching = q ? await shardsMatching(q) : undefined;
  if (partial === undefined) return { within: matching, partial };
  return { within: new Set([...(matching ?? partial)].filter((key) => partial.has(key))), partial };
}

/**
 * The shards the year options' counts come from, when not every shard: the search's own scope;
 * with a year chosen, the shards merged so far, which the other years' counts are searched over
 * (undefined when they are the archive's totals: no words and no other filter).
 */
function yearCountScope(state, partial) {
  if (!state.filters.year) return partial;
  if (!state.q.trim() && Object.keys(state.filters).length === 1) return undefined;
  return merged.size < shards.length ? new Set(merged) : undefined;
}

/** A response's counts per filter value; a year's count is the sum of its shards', or Pagefind's where it shares a shard. */
function countsOf(response) {
  const years = {};
  for (const [key, count] of Object.entries(response.filters?.[SHARD_FILTER] ?? {})) {
    const shard = shardOf(key);
    if (shard === undefined || spansYears(shard)) continue;
    const year = shard.months[0].slice(0, 4);
    years[year] = (years[year] ?? 0) + count;
  }
  for (const [year, count] of Object.entries(response.filters?.year ?? {})) {
    if (shardsOfYear(year).some((key) => spansYears(shardOf(key)))) years[year] = count;
  }
  return { author: response.filters?.author, thread: response.filters?.thread, year: years };
}

/**
 * Each filter's options count the results that value would give with the query and the *other*
 * filters, so choosing a thread still shows how many results every other thread has.
 */
async function filterCounts(q, state, response, within) {
  const counts = countsOf(response);
  await Promise.all(
    Object.keys(state.filters).map(async (name) => {
      const others = { ...state.filters };
      delete others[name];
      if (!q && Object.keys(others).length === 0) {
        counts[name] = totals[name];
        return;
      }
      counts[name] = countsOf(await pagefind.search(q || null, { filters: pagefindFilters(others, within) }))[name];
    }),
  );
  return counts;
}

/**
 * Pagefind sorts each shard's pages on its own. By date, the shards' own date order decides
 * between them; by karma, the shards' lists are merged, each next result the best of the
 * shards' next ones.
 */
function sortedFeed(q, filters, sort, response) {
  const perShard = response.filters?.[SHARD_FILTER] ?? {};
  const ordered = sort.date === "asc" ? shards : [...shards].reverse();
  const keys = ordered.map((shard) => shard.key).filter((key) => (perShard[key] ?? 0) > 0);
  if (keys.length <= 1) return resultFeed([response.results]);
  const shardResults = (key) => pagefind.search(q || null, { filters: { ...filters, [SHARD_FILTER]: key }, sort }).then((found) => found.results);
  if (sort.score !== undefined) return mergedFeed(keys.map(shardResults), async (result) => Number((await result.data()).meta.score));
  return resultFeed(keys.map((key) => () => shardResults(key)));
}

/**
 * One feed of several lists (promises of results), each sorted by `valueOf` (a result's number,
 * highest first): the next result is the highest of the lists' next ones. Values are read as
 * results come up, a list's head at a time.
 */
function mergedFeed(lists, valueOf) {
  const heads = lists.map((list) => ({ list, results: undefined, at: 0, value: undefined }));
  const headValue = async (head) => {
    if (head.at >= head.results.length) return undefined;
    head.value ??= await valueOf(head.results[head.at]);
    return head.value;
  };
  let queue = Promise.resolve();
  return {
    take(count) {
      const run = queue.then(async () => {
        for (const head of heads) head.results ??= await head.list;
        const taken = [];
        while (taken.length < count) {
          let best;
          let bestValue;
          for (const head of heads) {
            const value = await headValue(head);
            if (value !== undefined && (best === undefined || value > bestValue)) [best, bestValue] = [head, value];
          }
          if (best === undefined) break;
          taken.push(best.results[best.at++]);
          best.value = undefined;
        }
        return taken;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    done: () => heads.every((head) => head.results !== undefined && head.at >= head.results.length),
  };
}

/** Runs one search (over `extraShards` too); the result list is aria-busy until its results and count are shown. */
async function runSearch(state, extraShards) {
  const search = ++latest;
  list.setAttribute("aria-busy", "true");
  try {
    await searchFor(state, search, extraShards);
  } catch (error) {
    console.error("Search failed:", error);
    if (search === latest) status.textContent = "Search failed. Please try again, or reload the page.";
  } finally {
    // A newer search may still be running; only the newest clears the busy state.
    if (search === latest) list.setAttribute("aria-busy", "false");
  }
}

async function searchFor(state, search, extraShards = []) {
  const q = state.q.trim();
  everyYearButton.hidden = true;
  if (!q && Object.keys(state.filters).length === 0) {
    results = resultFeed([]);
    shownScope = undefined;
    list.replaceChildren();
    moreButton.hidden = true;
    status.textContent = "";
    showCounts(totals);
    return;
  }
  // Without a query the results are the filtered comments; relevance means nothing there, so newest first.
  const sort = SORTS[state.sort] ?? (q ? undefined : SORTS.newest);
  await loadPagefind();
  await mergeShards(extraShards);
  const { within, partial } = await scopeFor(state);
  if (search !== latest) return;
  const filters = pagefindFilters(state.filters, within);
  const response = await pagefind.search(q || null, { filters, ...(sort ? { sort } : {}) });
  if (search !== latest || response === null) return;
  if (partial !== undefined && response.results.length === 0) {
    // Nothing recent matches: look through every year before saying nothing does.
    status.textContent = `No comments ${coverageText(partial)} match; searching every year…`;
    return searchFor(state, search, allKeys());
  }
  const counts = await filterCounts(q, state, response, within);
  if (search !== latest) return;
  showCounts(counts, yearCountScope(state, partial));
  shownScope = partial;
  results = sort ? sortedFeed(q, filters, sort, response) : resultFeed([response.results]);
  highlightWords = q.split(/\s+/).map((word) => word.replace(/^["“”]+|["“”]+$/g, "")).filter(Boolean);
  list.replaceChildren();
  await loadMore();
  if (search !== latest) return;
  status.textContent = summaryText(response.results.length, state, partial);
  everyYearButton.hidden = partial === undefined;
}

function update({ push }) {
  const state = stateFromForm();
  const url = urlFor(state);
  if (url !== `${location.pathname}${location.search}`) history[push ? "pushState" : "replaceState"](null, "", url);
  return runSearch(state);
}

/** Re-counts the options for the search on screen (once the thread list arrives), leaving its results as they are. */
async function refreshCounts() {
  const search = latest;
  const state = stateFromForm();
  const q = state.q.trim();
  if (!q && Object.keys(state.filters).length === 0) {
    showCounts(totals);
    return;
  }
  await loadPagefind();
  const { within, partial } = await scopeFor(state);
  const response = await pagefind.search(q || null, { filters: pagefindFilters(state.filters, within) });
  const counts = await filterCounts(q, state, response, within);
  if (search === latest) showCounts(counts, yearCountScope(state, partial));
}

/** Fetches the long thread list the first time a visitor turns to the thread filter (or arrives with one chosen). */
function loadThreads() {
  if (threads !== "lazy") return threadsLoading ?? Promise.resolve();
  threads = "loading";
  const select = filterSelects.thread;
  const placeholder = new Option("Loading threads…", "");
  placeholder.disabled = true;
  select.add(placeholder);
  threadsLoading = fetchJson(`${app.dataset.bundle}${threadsFile}`)
    .then((values) => {
      totals.thread = values;
      threads = "ready";
      fillFilterOptions();
    })
    .catch((error) => {
      console.error("The thread list could not be loaded:", error);
      threads = "lazy";
      threadsLoading = undefined;
    })
    .finally(() => placeholder.remove());
  return threadsLoading;
}

async function fetchJson(url) {
  // Revalidated on every visit: a rebuilt site changes the shard list under the same URL.
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * Loads the shard list and Pagefind, with the newest shard as its own index; the other shards
 * are merged into the search, each tagged with its key, when a search first needs them.
 */
async function loadIndex() {
  const bundle = app.dataset.bundle;
  const index = await fetchJson(`${bundle}shards.json`);
  shards = index.shards.filter((shard) => shard.pages > 0).sort((a, b) => a.months[0].localeCompare(b.months[0]));
  const newest = shards.at(-1);
  if (newest === undefined) throw new Error("the search index has no pages");
  const known = new Set(allKeys());
  firstSearch = Array.isArray(index.firstSearch) ? index.firstSearch.filter((key) => known.has(key)) : allKeys();
  if (!firstSearch.includes(newest.key)) firstSearch.push(newest.key);
  totals.author = index.authors;
  totals.year = index.years;
  if (index.threads.values) {
    totals.thread = index.threads.values;
  } else {
    threads = "lazy";
    threadsFile = index.threads.file;
  }
  fillFilterOptions();
}

let pagefindLoading;

/**
 * Pagefind (its script, WebAssembly and the newest shard's metadata), loaded once, when a search
 * first needs it or the visitor first reaches for the form: a page opened without a query has
 * nothing to run it for, and its first paint need not wait on it.
 */
function loadPagefind() {
  pagefindLoading ??= (async () => {
    const newest = shards.at(-1);
    pagefind = await import(`${app.dataset.bundle}${newest.path}pagefind.js`);
    shardOptions = { baseUrl: app.dataset.baseUrl, excerptLength: 40 };
    await pagefind.options({ ...shardOptions, mergeFilter: { [SHARD_FILTER]: newest.key } });
    merging.set(newest.key, Promise.resolve());
    merged.add(newest.key);
  })();
  return pagefindLoading;
}

async function start() {
  form.hidden = false;
  showState(stateFromUrl());
  try {
    await loadIndex();
    if (stateFromUrl().filters.thread) await loadThreads();
  } catch (error) {
    console.error("Search could not be loaded:", error);
    form.hidden = true;
    unavailable.hidden = false;
    return;
  }
  showState(stateFromUrl());
  for (const event of ["focusin", "pointerdown"]) {
    form.addEventListener(event, () => loadPagefind().catch((error) => console.error("Search could not be loaded:", error)), { once: true });
  }

  const threadSelect = filterSelects.thread;
  for (const event of ["focus", "pointerdown"]) {
    threadSelect.addEventListener(event, () => {
      if (threads !== "lazy") return;
      loadThreads()
        .then(() => (threads === "ready" ? refreshCounts() : undefined))
        .catch((error) => console.error("Thread counts could not be loaded:", error));
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    update({ push: true });
  });
  input.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => update({ push: false }), TYPING_DELAY_MS);
  });
  for (const select of [sortSelect, ...Object.values(filterSelects)]) select.addEventListener("change", () => update({ push: true }));
  const searchEveryYear = async () => {
    await runSearch(stateFromForm(), allKeys());
    // The button is gone; the first result (or the status, when none) takes the focus it had.
    (list.querySelector("a") ?? status).focus();
  };
  moreButton.addEventListener("click", async () => {
    if (results.done()) return searchEveryYear();
    const added = await loadMore();
    added[0]?.querySelector("a")?.focus();
  });
  everyYearButton.addEventListener("click", searchEveryYear);
  window.addEventListener("popstate", async () => {
    if (stateFromUrl().filters.thread) await loadThreads();
    showState(stateFromUrl());
    runSearch(stateFromUrl());
  });

  await runSearch(stateFromUrl());
}

start();
