// Wires the site's data and filters into Eleventy; everything it wires lives in its own module.
import type { UserConfig } from "@11ty/eleventy";
import { absoluteSiteUrl, jsonScript, machineDate, monthName, pluralize, readableDate, readableDateTime, shortText } from "./filters.ts";
import { loadSiteArchive } from "./load-archive.ts";
import { commentIndexJson, publishRawMarkdown } from "./machine-readable.ts";
import type { SiteArchive } from "./site-archive.ts";
import type { SiteConfig } from "./site-config.ts";

export function sitePlugin(config: UserConfig, options: unknown): void {
  const site = options as SiteConfig;
  config.addGlobalData("site", site);
  // Kept for the after-build step, which publishes files Eleventy does not render.
  let archive: SiteArchive | undefined;
  config.addGlobalData("archive", async () => (archive = await loadSiteArchive()));
  config.on("eleventy.after", async ({ directories }: { directories: { output: string } }) => {
    if (archive !== undefined) await publishRawMarkdown(archive.comments, directories.output);
  });

  config.addFilter("readableDate", readableDate);
  config.addFilter("readableDateTime", readableDateTime);
  config.addFilter("machineDate", machineDate);
  config.addFilter("monthName", monthName);
  config.addFilter("pluralize", pluralize);
  config.addFilter("jsonScript", jsonScript);
  config.addFilter("shortText", shortText);
  config.addFilter("commentIndexJson", commentIndexJson);
  config.addFilter("absoluteSiteUrl", (path: string) => absoluteSiteUrl(path, site.url, site.pathPrefix));
}
