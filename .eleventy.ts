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
  // Eleventy waits for a changed file to stay unchanged for 150 ms before it rebuilds; 30 ms still
  // lets a template saved in several quick writes settle first.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
  // The import's content is not watched (112,000 files at 100,000 comments, which the watcher would
  // walk while the dev server's first import runs): the dev server rebuilds after its own imports.
  eleventyConfig.watchIgnores.add("content/archive/**");
  eleventyConfig.addPassthroughCopy({ "_includes/assets": "assets" });
}

export const config = {
  // The output directory is chosen by scripts/build.ts and scripts/serve.ts (the build writes beside dist/ and swaps).
  dir: { input: "content", includes: "../_includes" },
  pathPrefix: site.pathPrefix,
  templateFormats: ["njk"],
  htmlTemplateEngine: "njk",
};
