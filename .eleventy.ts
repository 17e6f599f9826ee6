// Eleventy configuration: only wiring. Templates live in content/, layouts and partials in _includes/.
import type { UserConfig } from "@11ty/eleventy";
import rssPlugin from "@11ty/eleventy-plugin-rss";
import { compiledNunjucks } from "./scripts/lib/site/compiled-nunjucks.ts";
import { sitePlugin } from "./scripts/lib/site/site-plugin.ts";
import { loadSiteConfig } from "./scripts/lib/site/site-config.ts";

const site = loadSiteConfig();

export default function (eleventyConfig: UserConfig): void {
  // The RSS plugin brings Eleventy's HTML <base> plugin, which would prefix every URL in the output a
  // second time: templates already pass internal links through the `url` filter.
  eleventyConfig.addPlugin(rssPlugin, { htmlBasePluginOptions: { baseHref: "/" } });
  eleventyConfig.addPlugin(sitePlugin, site);
  eleventyConfig.addPlugin(compiledNunjucks);
  // The import's pages are data for the paginated templates, not templates themselves (see README).
  eleventyConfig.ignores.add("content/archive/**");
  // The import rewrites its manifest after any page it changes: one event per import, not one per page.
  eleventyConfig.addWatchTarget("content/archive/manifest.tsv");
  // Eleventy waits for a changed file to stay unchanged for 150 ms before it rebuilds. The import
  // writes its manifest whole (by rename), so for the dev server's usual change that is only delay;
  // 30 ms still lets a template saved in several quick writes settle first.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
  // Nor is each page watched (112,000 files at 100,000 comments, which the watcher would walk
  // while the dev server's first import runs): the manifest stands for them all.
  eleventyConfig.watchIgnores.add("content/archive/{comments,threads,moved,removed}/**");
  eleventyConfig.addPassthroughCopy({ "_includes/assets": "assets" });
}

export const config = {
  // The output directory is chosen by scripts/build.ts and scripts/serve.ts (the build writes beside dist/ and swaps).
  dir: { input: "content", includes: "../_includes" },
  pathPrefix: site.pathPrefix,
  templateFormats: ["njk"],
  htmlTemplateEngine: "njk",
};
