// Every page type of the built sample in Chromium: axe-core finds no violations (and no contrast ones in dark mode),
// the first Tab reaches a skip link, and screenshots at phone and desktop widths land in test/output/screenshots/.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { authorPermalink, threadPermalink } from "../../scripts/lib/permalinks.ts";
import { launchBrowserBeside } from "../support/browser.ts";
import { PROJECT_ROOT } from "../support/project-copy.ts";
import { axeViolations, buildSite, type BuiltSite, sampleComment } from "./built-site.ts";

const SCREENSHOTS = path.join(PROJECT_ROOT, "test/output/screenshots");
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

let browser: Browser;
let built: BuiltSite;

before(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  [browser, built] = await launchBrowserBeside(buildSite(), (site) => site.close());
});

after(async () => {
  await browser?.close();
  await built?.close();
});

interface PageType {
  name: string;
  /** Site-relative URL, looked up once the site is built. */
  url: () => string;
  status?: number;
  /** A selector to wait for: what the page's scripts add (search results, highlights). */
  waitFor?: string;
}

const SEARCHED = '[data-search-results][aria-busy="false"]';

const PAGE_TYPES: PageType[] = [
  { name: "home", url: () => "/" },
  { name: "comment", url: () => sampleComment(built).permalink },
  { name: "comment-highlighted", url: () => `${sampleComment(built).permalink}?pagefind-highlight=learning`, waitFor: "[data-pagefind-body] mark" },
  { name: "thread", url: () => threadPermalink(sampleComment(built).thread.slug) },
  { name: "author", url: () => authorPermalink(sampleComment(built).author.slug) },
  { name: "year", url: () => `/archive/${sampleComment(built).date.slice(0, 4)}/` },
  { name: "month", url: () => `/archive/${sampleComment(built).date.slice(0, 4)}/${sampleComment(built).date.slice(5, 7)}/` },
  { name: "threads", url: () => "/threads/" },
  { name: "authors", url: () => "/authors/" },
  { name: "404", url: () => "/no/such/page/", status: 404 },
  { name: "search", url: () => "/search/", waitFor: SEARCHED },
  { name: "search-results", url: () => "/search/?q=feature+learning", waitFor: SEARCHED },
];

async function open(page: Page, type: PageType): Promise<void> {
  const url = type.url();
  const response = await page.goto(new URL(url.replace(/^\//, ""), built.site.url).href);
  assert.equal(response?.status(), type.status ?? 200, `HTTP status of ${url}`);
  if (type.waitFor !== undefined) await page.waitForSelector(type.waitFor, { state: "attached" });
}

const summary = (violations: Awaited<ReturnType<typeof axeViolations>>): string[] =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 5).join(", ")}${v.targets.length > 5 ? ` and ${v.targets.length - 5} more` : ""}`);

describe("every page type", () => {
  for (const type of PAGE_TYPES) {
    const { name } = type;
    test(`${name}: no axe violations at phone and desktop widths (light); screenshots`, async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
      try {
        await page.emulateMedia({ colorScheme: "light" });
        for (const [width, viewport] of Object.entries(VIEWPORTS)) {
          await page.setViewportSize(viewport);
          await open(page, type);
          await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
          assert.deepEqual(summary(await axeViolations(page)), [], `${name} at ${type.url()}, ${width}`);
        }
      } finally {
        await page.close();
      }
    });

    test(`${name}: no colour-contrast violations in dark mode`, async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS.desktop, colorScheme: "dark" });
      try {
        await open(page, type);
        assert.equal(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), true);
        // The first screenful only: full-page screenshots are the slow part of this file.
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop-dark.png`) });
        assert.deepEqual(summary(await axeViolations(page, { rules: ["color-contrast"] })), [], `${name} at ${type.url()}, dark`);
      } finally {
        await page.close();
      }
    });

    test(`${name}: the first Tab focuses a skip link to the main content`, async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS.phone });
      try {
        await open(page, type);
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const active = document.activeElement;
          const href = active?.getAttribute("href") ?? "";
          const target = href.startsWith("#") ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
          return { tag: active?.tagName ?? "", text: active?.textContent?.trim() ?? "", targetIsMain: target?.tagName === "MAIN" || target?.getAttribute("role") === "main" };
        });
        assert.equal(focused.tag, "A", "a link has focus");
        assert.match(focused.text, /skip/i, "it is a skip link");
        assert.ok(focused.targetIsMain, "it points at the main content");
        assert.ok(await page.locator(":focus").isVisible(), "the focused skip link is visible");
      } finally {
        await page.close();
      }
    });
  }
});
