// Page text from page inputs (YAML front matter and a Markdown body), and a digest of those inputs that stands for the text.
import { createRequire } from "node:module";
import { dump } from "js-yaml";
import { textDigest } from "../text-digest.ts";

/**
 * A page: YAML front matter written by a YAML library, so no value can break out of it.
 * js-yaml rather than `yaml`: at 100,000 pages its dump and load are several times faster.
 */
export function renderPage(frontMatter: object, body = ""): string {
  const yaml = dump(frontMatter, { lineWidth: -1, noRefs: true, quotingType: '"' });
  return `---\n${yaml}---\n${body === "" ? "" : `\n${body}\n`}`;
}

/** What a page is rendered from; rendering (the YAML dump) is the costly part, so it waits until a page has to be written or checked. */
export interface PageSource {
  readonly frontMatter: object;
  readonly body?: string;
  /** Its pageDigest, when whoever made it worked that out already. */
  readonly digest?: string;
}

/** A page's text, or what it is rendered from. */
export type PageInput = string | PageSource;

export function renderInput(page: PageInput): string {
  return typeof page === "string" ? page : renderPage(page.frontMatter, page.body);
}

const digest = (text: string): string => textDigest("sha256", text);

/** JSON folds -0 into 0, and NaN and the infinities into null; YAML does not, so neither may the digest. */
function exactNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== "number" || (Number.isFinite(value) && !Object.is(value, -0))) return value;
  return { number: Object.is(value, -0) ? "-0" : String(value) };
}

/** Where JSON may have folded a number: a value `0` or `null`. Without one, plain JSON is exact. */
const FOLDED_NUMBER = /[:,[]0[,}\]]|null/;

/** The front matter as JSON that tells every value apart; the replacer doubles the cost, so only when needed. */
function exactJson(frontMatter: object): string {
  const json = JSON.stringify(frontMatter);
  return FOLDED_NUMBER.test(json) ? JSON.stringify(frontMatter, exactNumbers) : json;
}

/**
 * A digest of everything a page's text is made of: equal digests (from the same renderer) mean
 * equal text. JSON keeps key order, as the YAML dump does, and escapes every NUL, so the body's
 * start is unambiguous.
 */
export function pageDigest(page: PageInput): string {
  if (typeof page === "string") return digest(`text\0${page}`);
  return digest(`page\0${exactJson(page.frontMatter)}\0${page.body ?? ""}`);
}

const PROBE: PageSource = {
  frontMatter: { title: `A "title": #x --- [a] {b} &c *d · 日本 🎉\u2028`, n: [1, -0, 2.5], date: "2021-06-19T15:54:32.790Z", long: "word ".repeat(40), lines: "a\nb", nested: { empty: "", yes: "yes", nil: "null" } },
  body: "Body\n\n    indented",
};

let rendererKey: string | undefined;

/**
 * Identifies the renderer: the YAML library's version, renderPage's code and its output for a page
 * that exercises quoting, so a change to any of them makes every page be rendered and checked again.
 */
export function pageRenderer(): string {
  if (rendererKey === undefined) {
    const yamlVersion = (createRequire(import.meta.url)("js-yaml/package.json") as { version: string }).version;
    rendererKey = digest(`js-yaml ${yamlVersion}\0${renderPage.toString()}\0${renderInput(PROBE)}`);
  }
  return rendererKey;
}
