// /stats/ of the forum sample in Chromium: no violation axe finds at phone and desktop widths, light and dark; charts inside the column; tables holding the charts' numbers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowserBeside } from "../support/browser.ts";
import { axeViolations, buildSite, type BuiltSite } from "./built-site.ts";

const SAMPLE = "archives/forum-sample/comments.json";
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

let browser: Browser;
let built: BuiltSite;

before(async () => {
  [browser, built] = await launchBrowserBeside(buildSite({ archives: [SAMPLE] }), (site) => site.close());
});

after(async () => {
  await browser?.close();
  await built?.close();
});

async function open(page: Page, url: string): Promise<void> {
  const response = await page.goto(new URL(url.replace(/^\//, ""), built.site.url).href);
  assert.equal(response?.status(), 200, `HTTP status of ${url}`);
}

const summary = (violations: Awaited<ReturnType<typeof axeViolations>>): string[] => violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 5).join(", ")}`);

const authorPage = (): string => `/authors/${built.comments[0]?.author.slug ?? ""}/`;

describe("the statistics in a browser", () => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`axe finds nothing on /stats/ and an author's page at ${name} width, light and dark, with the tables open`, async () => {
      for (const colorScheme of ["light", "dark"] as const) {
        const page = await browser.newPage({ viewport, colorScheme });
        try {
          for (const url of ["/stats/", authorPage()]) {
            await open(page, url);
            await page.$$eval("details.chart__data", (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
            assert.deepEqual(summary(await axeViolations(page)), [], `${url} at ${viewport.width}, ${colorScheme}`);
          }
        } finally {
          await page.close();
        }
      }
    });
  }

  test("at 390 px the charts fit the column and the page does not scroll sideways, tables open or not", async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.phone });
    try {
      for (const url of ["/stats/", authorPage()]) {
        await open(page, url);
        for (const open of [false, true]) {
          if (open) await page.$$eval("details.chart__data", (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
          const sizes = await page.evaluate(() => ({
            page: document.documentElement.scrollWidth,
            view: window.innerWidth,
            charts: [...document.querySelectorAll("svg.chart__svg")].map((svg) => {
              const box = svg.getBoundingClientRect();
              const column = (svg.closest("main") as HTMLElement).getBoundingClientRect();
              return { left: box.left, right: box.right, width: box.width, columnLeft: column.left, columnRight: column.right };
            }),
          }));
          assert.ok(sizes.charts.length > 0, `${url}: no chart`);
          assert.ok(sizes.page <= sizes.view, `${url}: the page is ${sizes.page} px wide in a ${sizes.view} px window (tables open: ${open})`);
          for (const chart of sizes.charts) {
            assert.ok(chart.width > 200, `${url}: a chart drawn ${chart.width} px wide`);
            assert.ok(chart.left >= chart.columnLeft && chart.right <= chart.columnRight, `${url}: a chart overflows its column: ${JSON.stringify(chart)}`);
          }
        }
      }
    } finally {
      await page.close();
    }
  });

  test("each chart's table holds the numbers of its bars and cells, and the charts have an accessible name", async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
    try {
      for (const url of ["/stats/", authorPage()]) {
        await open(page, url);
        // Attribute reads inline: a helper function declared in the page script would need tsx's helpers there.
        const pairs = (selector: string): Promise<[string, number][]> =>
          page.$$eval(selector, (nodes) => nodes.map((n) => [[n.getAttribute("data-month"), n.getAttribute("data-weekday"), n.getAttribute("data-hour")].filter((v) => v !== null).join("/"), Number(n.getAttribute("data-comments") ?? n.textContent)] as [string, number]));
        const found = {
          months: [await pairs('svg[data-chart="months"] rect'), await pairs('table[data-chart="months"] td')],
          hours: [await pairs('svg[data-chart="hours"] rect'), await pairs('table[data-chart="hours"] td')],
          names: await page.$$eval("svg.chart__svg", (svgs) =>
            svgs.map((svg) => ({ role: svg.getAttribute("role"), name: (svg.getAttribute("aria-labelledby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent ?? "").join(" ") })),
          ),
        };
        assert.ok(found.months[0]?.length, `${url}: no bars`);
        assert.deepEqual(found.months[1], found.months[0], `${url}: month table and bars`);
        assert.deepEqual(found.hours[1], found.hours[0], `${url}: hour table and cells`);
        if (url === "/stats/") assert.equal(found.hours[0]?.length, 7 * 24);
        for (const chart of found.names) {
          assert.equal(chart.role, "img");
          assert.match(chart.name, /^Comments.* per (month|weekday and hour).*\d/, url);
        }
      }
    } finally {
      await page.close();
    }
  });
});
