// The page frame in Chromium, measured with bounding boxes on every page type of the built sample: the header on one
// row at desktop widths, nothing wider than a phone's screen, header controls big enough to tap and visibly focused,
// and the footer on the main column's edges. Screenshots (phone, desktop, desktop dark) land in test/output/layout/.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { authorPermalink, threadPermalink } from "../../scripts/lib/permalinks.ts";
import { launchBrowserBeside } from "../support/browser.ts";
import { PROJECT_ROOT } from "../support/project-copy.ts";
import { buildSite, type BuiltSite, sampleComment } from "./built-site.ts";

const SCREENSHOTS = path.join(PROJECT_ROOT, "test/output/layout");
const PHONE = { width: 390, height: 844 };
const DESKTOPS = [{ width: 1280, height: 900 }, { width: 1024, height: 768 }];
/** WCAG 2.2's minimum target size (2.5.8), in CSS pixels. */
const MIN_TARGET = 24;

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

const PAGE_TYPES: { name: string; url: () => string; status?: number; waitFor?: string }[] = [
  { name: "home", url: () => "/" },
  { name: "comment", url: () => sampleComment(built).permalink },
  { name: "thread", url: () => threadPermalink(sampleComment(built).thread.slug) },
  { name: "author", url: () => authorPermalink(sampleComment(built).author.slug) },
  { name: "date", url: () => `/archive/${sampleComment(built).date.slice(0, 4)}/${sampleComment(built).date.slice(5, 7)}/` },
  { name: "threads", url: () => "/threads/" },
  { name: "authors", url: () => "/authors/" },
  { name: "stats", url: () => "/stats/" },
  { name: "search-results", url: () => "/search/?q=feature+learning", waitFor: '[data-search-results][aria-busy="false"] li' },
  { name: "404", url: () => "/no/such/page/", status: 404 },
];

async function open(page: Page, type: (typeof PAGE_TYPES)[number]): Promise<void> {
  const url = type.url();
  const response = await page.goto(new URL(url.replace(/^\//, ""), built.site.url).href);
  assert.equal(response?.status(), type.status ?? 200, `HTTP status of ${url}`);
  if (type.waitFor !== undefined) await page.waitForSelector(type.waitFor);
}

interface Box {
  name: string;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The header's items as the visitor sees them: the title, each nav link, the search box and its button. */
function headerItems(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const selectors = [".site-header__title", ".site-nav a", ".site-header .search-form__input", ".site-header .search-form__button"];
    return selectors.flatMap((selector) =>
      [...document.querySelectorAll(selector)].map((element) => {
        const { top, bottom, left, right } = element.getBoundingClientRect();
        return { name: `${selector} "${element.textContent?.trim() ?? ""}"`, top, bottom, left, right };
      }),
    );
  });
}

/** An element's content box (inside its padding and border), which is where its text lines up. */
function contentBox(page: Page, selector: string): Promise<Box> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector);
    if (element === null) throw new Error(`no ${selector}`);
    const rect = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    // No helper functions in here: tsx's name-keeping wrapper does not exist in the page.
    const [top, right, bottom, left] = ["top", "right", "bottom", "left"].map((side) => parseFloat(style.getPropertyValue(`padding-${side}`)) + parseFloat(style.getPropertyValue(`border-${side}-width`)));
    return { name: selector, top: rect.top + (top ?? 0), bottom: rect.bottom - (bottom ?? 0), left: rect.left + (left ?? 0), right: rect.right - (right ?? 0) };
  }, selector);
}

async function assertFooterOnColumn(page: Page, where: string): Promise<void> {
  const [main, footer] = await Promise.all([contentBox(page, "main"), contentBox(page, ".site-footer")]);
  assert.ok(Math.abs(main.left - footer.left) < 1, `${where}: footer's left edge ${footer.left} is the main column's ${main.left}`);
  assert.ok(Math.abs(main.right - footer.right) < 1, `${where}: footer's right edge ${footer.right} is the main column's ${main.right}`);
}

describe("page layout", () => {
  for (const type of PAGE_TYPES) {
    const { name } = type;

    test(`${name}: at desktop widths the header is one row and the footer sits on the main column`, async () => {
      const page = await browser.newPage({ colorScheme: "light" });
      try {
        for (const viewport of DESKTOPS) {
          await page.setViewportSize(viewport);
          await open(page, type);
          const where = `${name} at ${viewport.width} px`;
          const items = await headerItems(page);
          assert.equal(items.length, 7, `${where}: title, four nav links, search box and button`);
          // One row: every item's vertical extent overlaps every other's.
          const lowestTop = Math.max(...items.map((item) => item.top));
          const highestBottom = Math.min(...items.map((item) => item.bottom));
          assert.ok(lowestTop < highestBottom, `${where}: header items on more than one row: ${items.map((item) => `${item.name} ${Math.round(item.top)}-${Math.round(item.bottom)}`).join(", ")}`);
          await assertFooterOnColumn(page, where);
          if (viewport.width === 1280) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
        }
        await page.emulateMedia({ colorScheme: "dark" });
        await page.setViewportSize(DESKTOPS[0] ?? PHONE);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop-dark.png`), fullPage: true });
      } finally {
        await page.close();
      }
    });

    test(`${name}: on a phone nothing is wider than the screen, header controls are big enough to tap and show focus`, async () => {
      const page = await browser.newPage({ viewport: PHONE, colorScheme: "light" });
      try {
        await open(page, type);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
        const overflow = await page.evaluate(() => {
          // Inside a scrolling box (a wide table or code block) content may be wider: the box scrolls, not the page.
          const tooWide = [...document.body.querySelectorAll("*")]
            .filter((element) => {
              for (let parent = element.parentElement; parent !== null; parent = parent.parentElement) if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(parent).overflowX)) return false;
              const { left, right, width } = element.getBoundingClientRect();
              return width > innerWidth || left < -0.5 || right > innerWidth + 0.5;
            })
            .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`);
          return { tooWide, scrollWidth: document.documentElement.scrollWidth, innerWidth };
        });
        assert.deepEqual(overflow.tooWide, [], `${name}: elements beyond the ${overflow.innerWidth} px screen`);
        assert.ok(overflow.scrollWidth <= overflow.innerWidth, `${name}: the page scrolls sideways (${overflow.scrollWidth} > ${overflow.innerWidth})`);
        await assertFooterOnColumn(page, `${name} at ${PHONE.width} px`);

        const items = await headerItems(page);
        for (const item of items) {
          assert.ok(item.bottom - item.top >= MIN_TARGET && item.right - item.left >= MIN_TARGET, `${name}: ${item.name} is ${Math.round(item.right - item.left)}×${Math.round(item.bottom - item.top)} px, under ${MIN_TARGET}`);
        }
        const overlapping = items.flatMap((a, i) => items.slice(i + 1).filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).map((b) => `${a.name} and ${b.name}`));
        assert.deepEqual(overlapping, [], `${name}: header items overlap`);

        // Tab past the skip link through the header: each control it reaches draws a focus outline.
        await page.keyboard.press("Tab");
        for (let step = 0; step < items.length; step += 1) {
          await page.keyboard.press("Tab");
          const focus = await page.evaluate(() => {
            const active = document.activeElement;
            if (active === null || active.closest(".site-header") === null) return undefined;
            const style = getComputedStyle(active);
            return { name: `${active.tagName.toLowerCase()} "${active.textContent?.trim() ?? ""}"`, outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth) };
          });
          assert.ok(focus !== undefined, `${name}: Tab ${step + 2} leaves the header before its ${items.length} controls`);
          assert.ok(focus.outline >= 2, `${name}: focused ${focus.name} shows no focus outline`);
        }
      } finally {
        await page.close();
      }
    });
  }
});
