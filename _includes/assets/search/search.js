// The search page: a small UI on Pagefind's JS API (pagefind.js in the site's own bundle).
// The query, filters and sort live in the URL (/search/?q=...&author=...&thread=...&year=...&sort=newest),
// so every search can be linked, bookmarked and navigated with Back and Forward.

const FILTERS = ["author", "thread", "year"];
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };
const PAGE_SIZE = 20;
const TYPING_DELAY_MS = 200;
/** The parameter result links carry the query words in; pagefind-highlight.js on comment pages reads it. */
const HIGHLIGHT_PARAM = "pagefind-highlight";

const app = document.querySelector("[data-search-app]");
const form = app.querySelector("form");
const input = app.querySelector("[data-search-input]");
const sortSelect = app.querySelector("[data-search-sort]");
const filterSelects = Object.fromEntries(FILTERS.map((name) => [name, app.querySelector(`[data-search-filter="${name}"]`)]));
const status = app.querySelector("[data-search-status]");
const list = app.querySelector("[data-search-results]");
const moreButton = app.querySelector("[data-search-more]");
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

/** Option labels carry the number of results each value would give: `2021 (12)`. */
function showFilterCounts(select, counts) {
  for (const option of select.options) {
    if (option.value === "") continue;
    const count = counts?.[option.value] ?? 0;
    option.textContent = `${option.value} (${count.toLocaleString("en")})`;
  }
}

function fillFilterOptions(allFilters) {
  for (const name of FILTERS) {
    const select = filterSelects[name];
    const values = Object.keys(allFilters[name] ?? {});
    values.sort(name === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
    const current = select.value;
    // A Set, not a scan of the options per value: a large archive has thousands of threads.
    const present = new Set([...select.options].map((o) => o.value));
    for (const value of values) if (!present.has(value)) select.add(new Option(value, value));
    select.value = current;
    showFilterCounts(select, allFilters[name]);
  }
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
  const link = element("a", undefined, author && thread ? `${author} on ${thread}` : data.meta.title ?? data.url);
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

/** What the live region announces once a search's results are shown. */
function summaryText(count, state) {
  const things = count === 1 ? "1 comment" : `${count.toLocaleString("en")} comments`;
  const q = state.q.trim();
  if (count === 0) return q ? `No comments match “${q}”${Object.keys(state.filters).length ? " with these filters" : ""}.` : "No comments match these filters.";
  return q ? `${things} found for “${q}”.` : `${things} found.`;
}

let pagefind;
let allFilters = {};
let latest = 0;
let pending = [];
let highlightWords = [];
let typingTimer;

/** The comment's URL with the visitor's own words for pagefind-highlight.js (Pagefind's would drop the hyphen in "least-rattling"). */
function landingUrl(url) {
  const landing = new URL(url, location.href);
  landing.searchParams.delete(HIGHLIGHT_PARAM);
  for (const word of highlightWords) landing.searchParams.append(HIGHLIGHT_PARAM, word);
  return `${landing.pathname}${landing.search}${landing.hash}`;
}

async function loadMore() {
  const batch = pending.splice(0, PAGE_SIZE);
  const search = latest;
  const items = (await Promise.all(batch.map((result) => result.data()))).map((data) => renderResult({ ...data, url: landingUrl(data.url) }));
  if (search !== latest) return [];
  list.append(...items);
  moreButton.hidden = pending.length === 0;
  return items;
}

/**
 * Each filter's options count the results that value would give with the query and the *other*
 * filters, so choosing a thread still shows how many results every other thread has.
 */
async function filterCounts(q, state, response) {
  const counts = {};
  await Promise.all(
    FILTERS.map(async (name) => {
      if (!(name in state.filters)) {
        counts[name] = response.filters[name];
        return;
      }
      const others = { ...state.filters };
      delete others[name];
      if (!q && Object.keys(others).length === 0) {
        counts[name] = allFilters[name];
        return;
      }
      counts[name] = (await pagefind.search(q || null, { filters: others })).filters[name];
    }),
  );
  return counts;
}

/** Runs one search; the result list is aria-busy until its results and count are shown. */
async function runSearch(state) {
  const search = ++latest;
  list.setAttribute("aria-busy", "true");
  try {
    await searchFor(state, search);
  } catch (error) {
    console.error("Search failed:", error);
    if (search === latest) status.textContent = "Search failed. Please try again, or reload the page.";
  } finally {
    // A newer search may still be running; only the newest clears the busy state.
    if (search === latest) list.setAttribute("aria-busy", "false");
  }
}

async function searchFor(state, search) {
  const q = state.q.trim();
  if (!q && Object.keys(state.filters).length === 0) {
    pending = [];
    list.replaceChildren();
    moreButton.hidden = true;
    status.textContent = "";
    for (const name of FILTERS) showFilterCounts(filterSelects[name], allFilters[name]);
    return;
  }
  // Without a query the results are the filtered comments; relevance means nothing there, so newest first.
  const sort = SORTS[state.sort] ?? (q ? undefined : SORTS.newest);
  const response = await pagefind.search(q || null, { filters: state.filters, ...(sort ? { sort } : {}) });
  if (search !== latest || response === null) return;
  const counts = await filterCounts(q, state, response);
  if (search !== latest) return;
  for (const name of FILTERS) showFilterCounts(filterSelects[name], counts[name]);
  pending = [...response.results];
  highlightWords = q.split(/\s+/).map((word) => word.replace(/^["“”]+|["“”]+$/g, "")).filter(Boolean);
  list.replaceChildren();
  await loadMore();
  if (search !== latest) return;
  status.textContent = summaryText(response.results.length, state);
}

function update({ push }) {
  const state = stateFromForm();
  const url = urlFor(state);
  if (url !== `${location.pathname}${location.search}`) history[push ? "pushState" : "replaceState"](null, "", url);
  return runSearch(state);
}

async function start() {
  form.hidden = false;
  showState(stateFromUrl());
  try {
    pagefind = await import(`${app.dataset.bundle}pagefind.js`);
    await pagefind.options({ baseUrl: app.dataset.baseUrl, excerptLength: 40 });
    allFilters = await pagefind.filters();
    fillFilterOptions(allFilters);
  } catch (error) {
    console.error("Search could not be loaded:", error);
    form.hidden = true;
    unavailable.hidden = false;
    return;
  }
  showState(stateFromUrl());

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
  moreButton.addEventListener("click", async () => {
    const added = await loadMore();
    added[0]?.querySelector("a")?.focus();
  });
  window.addEventListener("popstate", () => {
    showState(stateFromUrl());
    runSearch(stateFromUrl());
  });

  await runSearch(stateFromUrl());
}

start();
