// Builds a site with the real build command in a throw-away copy, and reads and checks what it wrote.
import { createHash } from "node:crypto";
import { copyFile, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { HtmlValidate } from "html-validate";
import { copyProject, PROJECT_ROOT, type ProjectCopy } from "../support/project-copy.ts";

export const FIXTURE = path.join(PROJECT_ROOT, "test/fixtures/site/fixture.md");

export interface BuiltSite {
  copy: ProjectCopy;
  dist: string;
  /** Every file of dist/, by its path relative to dist/ with `/` separators. */
  files: Map<string, Buffer>;
  html: Map<string, string>;
  pathPrefix: string;
  siteUrl: string;
  buildSeconds: number;
  rebuild(): Promise<Map<string, Buffer>>;
}

async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, Buffer>();
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => (path.join(a.parentPath, a.name) < path.join(b.parentPath, b.name) ? -1 : 1))) {
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join("/"), await readFile(full));
  }
  return files;
}

/**
 * Builds `archive` (a file in the working tree, copied into the project copy; default: the
 * project's sample) with `npm run build`'s script. Throws with the build's output when it fails.
 */
export async function buildSite(archive?: string, env: NodeJS.ProcessEnv = {}): Promise<BuiltSite> {
  const copy = await copyProject();
  const args: string[] = [];
  if (archive !== undefined) {
    const name = path.basename(archive);
    await copyFile(archive, path.join(copy.dir, "archives", name));
    // A ledger of its own: the copied archives/urls.json lists the sample's URLs, which would come back as "removed" pages.
    args.push("--archive", `archives/${name}`, "--ledger", `archives/${name}.urls.json`);
  }
  const build = async (): Promise<number> => {
    const started = performance.now();
    const result = await copy.run("build", args, env);
    if (result.code !== 0) throw new Error(`build failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
    return (performance.now() - started) / 1000;
  };
  const buildSeconds = await build();
  const dist = path.join(copy.dir, "dist");
  const files = await readTree(dist);
  const html = new Map([...files].filter(([file]) => file.endsWith(".html")).map(([file, bytes]) => [file, bytes.toString("utf8")]));
  const config = JSON.parse(await readFile(path.join(copy.dir, "site.config.json"), "utf8")) as { url: string; pathPrefix: string };
  const prefix = `/${(env.SITE_PATH_PREFIX ?? config.pathPrefix).replace(/^\/+|\/+$/g, "")}/`.replace("//", "/");
  return {
    copy,
    dist,
    files,
    html,
    pathPrefix: prefix,
    siteUrl: (env.SITE_URL ?? config.url).replace(/\/+$/, ""),
    buildSeconds,
    rebuild: async () => {
      await build();
      return readTree(dist);
    },
  };
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", nbsp: "\u00a0" };

/** Decodes the entities our templates and markdown-it write. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (ENTITIES[name] !== undefined) return ENTITIES[name];
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return whole;
  });
}

/** Text content of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<script[\s\S]*?<\/script>/gi, " ").replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Values of one attribute on every element of a page. The templates always double-quote
 * attributes, and text in comments is escaped, so a quoted attribute can only be real markup.
 */
export function attributeValues(html: string, name: string): string[] {
  const pattern = new RegExp(`<[a-zA-Z][^>]*?\\s${name}="([^"]*)"`, "g");
  return [...html.matchAll(pattern)].map((m) => decodeEntities(m[1] ?? ""));
}

/** All `href` and `src` values of a page. */
export function linksOf(html: string): string[] {
  const values: string[] = [];
  for (const m of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const a of m[0].matchAll(/\s(href|src)="([^"]*)"/g)) values.push(decodeEntities(a[2] ?? ""));
  }
  return values;
}

export function idsOf(html: string): string[] {
  return attributeValues(html, "id");
}

/** The part of a page between an element's opening tag (matched by `open`) and its closing `</tag>` (not nested). */
export function section(html: string, open: RegExp, tag: string): string {
  const start = html.search(open);
  if (start < 0) return "";
  const end = html.indexOf(`</${tag}>`, start);
  return html.slice(start, end < 0 ? undefined : end + tag.length + 3);
}

/** The dist/ file a site URL path (with the prefix) is served from, or undefined when the path is outside the site. */
export function fileForPath(site: BuiltSite, urlPath: string): string | undefined {
  if (!urlPath.startsWith(site.pathPrefix)) return undefined;
  const relative = decodeURIComponent(urlPath.slice(site.pathPrefix.length));
  return relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
}

/** Internal absolute URL (site.url + prefix) to a dist/ file, else undefined. */
export function fileForAbsoluteUrl(site: BuiltSite, url: string): string | undefined {
  if (!url.startsWith(site.siteUrl + site.pathPrefix)) return undefined;
  return fileForPath(site, new URL(url).pathname);
}

/**
 * Every internal link problem of the site: targets that are missing, that skip the path
 * prefix, or whose #fragment names no element on the target page. External links are not
 * followed; absolute links to the site itself (canonical, og:url) are.
 */
export function brokenLinks(site: BuiltSite): string[] {
  const problems: string[] = [];
  const idCache = new Map<string, Set<string>>();
  const idsIn = (file: string): Set<string> => {
    let ids = idCache.get(file);
    if (ids === undefined) idCache.set(file, (ids = new Set(idsOf(site.html.get(file) ?? ""))));
    return ids;
  };
  for (const [file, html] of site.html) {
    for (const link of linksOf(html)) {
      if (/^(mailto:|tel:)/i.test(link)) continue;
      let target: string | undefined;
      let fragment: string | undefined;
      if (link.startsWith("#")) {
        target = file;
        fragment = link.slice(1);
      } else {
        // The origin may host other sites beside this one: only URLs under the prefix are ours.
        const isInternalAbsolute = link.startsWith(site.siteUrl + site.pathPrefix);
        if (/^[a-z][a-z0-9+.-]*:/i.test(link) && !isInternalAbsolute) continue;
        if (link.startsWith("//")) continue;
        if (!isInternalAbsolute && !link.startsWith("/")) {
          problems.push(`${file}: relative link ${link}`);
          continue;
        }
        const url = new URL(link, site.siteUrl);
        fragment = url.hash === "" ? undefined : decodeURIComponent(url.hash.slice(1));
        target = fileForPath(site, url.pathname);
        if (target === undefined) {
          problems.push(`${file}: ${link} is outside the path prefix ${site.pathPrefix}`);
          continue;
        }
      }
      if (!site.files.has(target)) problems.push(`${file}: ${link} -> missing ${target}`);
      else if (fragment !== undefined && fragment !== "" && target.endsWith(".html") && !idsIn(target).has(fragment)) {
        problems.push(`${file}: ${link} -> no id "${fragment}" in ${target}`);
      }
    }
  }
  return problems;
}

export function duplicateIds(site: BuiltSite): string[] {
  const problems: string[] = [];
  for (const [file, html] of site.html) {
    const seen = new Set<string>();
    for (const id of idsOf(html)) {
      if (seen.has(id)) problems.push(`${file}: id "${id}" twice`);
      seen.add(id);
    }
  }
  return problems;
}

const validator = new HtmlValidate({
  extends: ["html-validate:recommended"],
  rules: {
    // A comment page's title is "<author> on <thread> · <site>": thread titles are the forum's, often long, and cutting them would make titles ambiguous.
    "long-title": "off",
  },
});

export async function htmlProblems(site: BuiltSite): Promise<string[]> {
  const problems: string[] = [];
  for (const [file, html] of site.html) {
    const report = await validator.validateString(html, file);
    for (const result of report.results) for (const m of result.messages) problems.push(`${file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
  }
  return problems;
}

/** Script elements the templates write; anything else would have come from content. */
const KNOWN_SCRIPTS = [/^<script type="application\/ld\+json">$/, /^<script src="[^"]*\/assets\/[a-z0-9/-]+\.js"( defer)?>$/, /^<script type="module" src="[^"]*\/assets\/[a-z0-9/-]+\.js">$/];
/** The one inline module the search's highlighting adds to comment pages: it loads Pagefind's script and nothing else. */
const PAGEFIND_HIGHLIGHT = /^\s*if \(new URLSearchParams\(location\.search\)\.has\("pagefind-highlight"\)\) \{\s*const \{ default: PagefindHighlight \} = await import\("[^"]*\/pagefind\/pagefind-highlight\.js"\);[^<]*\}\s*$/;

export function unexpectedScripts(site: BuiltSite): string[] {
  const problems: string[] = [];
  for (const [file, html] of site.html) {
    for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
      const open = /^<script\b[^>]*>/i.exec(m[0])?.[0] ?? "";
      const known = KNOWN_SCRIPTS.some((re) => re.test(open)) || (open === `<script type="module">` && PAGEFIND_HIGHLIGHT.test(m[1] ?? ""));
      if (!known) problems.push(`${file}: ${open}`);
    }
    // A JSON-LD block must be JSON through and through: nothing in it may end the script early.
    for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
      try {
        JSON.parse(m[1] ?? "");
      } catch {
        problems.push(`${file}: JSON-LD that is not JSON`);
      }
    }
  }
  return problems;
}

/** href/src/action/formaction values using a script URL, in pages and in the HTML inside feeds. */
export function scriptUrls(site: BuiltSite): string[] {
  const problems: string[] = [];
  const check = (file: string, markup: string): void => {
    for (const m of markup.matchAll(/\s(href|src|action|formaction)\s*=\s*["']?\s*(javascript|vbscript|data):/gi)) problems.push(`${file}: ${m[0]}`);
  };
  for (const [file, bytes] of site.files) {
    if (file.endsWith(".html")) check(file, bytes.toString("utf8"));
    else if (file.endsWith(".xml")) check(file, decodeEntities(bytes.toString("utf8")));
  }
  return problems;
}

/** Pages a crawler should find: every HTML page but the 404 page, the search page and pages marked noindex. */
export function indexablePages(site: BuiltSite): string[] {
  return [...site.html]
    .filter(([file, html]) => file !== "404.html" && !file.startsWith("search/") && !/<meta name="robots" content="noindex"/.test(html) && !/http-equiv="refresh"/i.test(html))
    .map(([file]) => file)
    .sort();
}

export function assertFileExists(site: BuiltSite, file: string): string {
  const bytes = site.files.get(file);
  if (bytes === undefined) throw new Error(`${file} is missing from dist/`);
  return bytes.toString("utf8");
}

export interface ExportedComment {
  username: string;
  name: string;
  title: string;
  date: string;
  /** The Markdown as exported, up to the next header. */
  body: string;
}

/**
 * The comments of an export, read with a regular expression of its own rather than the
 * importer, so the counts the tests expect do not come from the code under test.
 */
export function exportedComments(text: string): ExportedComment[] {
  const out: ExportedComment[] = [];
  const headers = [...text.matchAll(/^(?:Comment by )?\*\*([^*]+?)\*\* ?on (.+) · (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)(?: · LW · GW)?\s*$/gm)];
  headers.forEach((m, i) => {
    const bold = (m[1] ?? "").trim();
    const named = /^(.*\S)\s+\(([^()\s]+)\)$/.exec(bold);
    const bodyStart = (m.index ?? 0) + m[0].length;
    const body = text.slice(bodyStart, headers[i + 1]?.index ?? text.length).trim();
    out.push({ username: named?.[2] ?? bold, name: named?.[1] ?? bold, title: (m[2] ?? "").trim(), date: m[3] ?? "", body });
  });
  return out;
}

export function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** `2021-06-19T15:54:32.790Z` -> `20210619-155432-790`, as comment URLs spell it. */
export function stampOf(date: string): string {
  return date.replace(/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z$/, "$1$2$3-$4$5$6-$7");
}

/** The words (3+ letters or digits) of an exported body, link targets left out: what its page must show. */
export function wordsOf(markdown: string): string[] {
  return markdown.replace(/\]\([^)]*\)/g, "]").match(/[\p{L}\p{N}]{3,}/gu) ?? [];
}
